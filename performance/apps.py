from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    """Performance management (docs/decisions/0008): targets set at declaration, the self-evaluation 12–24
    months after acceptance, finance's re-evaluation of a sample, third-party evaluations — a regime of its own
    that outlives acceptance. Above acceptance (it reads the acceptance date through the policies' checks) and
    below the archive (which packs its records)."""

    name = "performance"
    verbose_name = "绩效管理"

    def ready(self):
        from projects.actions import action_register
        from projects.checks import fact_register
        from projects.panels import panel_register

        from .actions import PERFORMANCE_ACTIONS
        from .context import project_page_context
        from .facts import FACTS

        action_register(*PERFORMANCE_ACTIONS)
        panel_register("performance", project_page_context)
        for name, fn in FACTS.items():
            fact_register(name, fn)
