from django.db import migrations, models


class Migration(migrations.Migration):
    # The acceptance group's draw is a Draw like the review panel's, told apart by its purpose (issue 14).
    dependencies = [("reviews", "0003_outsidedecision")]

    operations = [
        migrations.AddField(
            model_name="draw",
            name="purpose",
            field=models.CharField(
                choices=[("review", "评审专家组"), ("acceptance", "验收专家组")],
                default="review",
                max_length=16,
                verbose_name="用途",
            ),
        ),
    ]
