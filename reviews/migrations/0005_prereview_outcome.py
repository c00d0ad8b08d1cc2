from django.db import migrations, models


def outcome_from_passed(apps, schema_editor):
    """Pre-reviews recorded before the outcome existed were 通过 or 不通过."""
    PreReview = apps.get_model("reviews", "PreReview")
    PreReview.objects.filter(passed=False).update(outcome="fail")


class Migration(migrations.Migration):
    # The 预审意见书's outcome (gongshu-draft 四(二)): 预审合格 / 完善 / 拆分 / 合并 / 取消, or 不通过 elsewhere.
    dependencies = [("reviews", "0004_acceptance_group")]

    operations = [
        migrations.AddField(
            model_name="prereview",
            name="outcome",
            field=models.CharField(
                choices=[
                    ("pass", "预审合格"),
                    ("revise", "完善需求方案"),
                    ("split", "拆分项目建设"),
                    ("merge", "合并项目建设"),
                    ("cancel", "取消项目建设"),
                    ("fail", "不通过"),
                ],
                default="pass",
                max_length=16,
                verbose_name="预审结论",
            ),
        ),
        migrations.RunPython(outcome_from_passed, migrations.RunPython.noop),
    ]
