from django.apps import AppConfig


class AcceptanceConfig(AppConfig):
    name = "acceptance"
    verbose_name = "建设与验收"

    def ready(self):
        from projects.actions import action_register
        from projects.panels import panel_register
        from projects.transitions import transition_record_register

        from .actions import ACCEPTANCE_ACTIONS, TRANSITION_RECORDS
        from .construction_actions import CONSTRUCTION_ACTIONS
        from .construction_context import construction_page_context
        from .context import project_page_context

        action_register(*ACCEPTANCE_ACTIONS, *CONSTRUCTION_ACTIONS)
        panel_register("stage", project_page_context)
        panel_register("construction", construction_page_context)
        for name, record in TRANSITION_RECORDS.items():
            transition_record_register(name, record)
