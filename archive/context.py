"""The archive's part of the project page: the packages made of it, for those who may export one."""

from projects.actions import actor_allowed

from .models import ArchivePackage

SHOWN = 5


def project_page_context(*, project, user, forms) -> dict:
    if project.state == "draft" or not actor_allowed(project, "export_archive", user):
        return {"archive_packages": None}
    packages = list(
        ArchivePackage.objects.filter(project=project)
        .select_related("requested_by")
        .order_by("-requested_at", "-id")[:SHOWN]
    )
    return {
        "archive_packages": packages,
        "archive_pending": any(not p.is_done for p in packages),
    }
