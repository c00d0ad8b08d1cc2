"""Carry every acceptance.Evaluation (the summary-and-score self-evaluation of before) into a SelfEvaluation:
the same project, author, time, summary and score, dated the day it was made (Asia/Shanghai), with the report
the old step stored beside it (the project's latest 绩效自评报告 uploaded by then). `carried_from` keeps the
old row's id, so running it again adds nothing. The old model is removed afterwards, in an acceptance
migration that depends on this one (docs/decisions/0008)."""

from zoneinfo import ZoneInfo

from django.db import migrations

SHANGHAI = ZoneInfo("Asia/Shanghai")


def carry(apps, schema_editor):
    Evaluation = apps.get_model("acceptance", "Evaluation")
    SelfEvaluation = apps.get_model("performance", "SelfEvaluation")
    DocumentVersion = apps.get_model("projects", "DocumentVersion")
    carried = set(SelfEvaluation.objects.exclude(carried_from=None).values_list("carried_from", flat=True))
    for old in Evaluation.objects.order_by("pk").iterator():
        if old.pk in carried:
            continue
        reports = DocumentVersion.objects.filter(
            document__project_id=old.project_id, document__kind="self_evaluation"
        ).order_by("-uploaded_at", "-pk")
        report = reports.filter(uploaded_at__lte=old.at).first() or reports.first()
        SelfEvaluation.objects.create(
            project_id=old.project_id,
            target_set=None,
            evaluated_on=old.at.astimezone(SHANGHAI).date(),
            summary=old.summary,
            score=old.score,
            report=report,
            carried_from=old.pk,
            by_id=old.by_id,
            at=old.at,
        )


def uncarry(apps, schema_editor):
    apps.get_model("performance", "SelfEvaluation").objects.exclude(carried_from=None).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0001_initial"),
        ("acceptance", "0004_construction_watch"),
        ("projects", "0004_higher_level_arranged"),
    ]

    operations = [migrations.RunPython(carry, uncarry)]
