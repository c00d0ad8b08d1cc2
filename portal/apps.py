from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The pages that gather every app's work (the home page of each role) and the demo seed: the layer above
    core, projects and the stage apps, so that none of those reaches up (docs/decisions/0003)."""

    name = "portal"
    verbose_name = "工作台"
