from django.db import migrations, models

# Each change of a project's department, state, or declared-ness moves one from its old row to its new one, in
# the writing transaction (AFTER … FOR EACH ROW): the counts are exact whatever writes the projects table.
TRIGGERS = """
CREATE FUNCTION projects_state_count_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE projects_statecount SET n = n - 1
        WHERE organisation_id = OLD.organisation_id AND state = OLD.state
          AND declared = (OLD.declared_at IS NOT NULL);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO projects_statecount (organisation_id, state, declared, n)
        VALUES (NEW.organisation_id, NEW.state, NEW.declared_at IS NOT NULL, 1)
        ON CONFLICT (organisation_id, state, declared) DO UPDATE SET n = projects_statecount.n + 1;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER projects_state_count_insert_delete AFTER INSERT OR DELETE ON projects_project
    FOR EACH ROW EXECUTE FUNCTION projects_state_count_apply();
CREATE TRIGGER projects_state_count_update AFTER UPDATE ON projects_project
    FOR EACH ROW WHEN (
        OLD.organisation_id IS DISTINCT FROM NEW.organisation_id
        OR OLD.state IS DISTINCT FROM NEW.state
        OR (OLD.declared_at IS NULL) <> (NEW.declared_at IS NULL)
    ) EXECUTE FUNCTION projects_state_count_apply();
LOCK TABLE projects_project IN SHARE MODE;
INSERT INTO projects_statecount (organisation_id, state, declared, n)
    SELECT organisation_id, state, declared_at IS NOT NULL, count(*) FROM projects_project
    GROUP BY 1, 2, 3;
"""
DROP = """
DROP TRIGGER IF EXISTS projects_state_count_update ON projects_project;
DROP TRIGGER IF EXISTS projects_state_count_insert_delete ON projects_project;
DROP FUNCTION IF EXISTS projects_state_count_apply();
"""


def triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGERS)


def no_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    # The home pages' state counts at a province's scale (issue 12 §2): kept, not counted on each request.
    dependencies = [("projects", "0006_rectification_notice"), ("core", "0012_rectification_notice")]

    operations = [
        migrations.CreateModel(
            name="StateCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "organisation",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=models.deletion.DO_NOTHING,
                        related_name="+",
                        to="core.organisation",
                    ),
                ),
                ("state", models.CharField(max_length=32, verbose_name="项目状态")),
                ("declared", models.BooleanField(verbose_name="曾申报")),
                ("n", models.BigIntegerField(verbose_name="项目数")),
            ],
            options={"verbose_name": "项目状态计数", "verbose_name_plural": "项目状态计数"},
        ),
        migrations.AddConstraint(
            model_name="statecount",
            constraint=models.UniqueConstraint(fields=("organisation", "state", "declared"), name="state_count_unique"),
        ),
        migrations.RunPython(triggers, no_triggers),
    ]
