from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "组织与权限"

    def ready(self):
        from . import signals  # noqa: F401
