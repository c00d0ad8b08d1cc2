"""预警: the daily watch over every project's deadlines. Records each new warning once, on the project's
timeline too, and cancels approvals left unused past their validity (wendeng-2021 第十七条)."""

from datetime import date

from django.db import transaction

from core.timeline import timeline_append
from core.workdays import chinese_date

from .deadlines import Deadline, DeadlineStatus, deadlines_for_projects
from .locks import project_lock
from .models import CHAPTER_FIELDS, DeadlineWarning, Project

CHUNK = 500
LEVELS = {
    DeadlineStatus.DUE_SOON: DeadlineWarning.Level.DUE_SOON,
    DeadlineStatus.OVERDUE: DeadlineWarning.Level.OVERDUE,
    DeadlineStatus.UNKNOWN: DeadlineWarning.Level.UNKNOWN,
}


def _period(deadline: Deadline) -> str:
    """Which occurrence of the deadline: the year of an annual report, else its last day."""
    if deadline.period:
        return deadline.period
    return deadline.due_on.isoformat() if deadline.due_on else "-"


def deadline_warning_record(*, project: Project, deadline: Deadline) -> DeadlineWarning | None:
    """The warning for this deadline at its level, unless it was recorded before."""
    level = LEVELS[deadline.status]
    with transaction.atomic():
        locked = project_lock(project.pk)
        warning, created = DeadlineWarning.objects.get_or_create(
            project=locked,
            code=deadline.code,
            period=_period(deadline),
            level=level,
            defaults={
                "due_on": deadline.due_on or deadline.opens_on or date.min,
                "message": deadline.message[:500],
                "source": deadline.source[:200],
            },
        )
        if not created:
            return None
        timeline_append(
            project=locked,
            action="projects.deadline.warn",
            label=f"预警：{deadline.label}{DeadlineWarning.Level(level).label}",
            actor=None,
            comment=deadline.message,
            checks=[
                {
                    "code": deadline.code,
                    "severity": "warn",
                    "passed": False,
                    "message": deadline.message,
                    "source": deadline.source,
                }
            ],
            data={"due_on": deadline.due_on, "period": warning.period, "level": level},
        )
    return warning


def _expire(project: Project, deadline: Deadline) -> bool:
    from core.errors import ApplicationError

    from .services import project_transition

    comment = f"核准文件有效期至{chinese_date(deadline.due_on)}，有效期内未启动建设，项目自动取消（{deadline.source}）。"
    try:
        project_transition(project_id=project.pk, name="cancel", by=None, data={"comment": comment})
    except ApplicationError:
        return False  # started or changed meanwhile: nothing to cancel
    return True


def _recorded(projects) -> set[tuple[int, str, str, str]]:
    """The warnings already recorded for these projects, as (project, code, period, level): one query a chunk,
    so a warning recorded before costs no lock and no query on the next run."""
    return set(
        DeadlineWarning.objects.filter(project_id__in=[p.pk for p in projects]).values_list(
            "project_id", "code", "period", "level"
        )
    )


def deadlines_check(*, today: date) -> dict[str, int]:
    """One pass over every project still under way in a state where a deadline can be pending, `CHUNK` projects
    at a time by id (each chunk's records prefetched together, nothing of an earlier chunk kept): memory stays
    that of one chunk however many projects there are. Each chunk also refreshes the projects' stored pending deadlines (projects.attention).
    Run it twice, it records nothing twice."""
    from .attention import pending_deadlines_store, pending_deadlines_untracked_delete, tracked_filter

    counts = {"projects": 0, "warnings": 0, "cancelled": 0}
    # Only the projects in a state where a deadline of their policy can be pending (a deadline, its warning
    # and a lapse all are pending ones); the others' stored deadlines are removed once, below.
    live = (
        Project.objects.filter(tracked_filter())
        .select_related("organisation")
        .defer(*CHAPTER_FIELDS.values())  # the plan's seven chapters: no deadline reads them, most of a row
        .order_by("pk")
    )
    last = 0
    while projects := list(live.filter(pk__gt=last)[:CHUNK]):
        last = projects[-1].pk
        found = deadlines_for_projects(projects, today=today)
        recorded = _recorded(projects)
        cancelled = set()
        for project in projects:
            counts["projects"] += 1
            for deadline in found[project.pk]:
                if deadline.status == DeadlineStatus.OVERDUE and deadline.cancels:
                    if _expire(project, deadline):
                        counts["cancelled"] += 1
                        cancelled.add(project.pk)  # its pending deadlines went with the transition
                    break
                if deadline.status not in LEVELS:
                    continue
                key = (project.pk, deadline.code, _period(deadline), LEVELS[deadline.status])
                if key not in recorded and deadline_warning_record(project=project, deadline=deadline):
                    counts["warnings"] += 1
        pending_deadlines_store([p for p in projects if p.pk not in cancelled], found, today=today)
    pending_deadlines_untracked_delete()
    return counts
