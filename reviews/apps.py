from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "评审与立项"

    def ready(self):
        from auditlog.registry import auditlog

        from core.letters import letter_ready_register
        from core.models import Letter
        from projects.actions import action_register
        from projects.panels import panel_register

        from .actions import REVIEW_ACTIONS
        from .issuing import review_opinion_attach
        from .models import ExpertConflict, ExpertProfile
        from .page import review_panel_context

        # The expert library has no project timeline: its changes go to the platform's audit log (审计管理员).
        auditlog.register(ExpertProfile)
        auditlog.register(ExpertConflict)
        action_register(*REVIEW_ACTIONS)
        # The 台账 is built by a worker (core.exports), asked for from the plan page or the API.
        from core.exports import export_register

        from .ledger import LEDGER_EXPORT

        export_register(LEDGER_EXPORT)
        letter_ready_register(Letter.Kind.REVIEW_OPINION, review_opinion_attach)
        panel_register("review", review_panel_context)

        # The facts the policies' checks read (projects.checks.fact_register): the panel and its scores.
        from projects.checks import fact_register

        from .selectors import panel_conflicts, panel_fields_uncovered, review_scores_missing

        fact_register("panel_conflicts", panel_conflicts)
        fact_register("panel_fields_uncovered", panel_fields_uncovered)
        fact_register("review_scores_missing", review_scores_missing)
