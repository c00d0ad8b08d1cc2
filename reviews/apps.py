from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "评审与立项"

    def ready(self):
        from auditlog.registry import auditlog

        from projects.actions import action_register

        from .actions import REVIEW_ACTIONS
        from .models import ExpertConflict, ExpertProfile

        # The expert library has no project timeline: its changes go to the platform's audit log (审计管理员).
        auditlog.register(ExpertProfile)
        auditlog.register(ExpertConflict)
        action_register(*REVIEW_ACTIONS)
