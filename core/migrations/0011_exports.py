import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import core.models


class Migration(migrations.Migration):
    # Large exports built by a worker (core.exports): the job, its progress and its file.
    dependencies = [("core", "0010_leader_role")]

    operations = [
        migrations.CreateModel(
            name="ExportJob",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=64, verbose_name="导出类型")),
                ("title", models.CharField(max_length=200, verbose_name="标题")),
                ("params", models.JSONField(blank=True, default=dict, verbose_name="参数")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "排队中"),
                            ("running", "生成中"),
                            ("ready", "已生成"),
                            ("failed", "生成失败"),
                        ],
                        default="queued",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("rows_done", models.PositiveIntegerField(default=0, verbose_name="已写行数")),
                ("rows_total", models.PositiveIntegerField(blank=True, null=True, verbose_name="总行数")),
                ("file", models.FileField(blank=True, max_length=255, upload_to=core.models._export_path)),
                ("file_name", models.CharField(blank=True, max_length=255, verbose_name="文件名")),
                ("size", models.PositiveBigIntegerField(blank=True, null=True, verbose_name="大小（字节）")),
                ("error", models.CharField(blank=True, max_length=500, verbose_name="失败原因")),
                ("task_seconds", models.FloatField(blank=True, null=True, verbose_name="生成用时（秒）")),
                ("requested_at", models.DateTimeField(auto_now_add=True, verbose_name="申请时间")),
                ("started_at", models.DateTimeField(blank=True, null=True, verbose_name="开始时间")),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="完成时间")),
                (
                    "requested_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="申请人",
                    ),
                ),
            ],
            options={
                "verbose_name": "导出任务",
                "verbose_name_plural": "导出任务",
                "ordering": ["-requested_at", "-id"],
                "indexes": [
                    models.Index(fields=["requested_by", "-requested_at"], name="export_job_requester_idx")
                ],
            },
        ),
    ]
