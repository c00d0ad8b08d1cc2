from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "项目"

    def ready(self):
        from core.letters import letter_storage_register
        from core.timeline import timeline_appended

        from .actions import action_register
        from .attention import timeline_appended_receiver
        from .grants import GRANT_ACCESS
        from .locks import project_lock
        from .services import document_version_add

        action_register(GRANT_ACCESS)
        # An issued letter's PDF is one of the project's documents, stored like an upload. A letter numbered
        # before the project was archived still gets its PDF afterwards (its number is already on the record;
        # the rendering completes it): the lock admits an archived project here (projects.readonly).
        letter_storage_register(
            lock_project=lambda project_id: project_lock(project_id, archived_ok=True),
            store=document_version_add,
        )
        # What needs attention on the home pages follows every change of a project's records.
        timeline_appended.connect(timeline_appended_receiver, dispatch_uid="projects.pending_deadlines")
