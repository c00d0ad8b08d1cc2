"""Reads of projects, always limited to what the reader may see."""

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.http import FileResponse

from core.enums import Role
from core.errors import NotFound
from core.lookups import AnyOf
from core.models import TimelineEntry

from .deadlines import Deadline
from .enums import ProjectState
from .models import Document, DocumentVersion, Project, StateCount
from .rules import JURISDICTION_WIDE_ROLES, RETURNED_DRAFT_ROLES


def jurisdiction_wide_visibility(user, *, declared: Q | None = None) -> Q | None:
    """For the roles that see their whole jurisdiction (the BDC, finance, the auditor …): what they see, as a
    condition on a project's own `state`, `declared_at` and `organisation` — so a table that mirrors those
    three (the search index) can apply it without joining the projects. None for every other role.

    Nobody but the department sees a draft; the BDC and the auditor still see one returned for revision (one
    declared once: `declared`, for a table that keeps that otherwise than as `declared_at`)."""
    if user.role not in JURISDICTION_WIDE_ROLES:
        return None
    seen = ~Q(state=ProjectState.DRAFT)
    if user.role in RETURNED_DRAFT_ROLES:
        seen |= Q(state=ProjectState.DRAFT) & (
            declared if declared is not None else Q(declared_at__isnull=False)
        )
    return seen & Q(organisation__jurisdiction_id=user.organisation.jurisdiction_id)


def project_visible_to(user) -> QuerySet[Project]:
    """The same rules as `projects.rules.can_view`, as one query. What a role sees through another table (the
    co-builders, the panel, the supervision) is a semi-join (EXISTS, or IN over the seats' ids): one row per
    project, no DISTINCT over the projects' wide rows, and the list's order still read off its index."""
    base = Project.objects.all()
    if not user.is_authenticated or (user.organisation_id is None and user.role != Role.EXPERT):
        return base.none()
    if user.role == Role.DEPARTMENT:
        # Its own and those it co-builds, as one set of ids: read off the department's index, whatever the
        # share of the jurisdiction's projects it holds.
        own = Project.objects.filter(organisation_id=user.organisation_id).values("pk")
        co_built = Project.co_builders.through.objects.filter(organisation_id=user.organisation_id)
        return base.filter(pk__in=own.union(co_built.values("project_id")))
    wide = jurisdiction_wide_visibility(user)
    if wide is not None:
        return base.filter(wide)
    not_draft = ~Q(state=ProjectState.DRAFT)
    # An expert or a supervisor sees a handful of projects: the ids come from the seats' tables (a semi-join
    # driven by them), never from a test of every project against each table.
    if user.role == Role.EXPERT:
        seats = _project_ids(base, "panel", expert__user=user, active=True).union(
            _project_ids(base, "acceptance_members", expert__user=user),  # the 验收组
            # The panel drawn to re-review a change (wendeng-2021 第十七条: 重新履行审核手续).
            _project_ids(base, "change_review_members", expert__user=user),
        )
        return base.filter(not_draft, pk__in=seats)
    if user.role == Role.SUPERVISOR:
        # The company that supervises it now: one replaced by a later assignment no longer sees it.
        current = _project_ids(
            base, "supervisor_assignments", organisation_id=user.organisation_id, ended_at__isnull=True
        )
        return base.filter(not_draft, pk__in=current)
    return base.none()


def _project_ids(base: QuerySet[Project], name: str, **conditions) -> QuerySet:
    """The ids of the projects of the rows of a higher app's table (reverse relation `name`) that meet
    `conditions`, reached through the relation so that this module names no higher app."""
    field = base.model._meta.get_field(name).field
    return field.model.objects.filter(**conditions).values(field.attname)


def project_state_counts(user) -> dict[str, int]:
    """How many of the projects the user may see are in each state (the home pages' summary), in constant time
    however many projects there are: on PostgreSQL from the counts the projects table's triggers keep
    (`StateCount`) for the department (its own, plus the few it co-builds) and the roles that see a whole
    jurisdiction; otherwise — SQLite, or a role that sees a handful through another table — counted."""
    from django.db import connection

    wide = jurisdiction_wide_visibility(user, declared=Q(declared=True)) if user.is_authenticated else None
    if connection.vendor == "postgresql" and user.is_authenticated and user.organisation_id:
        if wide is not None:
            kept = StateCount.objects.filter(wide)
            return _summed(kept.values("state").annotate(total=Sum("n")))
        if user.role == Role.DEPARTMENT:
            own = StateCount.objects.filter(organisation_id=user.organisation_id)
            co_built = (
                Project.objects.filter(co_builders=user.organisation_id)
                .exclude(organisation_id=user.organisation_id)
                .order_by()
                .values("state")
                .annotate(total=Count("id"))
            )
            return _summed(own.values("state").annotate(total=Sum("n")), co_built)
    return _summed(project_visible_to(user).order_by().values("state").annotate(total=Count("id")))


# A short term the planner expects in more projects than this is common: the list's order walked with a LIKE
# finds a page (and the capped count) in a few rows each, quicker than fetching every hit off an index.
SHORT_TERM_COMMON = 5000


