"""What the construction-watch modules share: the states they act in, the jurisdiction's settings, the lock that
checks the acting body and the state, storing an attachment, and the reporting periods."""

from datetime import date

from django.utils import timezone

from core.enums import Role
from core.errors import Conflict, NotPermitted
from projects.actions import actor_allowed
from projects.enums import ProjectState
from projects.locks import project_lock

WATCH_STATES = frozenset(
    {
        ProjectState.CONSTRUCTION,
        ProjectState.SUSPENDED,
        ProjectState.PRELIMINARY_ACCEPTANCE,
        ProjectState.FINAL_ACCEPTANCE,
        ProjectState.RECTIFYING,
    }
)
SCORE_STATES = frozenset(
    {
        ProjectState.PRELIMINARY_ACCEPTANCE,
        ProjectState.FINAL_ACCEPTANCE,
        ProjectState.RECTIFYING,
        ProjectState.EVALUATION,
    }
)
ESCALATION_STATES = WATCH_STATES

DEFAULT_ESCALATION_WORKDAYS = 10
DEFAULT_VARIANCE_DAYS = 30


def _settings(project, name: str, default: int) -> int:
    from projects.checks import CheckContext

    return CheckContext(project).oversight_value(name, default)


def _lock(project, by, name: str, label: str, states) -> object:
    if not actor_allowed(project, name, by):
        raise NotPermitted(f"无权{label}。")
    locked = project_lock(project.pk, by)
    if locked.state not in states:
        raise Conflict(f"项目当前状态为“{locked.get_state_display()}”，不能{label}。")
    return locked


def _stored(locked, by, kind: str, file, title: str):
    from ..services import _stored as stored

    return stored(locked, by, kind, file, title) if file else None


def period_choices(project, setting: str, today: date | None = None) -> list[tuple[str, str]]:
    """The reporting periods from the contract's signing to today, newest first, as the deadlines count them."""
    from projects.checks import CheckContext
    from projects.deadlines import month_periods

    ctx = CheckContext.shared(project)
    start = ctx.contract_filing.signed_on if ctx.contract_filing else None
    today = today or timezone.localdate()
    if start is None:
        return [(today.strftime("%Y-%m"), f"{today.year}年{today.month}月")]
    months = ctx.oversight_value(setting, 1)
    found = []
    for key, first, last in month_periods(start, today, months):
        label = f"{first.year}年{first.month}月" + (f"至{last.year}年{last.month}月" if months > 1 else "")
        found.append((key, label))
    return list(reversed(found))


def department_role_owner(user, project) -> bool:
    return user.role == Role.DEPARTMENT and project.organisation_id == user.organisation_id
