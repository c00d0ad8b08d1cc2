"""预警: the daily watch over every project's deadlines. Records each new warning once, on the project's
timeline too, and cancels approvals left unused past their validity (wendeng-2021 第十七条)."""

from datetime import date

from django.db import transaction

from core.timeline import timeline_append
from core.workdays import chinese_date

from .deadlines import Deadline, DeadlineStatus, deadlines_for_projects
from .enums import TERMINAL_STATES
from .locks import project_lock
from .models import DeadlineWarning, Project

CHUNK = 200
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


def deadlines_check(*, today: date) -> dict[str, int]:
    """One pass over every project still under way. Run it twice, it records nothing twice."""
    counts = {"projects": 0, "warnings": 0, "cancelled": 0}
    ids = list(Project.objects.exclude(state__in=TERMINAL_STATES).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        projects = list(Project.objects.filter(pk__in=ids[start : start + CHUNK]).order_by("pk"))
        found = deadlines_for_projects(projects, today=today)
        for project in projects:
            counts["projects"] += 1
            for deadline in found[project.pk]:
                if deadline.status == DeadlineStatus.OVERDUE and deadline.cancels:
                    counts["cancelled"] += _expire(project, deadline)
                    break
                if deadline.status in LEVELS and deadline_warning_record(project=project, deadline=deadline):
                    counts["warnings"] += 1
    return counts
