"""The archive's part of the project page: the packages made of it, for those who may export one."""

from projects.actions import actor_allowed
from projects.enums import ProjectState

from .models import ArchivePackage
from .reading_room import reading_room_allowed

SHOWN = 5


def project_page_context(*, project, user, forms) -> dict:
    """The packages (for who may export one) and, once archived, the addenda (补记) and the reading room."""
    archived = project.state == ProjectState.ARCHIVED
    context = {
        "archive_archived": archived,
        "archive_addenda": list(project.addenda.select_related("created_by").order_by("created_at", "id"))
        if archived
        else [],
        "archive_reading_room": archived and reading_room_allowed(user),
    }
    if project.state == "draft" or not actor_allowed(project, "export_archive", user):
        return {"archive_packages": None, **context}
    packages = list(
        ArchivePackage.objects.filter(project=project)
        .select_related("requested_by")
        .order_by("-requested_at", "-id")[:SHOWN]
    )
    return {
        **context,
        "archive_packages": packages,
        "archive_pending": any(not p.is_done for p in packages),
    }
