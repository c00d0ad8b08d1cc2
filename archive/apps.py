from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    """The archive (docs/decisions/0004): what the auditors read years later — a project's whole record as one
    package with a verifiable manifest, and the search over every stage's records. It reads every stage's
    records, so it sits above the stage apps."""

    name = "archive"
    verbose_name = "档案"

    def ready(self):
        from core.exports import export_register
        from projects.actions import action_register
        from projects.panels import panel_register

        from .actions import ARCHIVE_ACTIONS
        from .context import project_page_context
        from .reading_room import ROOM_EXPORT
        from .signals import signals_connect

        action_register(*ARCHIVE_ACTIONS)
        export_register(ROOM_EXPORT)
        panel_register("archive", project_page_context)
        signals_connect()
