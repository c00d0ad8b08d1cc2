"""Deadlines (期限) the regulations set, computed per project from its records.

A policy lists its deadline rules beside its checks; each rule reads the same `CheckContext` the checks
read, so a window a check enforces and the deadline a page shows are one computation. A deadline that
depends on a year whose holiday schedule is not entered says so instead of guessing."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.db import models
from django.db.models import F

from core.enums import Role
from core.lookups import AnyOf
from core.workdays import UnknownYear, chinese_date

from .checks import VERSIONS_PREFETCHED, CheckContext

DUE_SOON_DAYS = 5  # calendar days before the last day: about three working days


class DeadlineStatus(models.TextChoices):
    UPCOMING = "upcoming", "未开始"
    OPEN = "open", "可办理"
    DUE = "due", "待办"
    DUE_SOON = "due_soon", "即将到期"
    OVERDUE = "overdue", "已逾期"
    MET = "met", "已按期完成"
    LATE = "late", "逾期完成"
    UNKNOWN = "unknown", "无法计算"


# The statuses a role's home page and the daily job act on.
ATTENTION = frozenset({DeadlineStatus.DUE_SOON, DeadlineStatus.OVERDUE, DeadlineStatus.UNKNOWN})


@dataclass(frozen=True)
class Deadline:
    code: str
    label: str
    requirement: str
    source: str
    owner: str
    due_on: date | None = None
    opens_on: date | None = None
    done_on: date | None = None
    period: str = ""
    note: str = ""
    soon_days: int = DUE_SOON_DAYS
    cancels: bool = False
    status: str = ""

    def status_on(self, today: date) -> str:
        if self.done_on is not None:
            late = self.due_on is not None and self.done_on > self.due_on
            return DeadlineStatus.LATE if late else DeadlineStatus.MET
        if self.note and self.due_on is None and self.opens_on is None:
            return DeadlineStatus.UNKNOWN
        if self.opens_on is not None and today < self.opens_on:
            return DeadlineStatus.UPCOMING
        if self.due_on is None:
            return DeadlineStatus.OPEN
        if today > self.due_on:
            return DeadlineStatus.OVERDUE
        if (self.due_on - today).days <= self.soon_days:
            return DeadlineStatus.DUE_SOON
        return DeadlineStatus.DUE

    @property
    def status_label(self) -> str:
        return DeadlineStatus(self.status).label if self.status else ""

    @property
    def owner_label(self) -> str:
        return Role(self.owner).label

    @property
    def message(self) -> str:
        """One sentence for a warning: what is due, by when, and under which article."""
        when = f"（截止{chinese_date(self.due_on)}）" if self.due_on else ""
        state = {
            DeadlineStatus.OVERDUE: "已逾期",
            DeadlineStatus.DUE_SOON: "即将到期",
            DeadlineStatus.UNKNOWN: "无法计算",
        }.get(self.status, self.status_label)
        text = f"{self.label}{state}{when}：{self.requirement}"
        return f"{text}。{self.note}" if self.note else text

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "label": self.label,
            "requirement": self.requirement,
            "source": self.source,
            "owner": self.owner,
            "period": self.period,
            "opens_on": self.opens_on,
            "due_on": self.due_on,
            "done_on": self.done_on,
            "status": self.status,
            "status_label": self.status_label,
            "note": self.note,
        }


def month_periods(start: date, today: date, months: int = 1) -> list[tuple[str, date, date]]:
    """The reporting periods of `months` months each from `start`'s month up to the one holding `today`:
    (key "YYYY-MM" of its first month, first day, last day). A report names the period by its key."""
    months = max(1, int(months or 1))
    found = []
    index, last_index = start.year * 12 + start.month - 1, today.year * 12 + today.month - 1
    while index <= last_index:
        year, month = divmod(index, 12)
        end_year, end_month = divmod(index + months, 12)
        found.append(
            (
                f"{year:04d}-{month + 1:02d}",
                date(year, month + 1, 1),
                date(end_year, end_month + 1, 1) - timedelta(days=1),
            )
        )
        index += months
    return found


@dataclass(frozen=True)
class DeadlineRule:
    """A deadline of a regulation. `compute` yields, for the project as it stands, zero or more dicts of
    the Deadline's dates (`opens_on`, `due_on`, `done_on`, `period`, `note`); nothing when it does not
    apply (yet)."""

    code: str
    label: str
    article: str
    requirement: str
    compute: Callable[[CheckContext], Iterable[dict]]
    owner: str = Role.DEPARTMENT
    soon_days: int = DUE_SOON_DAYS
    # Overdue, the project is cancelled by the daily job (an approval unused within its validity).
    cancels: bool = False
    # The states in which this deadline can still be pending (due, due soon, overdue): a home page looks for
    # what needs attention only among projects in one of them. Empty: it is known only once met.
    pending_in: frozenset[str] = frozenset()


def project_deadlines(
    project, *, today: date | None = None, ctx: CheckContext | None = None
) -> list[Deadline]:
    """Every deadline of the project's regulation that applies to it now, each with its status today."""
    if ctx is None:
        ctx = CheckContext.shared(project) if today is None else CheckContext(project, today=today)
    policy = project.policy
    found = []
    for rule in policy.deadlines:
        base = Deadline(
            code=rule.code,
            label=rule.label,
            requirement=rule.requirement,
            source=policy.cite(rule.article),
            owner=rule.owner,
            soon_days=rule.soon_days,
            cancels=rule.cancels,
        )
        try:
            dates = list(rule.compute(ctx))
        except UnknownYear as exc:
            dates = [{"note": exc.message}]
        for values in dates:
            deadline = replace(base, **values)
            found.append(replace(deadline, status=deadline.status_on(ctx.today)))
    return sorted(found, key=lambda d: (d.due_on or d.opens_on or date.max, d.code, d.period))


