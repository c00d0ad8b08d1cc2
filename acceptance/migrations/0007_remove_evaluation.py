from django.db import migrations


class Migration(migrations.Migration):
    """The summary-and-score self-evaluation of before is gone: performance.SelfEvaluation (issue 14) holds it,
    each old row carried over by performance 0002_carry_evaluations first."""

    dependencies = [
        ("acceptance", "0006_rectification_handover"),
        ("performance", "0002_carry_evaluations"),
    ]

    operations = [migrations.DeleteModel(name="Evaluation")]
