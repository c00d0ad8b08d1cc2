"""Tampering as someone with the database's superuser rights would: row triggers off for the session."""

from contextlib import contextmanager

from django.db import connection


@contextmanager
def behind_the_triggers():
    """A cursor with row triggers off until the end of the test's transaction (SET LOCAL)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        yield cursor
        cursor.execute("SET LOCAL session_replication_role = origin")
