from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = "信息资源共享"

    def ready(self):
        from projects.actions import action_register

        from .actions import SHARING_ACTIONS

        action_register(*SHARING_ACTIONS)
