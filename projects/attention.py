"""What needs attention (期限提醒) on the home pages, kept in a table instead of recomputed per request.

`PendingDeadline` holds, for every project under way, the deadlines `projects.deadlines.project_deadlines` finds
not yet met that can come to attention (a due date, or one that cannot be computed). Each row knows from which
day it needs attention and from which it is overdue, so a home page asks one indexed query "what is due for my
role and jurisdiction by today" and the status is worked out from the dates, as `Deadline.status_on` does.

The rows of a project are recomputed after every change that appends to its timeline (a transition, an action
of any app, an upload, an issued letter: `core.timeline.timeline_appended`, once the transaction commits) and by
the daily job for every project (a deadline a holiday table entered later makes computable, a report period
that opens with the month). A deadline rule a policy adds needs nothing here: the row stores the `Deadline`."""

import logging
from dataclasses import replace
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.enums import Role

from .deadlines import ATTENTION, Deadline, DeadlineStatus, deadlines_for_projects
from .enums import TERMINAL_STATES
from .models import PendingDeadline, Project

log = logging.getLogger(__name__)

# Roles whose home page lists only their own duties: the department's reports, the supervisor's reports.
OWN_DUTIES_ROLES = frozenset({Role.DEPARTMENT, Role.SUPERVISOR})
# Finance and the auditor watch what is overdue only.
OVERDUE_ONLY_ROLES = frozenset({Role.FINANCE, Role.AUDITOR})
HOME_ATTENTION_LIMIT = 100  # the earliest due a home page lists
ALWAYS = date(1, 1, 1)


def _row(project: Project, deadline: Deadline, today: date) -> PendingDeadline | None:
    """The stored form of a deadline not yet met; None for one that never needs attention (met, or open
    with no last day)."""
    if deadline.done_on is not None:
        return None
    if deadline.due_on is None:
        if deadline.status_on(today) != DeadlineStatus.UNKNOWN:
            return None
        attention_from, overdue_from = ALWAYS, None
    else:
        attention_from = deadline.due_on - timedelta(days=deadline.soon_days)
        if deadline.opens_on is not None:
            attention_from = max(attention_from, deadline.opens_on)
        overdue_from = deadline.due_on + timedelta(days=1)
    return PendingDeadline(
        project_id=project.pk,
        organisation_id=project.organisation_id,
        jurisdiction_id=project.organisation.jurisdiction_id,
        project_code=project.code,
        state=project.state,
        declared_at=project.declared_at,
        code=deadline.code,
        label=deadline.label[:200],
        requirement=deadline.requirement,
        source=deadline.source[:300],
        owner=deadline.owner,
        opens_on=deadline.opens_on,
        due_on=deadline.due_on,
        period=deadline.period[:32],
        note=deadline.note,
        soon_days=deadline.soon_days,
        cancels=deadline.cancels,
        attention_from=attention_from,
        overdue_from=overdue_from,
        sort_on=deadline.due_on or deadline.opens_on or date.max,
        computed_on=today,
    )


def _tracked(project: Project) -> bool:
    """Whether some deadline of the project can be pending in its state (the policy says where)."""
    return project.state not in TERMINAL_STATES and project.state in project.policy.pending_states


def tracked_filter(prefix: str = "") -> Q:
    """`_tracked` as a filter: the projects in a state where some deadline of their policy's version can be
    pending. (`prefix`: the path to the project, for a filter on a related table.)"""
    from .policies import VERSIONS

    found = Q(pk__in=[]) if not prefix else Q(**{f"{prefix}pk__in": []})
    for (code, version), policy in VERSIONS.items():
        states = sorted(policy.pending_states - TERMINAL_STATES)
        if states:
            found |= Q(
                **{
                    f"{prefix}policy_code": code,
                    f"{prefix}policy_version": version,
                    f"{prefix}state__in": states,
                }
            )
    return found


def pending_deadlines_untracked_delete() -> int:
    """Remove the stored deadlines of projects no longer in a state where one can be pending (a transition
    refreshes its project's own; this catches what a failed refresh left)."""
    deleted, _ = PendingDeadline.objects.exclude(tracked_filter("project__")).delete()
    return deleted


