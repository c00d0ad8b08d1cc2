import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    # The acceptance group, its experts' opinions, the conclusions issued as 竣工验收意见函, and the
    # rectification items of a 不合格 conclusion (issue 14).
    dependencies = [
        ("acceptance", "0004_construction_watch"),
        ("core", "0009_letter_outbox"),
        ("projects", "0004_higher_level_arranged"),
        ("reviews", "0004_acceptance_group"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AcceptanceGroup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("formed_on", models.DateField(verbose_name="组成日期")),
                ("at", models.DateTimeField(auto_now_add=True)),
                (
                    "application",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="acceptance.acceptanceapplication",
                        verbose_name="所依据的验收申请",
                    ),
                ),
                (
                    "by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "draw",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="reviews.draw",
                        verbose_name="专家抽取记录",
                    ),
                ),
                (
                    "project",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="acceptance_group",
                        to="projects.project",
                    ),
                ),
            ],
            options={
                "verbose_name": "验收组",
                "verbose_name_plural": "验收组",
            },
        ),
        migrations.CreateModel(
            name="AcceptanceGroupMember",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("expert", "专家"), ("representative", "代表")],
                        max_length=16,
                        verbose_name="类别",
                    ),
                ),
                ("party", models.CharField(max_length=32, verbose_name="参加方")),
                ("party_label", models.CharField(max_length=64, verbose_name="参加方名称")),
                ("name", models.CharField(max_length=64, verbose_name="姓名")),
                ("unit", models.CharField(max_length=200, verbose_name="单位")),
                (
                    "expert",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="reviews.expertprofile",
                    ),
                ),
                (
                    "group",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="members",
                        to="acceptance.acceptancegroup",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="acceptance_members",
                        to="projects.project",
                    ),
                ),
            ],
            options={
                "verbose_name": "验收组成员",
                "verbose_name_plural": "验收组成员",
                "ordering": ["group_id", "id"],
            },
        ),
        migrations.CreateModel(
            name="AcceptanceVerdict",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("round", models.PositiveSmallIntegerField(verbose_name="验收轮次")),
                (
                    "conclusion",
                    models.CharField(
                        choices=[("passed", "合格"), ("failed", "不合格")],
                        max_length=8,
                        verbose_name="验收结论",
                    ),
                ),
                ("summary", models.TextField(verbose_name="验收意见")),
                ("findings", models.JSONField(verbose_name="验收条件认定")),
                ("after_rectification", models.BooleanField(default=False, verbose_name="整改后仍不合格")),
                ("correction_reason", models.CharField(blank=True, max_length=200, verbose_name="更正原因")),
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
                    "group",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="verdicts",
                        to="acceptance.acceptancegroup",
                    ),
                ),
                (
                    "letter",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.letter",
                        verbose_name="竣工验收意见函",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="acceptance_verdicts",
                        to="projects.project",
                    ),
                ),
                (
                    "replaces",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="acceptance.acceptanceverdict",
                        verbose_name="更正的结论",
                    ),
                ),
            ],
            options={
                "verbose_name": "验收结论记录",
                "verbose_name_plural": "验收结论记录",
                "ordering": ["round", "at", "id"],
            },
        ),
        migrations.CreateModel(
            name="RectificationItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveSmallIntegerField(verbose_name="序号")),
                ("text", models.TextField(verbose_name="整改事项")),
                ("owner", models.CharField(max_length=200, verbose_name="责任单位")),
                ("due_on", models.DateField(verbose_name="整改期限")),
                ("report", models.TextField(blank=True, verbose_name="整改情况")),
                ("reported_on", models.DateField(blank=True, null=True, verbose_name="报告日期")),
                (
                    "evidence",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="projects.documentversion",
                        verbose_name="整改佐证材料",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="rectification_items",
                        to="projects.project",
                    ),
                ),
                (
                    "reported_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "verdict",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="items",
                        to="acceptance.acceptanceverdict",
                    ),
                ),
            ],
            options={
                "verbose_name": "整改事项",
                "verbose_name_plural": "整改事项",
                "ordering": ["verdict_id", "number"],
            },
        ),
        migrations.CreateModel(
            name="AcceptanceOpinion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("round", models.PositiveSmallIntegerField(verbose_name="验收轮次")),
                ("conditions", models.JSONField(verbose_name="验收条件意见")),
                (
                    "recommendation",
                    models.CharField(
                        choices=[("passed", "合格"), ("failed", "不合格")],
                        max_length=8,
                        verbose_name="建议结论",
                    ),
                ),
                ("opinion", models.TextField(verbose_name="总体意见")),
                ("at", models.DateTimeField(auto_now_add=True)),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="opinions",
                        to="acceptance.acceptancegroupmember",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="acceptance_opinions",
                        to="projects.project",
                    ),
                ),
            ],
            options={
                "verbose_name": "验收专家意见",
                "verbose_name_plural": "验收专家意见",
                "ordering": ["round", "member_id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("member", "round"), name="acceptance_opinion_once_a_round"
                    )
                ],
            },
        ),
    ]
