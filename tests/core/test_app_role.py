"""The application's database role (manage.py db_app_role) cannot do what would let the record be rewritten
unnoticed: switch the triggers off, truncate, update or delete the timeline, or create anything."""

import psycopg2
import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.db import connection

from core.models import TimelineEntry, TimelineHead
from projects.enums import ProjectState

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgresql_only")]

ROLE = "portal_app_test"


@pytest.fixture
def app_connection(world):
    world.project_in_state(ProjectState.DECLARED)
    call_command("db_app_role", ROLE)
    settings = connection.settings_dict
    conn = psycopg2.connect(
        dbname=settings["NAME"],
        user=ROLE,
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
    )
    conn.autocommit = True
    yield conn
    conn.close()


REFUSED = {
    "switch the triggers off for the session": "SET session_replication_role = replica",
    "disable the trigger": "ALTER TABLE core_timelineentry DISABLE TRIGGER core_timeline_append_only",
    "disable every trigger": "ALTER TABLE core_timelineentry DISABLE TRIGGER ALL",
    "drop the trigger": "DROP TRIGGER core_timeline_append_only ON core_timelineentry",
    "replace the trigger's function": "CREATE OR REPLACE FUNCTION core_timeline_refuse_change() RETURNS trigger "
    "AS $$ BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql",
    "truncate the timeline": "TRUNCATE core_timelineentry CASCADE",
    "truncate the anchors": "TRUNCATE core_timelineanchor CASCADE",
    "update an entry": "UPDATE core_timelineentry SET comment = 'x'",
    "delete an entry": "DELETE FROM core_timelineentry",
    "delete an anchor": "DELETE FROM core_timelineanchor",
    "create a table": "CREATE TABLE public.evil (id int)",
    "drop the timeline": "DROP TABLE core_timelineentry CASCADE",
}


@pytest.mark.parametrize("statement", REFUSED.values(), ids=REFUSED.keys())
def test_the_application_role_is_refused(app_connection, statement):
    entries = TimelineEntry.objects.count()
    with app_connection.cursor() as cursor, pytest.raises(psycopg2.Error) as caught:
        cursor.execute(statement)
    assert caught.value.pgcode in ("42501", "42P01") or "must be owner" in str(caught.value)
    assert TimelineEntry.objects.count() == entries


def test_the_application_role_reads_appends_and_owns_nothing(app_connection):
    with app_connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM core_timelineentry")
        assert cursor.fetchone()[0] == TimelineEntry.objects.count() > 0
        cursor.execute(
            "UPDATE core_timelinehead SET updated_at = updated_at"
        )  # heads move; their seal guards them
        assert cursor.rowcount == TimelineHead.objects.count()
        cursor.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
        assert cursor.fetchone() == (False, False, False, False)
        cursor.execute(
            "SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)"
        )
        assert cursor.fetchone()[0] == 0


def test_the_deploy_check_refuses_a_superuser_connection(settings):
    settings.DEBUG = False
    errors = [m for m in run_checks(databases=["default"]) if m.id == "core.E012"]
    assert len(errors) == 1 and "超级用户" in errors[0].msg
