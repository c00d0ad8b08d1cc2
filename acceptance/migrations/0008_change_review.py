import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    # The expert re-review of a major change (issue 13: wendeng-2021 第十七条, zhaoyuan-2021 第十三条): the panel
    # drawn for the change (a reviews.Draw of purpose 变更), its members, their sheets and per-criterion grades,
    # and on the change whether it is re-reviewed by experts and the panel's tally when it was decided.
    dependencies = [
        ("acceptance", "0007_remove_evaluation"),
        ("projects", "0001_initial"),
        ("reviews", "0006_draw_purpose_change"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="changerequest",
            name="expert_review",
            field=models.BooleanField(default=False, verbose_name="须专家评审"),
        ),
        migrations.AddField(
            model_name="changerequest",
            name="review_tally",
            field=models.JSONField(blank=True, null=True, verbose_name="专家评审结果"),
        ),
        migrations.CreateModel(
            name="ChangeReview",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("source", models.CharField(max_length=200, verbose_name="依据")),
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
                    "change",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="review",
                        to="acceptance.changerequest",
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
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="change_reviews",
                        to="projects.project",
                    ),
                ),
            ],
            options={"verbose_name": "变更评审专家组", "verbose_name_plural": "变更评审专家组"},
        ),
        migrations.CreateModel(
            name="ChangeReviewMember",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=64, verbose_name="姓名")),
                ("unit", models.CharField(max_length=200, verbose_name="单位")),
                (
                    "expert",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="reviews.expertprofile",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="change_review_members",
                        to="projects.project",
                    ),
                ),
                (
                    "review",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="members",
                        to="acceptance.changereview",
                    ),
                ),
            ],
            options={
                "verbose_name": "变更评审专家",
                "verbose_name_plural": "变更评审专家",
                "ordering": ["review_id", "id"],
                "constraints": [
                    models.UniqueConstraint(fields=("review", "expert"), name="change_review_member_once")
                ],
            },
        ),
        migrations.CreateModel(
            name="ChangeReviewSheet",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("opinion", models.TextField(verbose_name="总体意见")),
                (
                    "recommendation",
                    models.CharField(
                        choices=[("agree", "同意变更"), ("disagree", "不同意变更")],
                        max_length=16,
                        verbose_name="建议",
                    ),
                ),
                ("correction_reason", models.CharField(blank=True, max_length=200, verbose_name="更正原因")),
                ("at", models.DateTimeField(auto_now_add=True)),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="sheets",
                        to="acceptance.changereviewmember",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="change_review_sheets",
                        to="projects.project",
                    ),
                ),
                (
                    "review",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="sheets",
                        to="acceptance.changereview",
                    ),
                ),
                (
                    "supersedes",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="superseded_by",
                        to="acceptance.changereviewsheet",
                        verbose_name="更正的评审意见",
                    ),
                ),
            ],
            options={
                "verbose_name": "变更评审意见",
                "verbose_name_plural": "变更评审意见",
                "ordering": ["review_id", "at", "id"],
            },
        ),
        migrations.CreateModel(
            name="ChangeReviewScore",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("criterion", models.CharField(max_length=32, verbose_name="评审事项编码")),
                ("label", models.CharField(max_length=200, verbose_name="评审事项")),
                ("article", models.CharField(max_length=32, verbose_name="条款")),
                (
                    "grade",
                    models.CharField(
                        choices=[("meets", "符合"), ("mostly", "基本符合"), ("fails", "不符合")],
                        max_length=16,
                        verbose_name="评价",
                    ),
                ),
                ("comment", models.TextField(verbose_name="意见")),
                (
                    "sheet",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="scores",
                        to="acceptance.changereviewsheet",
                    ),
                ),
            ],
            options={
                "verbose_name": "变更评审事项评价",
                "verbose_name_plural": "变更评审事项评价",
                "ordering": ["sheet_id", "id"],
                "constraints": [
                    models.UniqueConstraint(fields=("sheet", "criterion"), name="change_review_score_once")
                ],
            },
        ),
    ]