def short_term_match(q: str, *, few: bool = False) -> tuple:
    """The filter for a `q` of one or two characters (no space) on PostgreSQL, "name or code contains it, any
    case"; () for any other `q`. No trigram holds such a term, and the trigram indexes would answer it with
    every row, so neither form below is theirs:

    - a rare term (the planner's estimate off the statistics of projects 0008's index, one EXPLAIN): membership
      in the characters and character pairs of name and code, off that index;
    - a common one among `few` projects (a department's, read by id): a LIKE over name and code joined by a
      space (which no such term straddles), on no index;
    - a common one over a jurisdiction: () — the plain LIKE, and the list's order walked finds a page in a
      few rows."""
    import json

    from django.contrib.postgres.fields import ArrayField
    from django.contrib.postgres.lookups import DataContains
    from django.db import connection
    from django.db.models import CharField, F, Func, TextField, Value
    from django.db.models.functions import Concat, Upper
    from django.db.models.lookups import Contains

    term = (q or "").strip().upper()
    if connection.vendor != "postgresql" or not 1 <= len(term) <= 2 or any(c.isspace() for c in term):
        return ()
    grams = Func(F("name"), F("code"), function="projects_short_grams", output_field=ArrayField(TextField()))
    rare = DataContains(grams, Value([term], output_field=ArrayField(TextField())))
    sql, params = Project.objects.filter(rare).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"] <= SHORT_TERM_COMMON:
        return (rare,)
    if few:  # a few thousand projects by id: filtered one by one, never through a trigram index
        return (Contains(Upper(Concat(F("name"), Value(" "), F("code"), output_field=CharField())), term),)
    return ()


def _summed(*rows) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in (r for group in rows for r in group):
        counts[row["state"]] = counts.get(row["state"], 0) + row["total"]
    return {state: n for state, n in counts.items() if n}


# The columns the list page shows (projects/_table.html) and the API's list serialises: a list loads no more.
LIST_PAGE_FIELDS = (
    "id",
    "code",
    "name",
    "organisation__id",
    "organisation__name",
    "year",
    "declared_amount",
    "state",
    "declared_at",
    "is_classified",
    "is_emergency",
    "created_at",
)
LIST_COUNT_CAP = 1000  # a list counts its rows up to here; beyond, it says "1,000+"


def _department_listed(user) -> QuerySet[Project] | None:
    """What a department sees, for a list in the list's order: its own, or one it co-builds (a semi-join on
    the co-builders). As one condition on each row (not the union `project_visible_to` gives), PostgreSQL
    reads a page off the list's index and stops after it, instead of sorting every one of the department's
    projects (thousands) to keep thirty; a capped count stops after the cap on the department's index."""
    if user.organisation_id is None:
        return None
    co_built = Project.co_builders.through.objects.filter(organisation_id=user.organisation_id)
    return Project.objects.filter(
        Q(organisation_id=user.organisation_id) | Q(pk__in=co_built.values("project_id"))
    )


def project_list(*, user, filters: dict | None = None) -> QuerySet[Project]:
    """The projects the user sees, newest first, filtered. Every filter has an index that ends in the list's
    order (`Project.Meta.indexes`), and `q` (name or code containing it, any case) a trigram index on
    PostgreSQL (one of characters and their pairs for a `q` of one or two), so a page reads its rows without sorting or scanning the table."""
    filters = filters or {}
    # A department's page off the list's index; but a search tests its terms on each of the department's own
    # rows (`few`), reached through the union of their ids, not by a walk of every project testing both.
    listed = user.is_authenticated and user.role == Role.DEPARTMENT and not filters.get("q")
    qs = _department_listed(user) if listed else None
    qs = (qs if qs is not None else project_visible_to(user)).select_related("organisation")
    if filters.get("state"):
        qs = qs.filter(state=filters["state"])
    if filters.get("year"):
        qs = qs.filter(year=filters["year"])
    if filters.get("organisation"):
        qs = qs.filter(organisation_id=filters["organisation"])
    if filters.get("q"):
        short = short_term_match(filters["q"], few=user.role == Role.DEPARTMENT)  # one or two characters
        qs = (
            qs.filter(*short)
            if short
            else qs.filter(Q(name__icontains=filters["q"]) | Q(code__icontains=filters["q"]))
        )
    return qs.order_by("-created_at", "-id")


def co_builder_briefs(projects) -> dict[int, list[dict]]:
    """The co-builders of `projects` as `{project id: [{id, name}, …]}` (by organisation id), in one query of
    the link table: what a list shows of them, without a prefetch's queryset per project."""
    found: dict[int, list[dict]] = {}
    links = (
        Project.co_builders.through.objects.filter(AnyOf(F("project_id"), [p.pk for p in projects]))
        .order_by("project_id", "organisation_id")
        .values_list("project_id", "organisation_id", "organisation__name")
    )
    for project_id, organisation_id, name in links:
        found.setdefault(project_id, []).append({"id": organisation_id, "name": name})
    return found


def capped_count(qs: QuerySet, cap: int = LIST_COUNT_CAP) -> int:
    """How many rows, counting no further than `cap` + 1: more than `cap` means "cap+"."""
    return qs.order_by()[: cap + 1].count()


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


def deadlines_needing_attention(*, user, today=None) -> list[tuple[Project, Deadline]]:
    """Deadlines due soon, overdue or not computable, of the projects the user sees, for their home page: read
    from the stored table the daily job and every change keep current (`projects.attention`), not recomputed.
    Oldest due first; a constant number of queries however many projects."""
    from .attention import attention_for

    return attention_for(user=user, today=today)
