"""The one way a service locks a project's row: `project_lock`, inside the caller's transaction.

Lock order, everywhere: the Project first, then whatever of it the service changes (a Letter, a panel member,
a change request), so two services on one project wait for each other instead of deadlocking."""

from django.db import transaction

from core.errors import NotFound

from .models import Project
from .readonly import project_writable

NOT_FOUND = "项目不存在或无权查看。"


def project_lock(project_id: int, by=None, *, archived_ok: bool = False) -> Project:
    """The project's row, locked for the rest of the transaction. A project `by` may not see is "not found",
    exactly as a missing one (None: the system itself, e.g. the daily job). An archived project is read-only
    (409, projects.readonly) unless the caller only adds to its record (`archived_ok`: an addendum, a package,
    a reading right; `project_action` passes it and asks the step's states itself)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("project_lock must run inside the transaction that changes the project")
    project = (
        Project.objects.select_for_update(of=("self",))
        .select_related("organisation__jurisdiction")
        .filter(pk=project_id)
        .first()
    )
    if project is None or (by is not None and not by.has_perm("projects.view_project", project)):
        raise NotFound(NOT_FOUND)
    if not archived_ok:
        project_writable(project)
    return project
