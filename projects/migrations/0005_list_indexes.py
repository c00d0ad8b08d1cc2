import django.db.models.deletion
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

# `q=` on the project list (name or code containing the text, any case) as Django writes it on PostgreSQL:
# UPPER(name::text) LIKE UPPER('%…%'). A GIN index of trigrams over the same expression answers it; a term of
# one or two characters has no trigram and is answered by reading the index whole (still no table scan).
TRIGRAM_INDEXES = (
    ("project_name_trgm_idx", 'UPPER("name"::text)'),
    ("project_code_trgm_idx", 'UPPER("code"::text)'),
)


def trigram_indexes_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite, the embedded default, scans: its tables are small
    for name, expression in TRIGRAM_INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "projects_project" USING gin ({expression} gin_trgm_ops)'
        )


def trigram_indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in TRIGRAM_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("projects", "0004_higher_level_arranged"), ("core", "0001_initial")]

    operations = [
        TrigramExtension(),  # a no-op on SQLite
        migrations.RunPython(trigram_indexes_create, trigram_indexes_drop, elidable=False),
        migrations.RemoveIndex(model_name="project", name="projects_pr_state_2693f7_idx"),
        migrations.RemoveIndex(model_name="project", name="projects_pr_year_76ab0e_idx"),
        migrations.AddIndex(
            model_name="project", index=models.Index(fields=["-created_at", "-id"], name="project_list_idx")
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(fields=["state", "-created_at", "-id"], name="project_state_list_idx"),
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(fields=["year", "-created_at", "-id"], name="project_year_list_idx"),
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(fields=["organisation", "-created_at", "-id"], name="project_org_list_idx"),
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(fields=["organisation", "state"], name="project_org_state_idx"),
        ),
        migrations.CreateModel(
            name="PendingDeadline",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("jurisdiction_id", models.IntegerField(verbose_name="行政区划")),
                ("project_code", models.CharField(max_length=32, verbose_name="项目编号")),
                ("state", models.CharField(max_length=32, verbose_name="项目状态")),
                ("declared_at", models.DateTimeField(blank=True, null=True)),
                ("code", models.CharField(max_length=32, verbose_name="规则编号")),
                ("label", models.CharField(max_length=200, verbose_name="事项")),
                ("requirement", models.TextField(verbose_name="要求")),
                ("source", models.CharField(max_length=300, verbose_name="依据")),
                ("owner", models.CharField(max_length=32, verbose_name="责任方")),
                ("opens_on", models.DateField(blank=True, null=True)),
                ("due_on", models.DateField(blank=True, null=True)),
                ("period", models.CharField(blank=True, max_length=32, verbose_name="期间")),
                ("note", models.TextField(blank=True)),
                ("soon_days", models.PositiveSmallIntegerField()),
                ("cancels", models.BooleanField(default=False)),
                ("attention_from", models.DateField()),
                ("overdue_from", models.DateField(blank=True, null=True)),
                ("sort_on", models.DateField()),
                ("computed_on", models.DateField(verbose_name="计算日期")),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="core.organisation"
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="pending_deadlines",
                        to="projects.project",
                    ),
                ),
            ],
            options={"verbose_name": "待办期限", "verbose_name_plural": "待办期限"},
        ),
        migrations.AddIndex(
            model_name="pendingdeadline",
            index=models.Index(fields=["jurisdiction_id", "attention_from"], name="pending_jurisdiction_idx"),
        ),
    ]
