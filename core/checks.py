"""System checks of the deployment that need the database: run with `manage.py check --deploy --database default`."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import connections


@register(Tags.database)
def database_role_check(app_configs, databases=None, **kwargs):
    """The application must not connect as a superuser or as the owner of the timeline: either could switch
    the append-only triggers off (docs/operations.md, "The database roles")."""
    problems = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT r.rolsuper, t.tableowner = current_user FROM pg_roles r "
                "LEFT JOIN pg_tables t ON t.tablename = 'core_timelineentry' WHERE r.rolname = current_user"
            )
            superuser, owner = cursor.fetchone()
        if superuser or owner:
            kind = Warning if settings.DEBUG else Error
            what = "超级用户" if superuser else "时间线表的所有者"
            problems.append(
                kind(
                    f"数据库连接“{alias}”以{what}身份连接：它能关闭时间线的只追加触发器。",
                    hint="应用以 manage.py db_app_role 建立的角色连接；迁移另以所有者运行。",
                    id="core.E012",
                )
            )
    return problems
