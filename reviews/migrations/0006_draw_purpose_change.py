from django.db import migrations, models


class Migration(migrations.Migration):
    # The panel that re-reviews a major change is a Draw like the review panel's and the acceptance group's,
    # told apart by its purpose (issue 13: wendeng-2021 第十七条, zhaoyuan-2021 第十三条).
    dependencies = [("reviews", "0005_prereview_outcome")]

    operations = [
        migrations.AlterField(
            model_name="draw",
            name="purpose",
            field=models.CharField(
                choices=[
                    ("review", "评审专家组"),
                    ("acceptance", "验收专家组"),
                    ("change", "变更评审专家组"),
                ],
                default="review",
                max_length=16,
                verbose_name="用途",
            ),
        ),
    ]
