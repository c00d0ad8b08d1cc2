from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "组织与权限"

    def ready(self):
        from auditlog.registry import auditlog

        from . import checks, signals  # noqa: F401
        from .models import ExportJob, Jurisdiction, Organisation, User

        # The platform's own audit log (read by the 审计管理员): every change to accounts and organisations.
        auditlog.register(User, exclude_fields=["password", "last_login"])
        auditlog.register(Organisation)
        auditlog.register(Jurisdiction)
        # Every export asked for, and what became of it (who, what, with which parameters, when ready).
        auditlog.register(
            ExportJob, include_fields=["name", "title", "params", "status", "file_name", "error"]
        )
