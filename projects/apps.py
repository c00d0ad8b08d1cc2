from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "项目"

    def ready(self):
        from .actions import action_register
        from .grants import GRANT_ACCESS

        action_register(GRANT_ACCESS)
