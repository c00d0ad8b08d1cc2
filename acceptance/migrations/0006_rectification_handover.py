import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def baselines_from_contracts(apps, schema_editor):
    """Projects filed before baselines existed (issue 13) get baseline 1 from their contract filing: the
    contract amount as filed; no milestones or planned completion were typed then, so none are invented (the
    variance says so: no schedule variance without a planned completion). The reason says where it came from."""
    ContractFiling = apps.get_model("acceptance", "ContractFiling")
    Baseline = apps.get_model("acceptance", "Baseline")
    with_baseline = Baseline.objects.values("project_id")
    latest: dict[int, object] = {}
    for filing in ContractFiling.objects.exclude(project_id__in=with_baseline).order_by("filed_at", "pk"):
        latest[filing.project_id] = filing  # the last filing of each project is the contract in force
    Baseline.objects.bulk_create(
        Baseline(
            project_id=filing.project_id,
            number=1,
            contract_amount=filing.amount,
            planned_completion_on=None,
            milestones=[],
            reason="据基线制度建立前的合同备案记录补建（合同金额取自合同备案；未填报里程碑和计划完工日期）",
            set_by_id=filing.filed_by_id,
        )
        for filing in latest.values()
    )


class Migration(migrations.Migration):
    # Asset handover (wendeng-2021 第三十八条), and baseline 1 for the projects filed before baselines existed.
    dependencies = [
        ("acceptance", "0005_acceptance_group"),
        ("projects", "0004_higher_level_arranged"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AssetHandover",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("recipient", models.CharField(max_length=200, verbose_name="接收单位")),
                ("assets", models.JSONField(verbose_name="移交资产清单")),
                ("handed_over_on", models.DateField(verbose_name="移交日期")),
                ("note", models.TextField(blank=True, verbose_name="说明")),
                ("at", models.DateTimeField(auto_now_add=True)),
                (
                    "by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="asset_handovers",
                        to="projects.project",
                    ),
                ),
                (
                    "receipt",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="projects.documentversion",
                        verbose_name="接收确认书",
                    ),
                ),
            ],
            options={"verbose_name": "资产移交", "verbose_name_plural": "资产移交"},
        ),
        migrations.RunPython(baselines_from_contracts, migrations.RunPython.noop),
    ]