class _PrefetchedRows(models.QuerySet):
    """A project's rows of one relation, read with every other project's in one query. Reading them (`all()`,
    iterating, `len`, `count`, `exists`) asks nothing more; anything that would build another query (a filter,
    an ordering) is asked of the database as the relation's own manager would, so it stays correct."""

    def _chain(self):
        manager, field, instance = self._relation_instance
        return manager.filter(**{field: instance})._chain()


def _prefetch_reverse(instances: list, name: str) -> list:
    """Prefetch the one-to-many relation `name` of `instances` in one query, without building a queryset
    per instance as `prefetch_related_objects` does (a tenth of a millisecond each: most of the daily job's
    time at a province's scale). The rows fetched."""
    if not instances:
        return []
    model = type(instances[0])
    relation = model._meta.get_field(name)
    related, fk = relation.related_model, relation.field
    manager = related._default_manager
    rows = list(manager.filter(AnyOf(F(fk.attname), [i.pk for i in instances])))
    grouped: dict = {}
    attname, set_cached = fk.attname, fk.set_cached_value
    by_pk = {instance.pk: instance for instance in instances}
    for row in rows:
        key = getattr(row, attname)
        grouped.setdefault(key, []).append(row)
        set_cached(row, by_pk[key])  # row.project is the instance, no query
    shared = manager.none().query  # never run nor changed: any new query is the manager's
    cache_name = fk.remote_field.cache_name
    for instance in instances:
        qs = _PrefetchedRows(model=related, query=shared)
        qs._result_cache, qs._prefetch_done = grouped.get(instance.pk) or [], True
        qs._relation_instance = (manager, fk.name, instance)
        instance.__dict__.setdefault("_prefetched_objects_cache", {})[cache_name] = qs
    return rows


def _is_reverse_many(model, name: str) -> bool:
    try:
        field = model._meta.get_field(name)
    except Exception:
        return False
    return field.one_to_many and field.auto_created and not field.concrete


@dataclass(frozen=True)
class _DocumentSeen:
    pk: int
    project_id: int
    kind: str


@dataclass(frozen=True)
class _VersionSeen:
    """What a deadline reads of a document version (`CheckContext.versions_of`, `first_upload_on`): its
    document's kind and when it was uploaded. A read model for the deadline pass, not a model instance."""

    pk: int
    number: int
    uploaded_at: datetime
    document: _DocumentSeen


def _versions_prefetch(projects: list) -> None:
    """The projects' document versions as `CheckContext.versions` gives them to the deadline rules, in one
    query of four columns (building model instances of every version and document was most of the daily
    job's time)."""
    from .models import DocumentVersion

    by_project: dict = {project.pk: [] for project in projects}
    documents: dict = {}
    for pk, number, uploaded_at, document_id, project_id, kind in (
        DocumentVersion.objects.filter(AnyOf(F("document__project_id"), list(by_project)))
        .order_by("document_id", "number")
        .values_list("pk", "number", "uploaded_at", "document_id", "document__project_id", "document__kind")
    ):
        document = documents.get(document_id)
        if document is None:
            document = documents[document_id] = _DocumentSeen(document_id, project_id, kind)
        by_project[project_id].append(_VersionSeen(pk, number, uploaded_at, document))
    for project in projects:
        project.__dict__[VERSIONS_PREFETCHED] = by_project[project.pk]


def deadline_records_prefetch(projects: list) -> None:
    """Every record the deadline rules read (`checks.DEADLINE_PREFETCH`), one query a relation for the lot.
    The document versions in one query with their documents; the other one-to-many relations, and one level
    under them, the fast way; the others as Django prefetches them."""
    from django.db.models import prefetch_related_objects

    from .checks import DEADLINE_PREFETCH

    if not projects:
        return
    rest = []
    for lookup in DEADLINE_PREFETCH:
        if lookup == "documents__versions":
            _versions_prefetch(projects)
            continue
        first, _, deeper = lookup.partition("__")
        if not _is_reverse_many(type(projects[0]), first):
            rest.append(lookup)
            continue
        rows = _prefetch_reverse(projects, first)
        if deeper:
            if "__" not in deeper and rows and _is_reverse_many(type(rows[0]), deeper):
                _prefetch_reverse(rows, deeper)
            elif rows:
                prefetch_related_objects(rows, deeper)
    prefetch_related_objects(projects, *rest)


def deadlines_for_projects(projects, *, today: date | None = None) -> dict[int, list[Deadline]]:
    """Deadlines of many projects at a constant number of queries: the projects' records are prefetched once."""
    projects = list(projects)
    deadline_records_prefetch(projects)
    calendar = None
    result = {}
    for project in projects:
        ctx = CheckContext(project, today=today)
        if calendar is not None:
            ctx.__dict__["calendar"] = calendar  # one holiday table read for the whole list
        result[project.pk] = project_deadlines(project, ctx=ctx)
        calendar = ctx.calendar
    return result
