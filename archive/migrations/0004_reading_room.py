import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    # Issue 15 §1 and §4: the addenda (补记) to an archived project.
    dependencies = [
        ("archive", "0003_search_facets"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Addendum",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.TextField(verbose_name="补记内容")),
                (
                    "file",
                    models.FileField(blank=True, max_length=255, upload_to="addenda/", verbose_name="附件"),
                ),
                ("original_name", models.CharField(blank=True, max_length=255, verbose_name="附件文件名")),
                ("content_type", models.CharField(blank=True, max_length=100, verbose_name="附件类型")),
                (
                    "size",
                    models.PositiveBigIntegerField(blank=True, null=True, verbose_name="附件大小（字节）"),
                ),
                ("sha256", models.CharField(blank=True, max_length=64, verbose_name="附件 SHA-256")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="补记时间"),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="补记人",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="addenda",
                        to="projects.project",
                    ),
                ),
            ],
            options={
                "verbose_name": "归档补记",
                "verbose_name_plural": "归档补记",
                "ordering": ["created_at", "id"],
                "indexes": [models.Index(fields=["project", "created_at"], name="addendum_project_idx")],
            },
        ),
    ]
