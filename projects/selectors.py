"""Reads of projects, always limited to what the reader may see."""

from django.db.models import Prefetch, Q, QuerySet

from core.enums import Role
from core.models import TimelineEntry

from .models import Document, DocumentVersion, Project
from .rules import JURISDICTION_WIDE_ROLES


def project_visible_to(user) -> QuerySet[Project]:
    """The same rules as `projects.rules.can_view`, as one query."""
    base = Project.objects.all()
    if not user.is_authenticated or (user.organisation_id is None and user.role != Role.EXPERT):
        return base.none()
    if user.role == Role.DEPARTMENT:
        return base.filter(
            Q(organisation_id=user.organisation_id) | Q(co_builders=user.organisation_id)
        ).distinct()
    if user.role in JURISDICTION_WIDE_ROLES:
        return base.filter(organisation__jurisdiction_id=user.organisation.jurisdiction_id)
    if user.role == Role.EXPERT:
        return base.filter(panel__expert__user=user, panel__active=True).distinct()
    if user.role == Role.SUPERVISOR:
        return base.filter(supervisor_assignments__organisation_id=user.organisation_id).distinct()
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