def pending_deadlines_store(projects, found: dict[int, list[Deadline]], *, today: date) -> int:
    """Replace the stored deadlines of `projects` with those computed (`found`, as `deadlines_for_projects`
    returns them). One DELETE and one INSERT for the lot; the rows written."""
    rows = [
        row
        for project in projects
        if _tracked(project)
        for deadline in found.get(project.pk, ())
        if (row := _row(project, deadline, today)) is not None
    ]
    with transaction.atomic():
        PendingDeadline.objects.filter(project_id__in=[p.pk for p in projects]).delete()
        PendingDeadline.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def pending_deadlines_refresh(project_ids, *, today: date | None = None) -> int:
    """Recompute and store the deadlines of these projects (any number of queries independent of their
    records: they are prefetched together)."""
    today = today or timezone.localdate()
    projects = list(Project.objects.filter(pk__in=list(project_ids)).select_related("organisation"))
    tracked = [p for p in projects if _tracked(p)]
    found = deadlines_for_projects(tracked, today=today) if tracked else {}
    stale = [p for p in projects if not _tracked(p)]
    missing = set(project_ids) - {p.pk for p in projects}
    with transaction.atomic():
        if missing:
            PendingDeadline.objects.filter(project_id__in=missing).delete()
        return pending_deadlines_store(tracked + stale, found, today=today)


def _refresh_after_commit(project_id: int) -> None:
    try:
        pending_deadlines_refresh([project_id])
    except Exception:  # the change is committed; the daily job will catch up. Never fail the request for it.
        log.exception("未能更新项目 %s 的待办期限", project_id)


def timeline_appended_receiver(sender, *, entry, **kwargs) -> None:
    """After the transaction that appended `entry` commits, recompute its project's deadlines (a warning the
    daily job records changes none: the job stores what it computed itself)."""
    if entry.action == "projects.deadline.warn":
        return
    transaction.on_commit(lambda: _refresh_after_commit(entry.project_id))


def attention_for(*, user, today: date | None = None, limit: int = HOME_ATTENTION_LIMIT):
    """The deadlines needing attention today (due soon, overdue, not computable) of the projects the user sees,
    oldest due first, as (project, Deadline with its status): a department its own duties, the reviewing body
    everyone's, finance and audit what is overdue. Two queries however many projects (`state` is loaded with
    each project: django-fsm reads it when a project is made)."""
    from .selectors import jurisdiction_wide_visibility, project_visible_to

    today = today or timezone.localdate()
    if not user.is_authenticated or user.role == Role.EXPERT or user.organisation_id is None:
        return []
    items = PendingDeadline.objects.filter(attention_from__lte=today)
    if user.role in OVERDUE_ONLY_ROLES:
        items = items.filter(overdue_from__lte=today)
    if user.role in OWN_DUTIES_ROLES:
        items = items.filter(owner=user.role)
    wide = jurisdiction_wide_visibility(user)
    if wide is not None:
        # The rows mirror the project's state, declaration and organisation: the visibility applies to them.
        items = items.filter(wide, jurisdiction_id=user.organisation.jurisdiction_id)
    else:
        items = items.filter(project_id__in=project_visible_to(user).order_by().values("pk"))
    # The page's rows first (an index range, sorted, limited), then their projects by key: the join never
    # touches more than the rows shown.
    items = list(items.order_by("sort_on", "project_code", "code", "period")[:limit])
    projects = Project.objects.only("id", "code", "name", "state").in_bulk({i.project_id for i in items})
    found = []
    for item in items:
        deadline = Deadline(
            code=item.code,
            label=item.label,
            requirement=item.requirement,
            source=item.source,
            owner=item.owner,
            due_on=item.due_on,
            opens_on=item.opens_on,
            period=item.period,
            note=item.note,
            soon_days=item.soon_days,
            cancels=item.cancels,
        )
        status = deadline.status_on(today)
        if status in ATTENTION:
            found.append((projects[item.project_id], replace(deadline, status=status)))
    return found
