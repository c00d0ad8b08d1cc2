"""`manage.py db_app_role ROLE`: the PostgreSQL role the application connects as, run by the owner after every
`migrate` (docs/operations.md, "The database roles").

The role owns nothing and may do no more than the application does: read and write the tables, but on the
timeline and its anchors only read and append — no UPDATE, DELETE or TRUNCATE is granted, so the append-only
triggers are the second wall, not the only one. Not being a superuser or an owner, it cannot switch the
triggers off (`session_replication_role`, `ALTER TABLE … DISABLE TRIGGER`), drop them, or create anything."""

import re

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from core.models import TimelineAnchor, TimelineEntry

APPEND_ONLY = (TimelineEntry._meta.db_table, TimelineAnchor._meta.db_table)
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def app_role_grants(role: str) -> list[str]:
    """The statements that make `role` the application's role on the current database and schema."""
    q = connection.ops.quote_name
    r = q(role)
    database = q(connection.settings_dict["NAME"])
    append_only = ", ".join(q(table) for table in APPEND_ONLY)
    return [
        f"ALTER ROLE {r} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT",
        f"GRANT CONNECT ON DATABASE {database} TO {r}",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {r}",
        f"GRANT USAGE ON SCHEMA public TO {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {r}",
        f"REVOKE UPDATE, DELETE ON {append_only} FROM {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {r}",
    ]


class Command(BaseCommand):
    help = "建立或更新应用连接数据库所用的角色：不拥有任何对象，时间线与锚定只能读取和追加。每次 migrate 后由所有者运行。"

    def add_arguments(self, parser):
        parser.add_argument("role", help="角色名，如 portal_app")

    def handle(self, *args, role: str, **options):
        if connection.vendor != "postgresql":
            raise CommandError("只适用于 PostgreSQL。")
        if not ROLE_NAME.match(role):
            raise CommandError("角色名只能由小写字母、数字和下划线组成，且不以数字开头。")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
            owner, _ = cursor.fetchone()
            if owner == role:
                raise CommandError("请以数据库所有者身份运行，而不是以应用角色本身运行。")
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE ROLE {connection.ops.quote_name(role)}")
            for statement in app_role_grants(role):
                cursor.execute(statement)
            cursor.execute(
                "SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = %s)",
                [role],
            )
            owned = cursor.fetchone()[0]
        if owned:
            raise CommandError(
                f"角色 {role} 拥有 {owned} 个数据库对象；应用角色不应拥有任何对象，请由所有者接管。"
            )
        self.stdout.write(
            self.style.SUCCESS(f"角色 {role} 已就绪：可读写业务表，时间线与锚定只能读取和追加。")
        )
