"""Reads of projects, always limited to what the reader may see."""

from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.http import FileResponse

from core.enums import Role
from core.errors import NotFound
from core.models import TimelineEntry

from .deadlines import ATTENTION, Deadline, DeadlineStatus, deadlines_for_projects
from .enums import TERMINAL_STATES, ProjectState
from .models import Document, DocumentVersion, Project
from .rules import JURISDICTION_WIDE_ROLES, RETURNED_DRAFT_ROLES


def jurisdiction_wide_visibility(user) -> Q | None:
    """For the roles that see their whole jurisdiction (the BDC, finance, the auditor …): what they see, as a
    condition on a project's own `state`, `declared_at` and `organisation` — so a table that mirrors those
    three (the search index) can apply it without joining the projects. None for every other role.

    Nobody but the department sees a draft; the BDC and the auditor still see one returned for revision."""
    if user.role not in JURISDICTION_WIDE_ROLES:
        return None
    seen = ~Q(state=ProjectState.DRAFT)
    if user.role in RETURNED_DRAFT_ROLES:
        seen |= Q(state=ProjectState.DRAFT, declared_at__isnull=False)
    return seen & Q(organisation__jurisdiction_id=user.organisation.jurisdiction_id)


def project_visible_to(user) -> QuerySet[Project]:
    """The same rules as `projects.rules.can_view`, as one query."""
    base = Project.objects.all()
    if not user.is_authenticated or (user.organisation_id is None and user.role != Role.EXPERT):
        return base.none()
    if user.role == Role.DEPARTMENT:
        return base.filter(
            Q(organisation_id=user.organisation_id) | Q(co_builders=user.organisation_id)
        ).distinct()
    wide = jurisdiction_wide_visibility(user)
    if wide is not None:
        return base.filter(wide)
    not_draft = ~Q(state=ProjectState.DRAFT)
    if user.role == Role.EXPERT:
        return base.filter(not_draft, panel__expert__user=user, panel__active=True).distinct()
    if user.role == Role.SUPERVISOR:
        # The company that supervises it now: one replaced by a later assignment no longer sees it.
        return base.filter(
            not_draft,
            supervisor_assignments__organisation_id=user.organisation_id,
            supervisor_assignments__ended_at__isnull=True,
        ).distinct()
    return base.none()


def project_list(*, user, filters: dict | None = None) -> QuerySet[Project]:
    filters = filters or {}
    qs = project_visible_to(user).select_related("organisation")
    if filters.get("state"):
        qs = qs.filter(state=filters["state"])
    if filters.get("year"):
        qs = qs.filter(year=filters["year"])
    if filters.get("organisation"):
        qs = qs.filter(organisation_id=filters["organisation"])
    if filters.get("q"):
        qs = qs.filter(Q(name__icontains=filters["q"]) | Q(code__icontains=filters["q"]))
    return qs.order_by("-created_at", "-id")


def project_get(*, user, pk) -> Project | None:
    """The project if the user may see it; None both when it does not exist and when it is not theirs."""
    return (
        project_visible_to(user)
        .select_related("organisation__jurisdiction", "created_by")
        .filter(pk=pk)
        .first()
    )


def project_documents(*, project) -> list[Document]:
    versions = DocumentVersion.objects.select_related("uploaded_by").order_by("-number")
    return list(
        project.documents.prefetch_related(Prefetch("versions", queryset=versions)).order_by("kind", "id")
    )


def project_timeline(*, project) -> QuerySet[TimelineEntry]:
    return TimelineEntry.objects.filter(project=project).order_by("seq")


def document_version_file(*, project, version_id) -> FileResponse:
    """A version of one of the project's documents as a download under its original name. The caller has
    checked `projects.view_documents`; a version of another project is as absent as a missing one."""
    version = (
        DocumentVersion.objects.select_related("document")
        .filter(pk=version_id, document__project=project)
        .first()
    )
    if version is None:
        raise NotFound("文档不存在。")
    try:
        handle = version.file.open("rb")
    except OSError:
        raise NotFound("文档文件已不在存储中，请联系系统管理员。") from None
    return FileResponse(
        handle, as_attachment=True, filename=version.original_name, content_type=version.content_type
    )


# Roles whose home page lists only their own duties: the department's reports, the supervisor's reports.
OWN_DUTIES_ROLES = frozenset({Role.DEPARTMENT, Role.SUPERVISOR})
HOME_DEADLINE_PROJECTS = 500  # the most recently active projects a home page computes deadlines for


def deadlines_needing_attention(*, user, today=None) -> list[tuple[Project, Deadline]]:
    """Deadlines due soon, overdue or not computable, of the projects the user sees, for their home page:
    a department its own projects' duties, the reviewing body everyone's, finance and audit what is
    overdue. Oldest due first. A constant number of queries however many projects."""
    from .policies import VERSIONS

    pending = Q(pk__in=[])
    for (code, version), policy in VERSIONS.items():
        if policy.pending_states:
            pending |= Q(policy_code=code, policy_version=version, state__in=policy.pending_states)
    projects = list(
        project_visible_to(user)
        .filter(pending)
        .exclude(state__in=TERMINAL_STATES)
        .select_related("organisation")
        .order_by("-updated_at", "-id")[:HOME_DEADLINE_PROJECTS]
    )
    found = deadlines_for_projects(projects, today=today)
    wanted = set(ATTENTION)
    if user.role in (Role.FINANCE, Role.AUDITOR):
        wanted = {DeadlineStatus.OVERDUE}
    rows = [
        (project, d)
        for project in projects
        for d in found[project.pk]
        if d.status in wanted and (user.role not in OWN_DUTIES_ROLES or d.owner == user.role)
    ]
    return sorted(rows, key=lambda row: (row[1].due_on or row[1].opens_on or date.max, row[0].code))
