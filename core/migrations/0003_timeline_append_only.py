"""The database itself refuses to change or delete a timeline row, whatever code tries."""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION core_timeline_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '时间线只能追加，不能修改或删除 (core_timelineentry)';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_timeline_append_only
    BEFORE UPDATE OR DELETE ON core_timelineentry
    FOR EACH ROW EXECUTE FUNCTION core_timeline_refuse_change();
"""
PG_REVERSE = """
DROP TRIGGER IF EXISTS core_timeline_append_only ON core_timelineentry;
DROP FUNCTION IF EXISTS core_timeline_refuse_change();
"""
# SQLite: updates only. Its test flush empties tables with DELETE, which a delete trigger would stop;
# on PostgreSQL the flush uses TRUNCATE, which row triggers do not see.
SQLITE_FORWARD = """
CREATE TRIGGER core_timeline_append_only BEFORE UPDATE ON core_timelineentry
BEGIN SELECT RAISE(ABORT, '时间线只能追加，不能修改 (core_timelineentry)'); END;
"""
SQLITE_REVERSE = "DROP TRIGGER IF EXISTS core_timeline_append_only;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_REVERSE)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]
    operations = [migrations.RunPython(forward, reverse)]
