from django.apps import AppConfig


class AcceptanceConfig(AppConfig):
    name = "acceptance"
    verbose_name = "建设与验收"

    def ready(self):
        from projects.actions import action_register
        from projects.checks import fact_register
        from projects.panels import panel_register
        from projects.transitions import transition_record_register

        from . import group
        from .actions import ACCEPTANCE_ACTIONS, TRANSITION_RECORDS
        from .change_review import change_reviews_pending
        from .change_review_actions import CHANGE_REVIEW_ACTIONS
        from .construction_actions import CONSTRUCTION_ACTIONS
        from .construction_context import construction_page_context
        from .context import project_page_context
        from .group_actions import GROUP_ACTIONS
        from .group_context import group_page_context
        from .handover import HANDOVER_ACTIONS, asset_handover_fact, handover_page_context

        action_register(*ACCEPTANCE_ACTIONS, *CONSTRUCTION_ACTIONS, *GROUP_ACTIONS)
        action_register(*HANDOVER_ACTIONS)
        action_register(*CHANGE_REVIEW_ACTIONS)
        fact_register("change_reviews_pending", change_reviews_pending)
        panel_register("asset_handover", handover_page_context)
        fact_register("asset_handover", asset_handover_fact)
        panel_register("stage", project_page_context)
        panel_register("acceptance_group", group_page_context)
        fact_register("acceptance_letter", group.acceptance_letter_fact)
        fact_register("acceptance_opinions_missing", group.opinions_missing)
        fact_register("acceptance_condition_votes", group.condition_votes)
        panel_register("construction", construction_page_context)
        for name, record in TRANSITION_RECORDS.items():
            transition_record_register(name, record)
