from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = "信息资源共享"

    def ready(self):
        from projects.actions import action_register
        from projects.panels import panel_register

        from .actions import SHARING_ACTIONS
        from .views import catalogue_panel_context

        action_register(*SHARING_ACTIONS)
        panel_register("catalogue", catalogue_panel_context)
