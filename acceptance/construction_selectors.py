"""Reads of the construction watch: the supervisor company's history, what waits for each role on its home
page. Each a constant number of queries however long the history."""

from django.db.models import Avg, Count, Q

from core.enums import Role

from .models import ChangeRequest, Escalation, EscalationItem, SupervisorScore


def supervisor_history_summary(organisations) -> dict[int, str]:
    """Each supervision company's name with its record: the mean of its scores and on how many projects."""
    rows = (
        SupervisorScore.objects.filter(organisation__in=organisations)
        .values("organisation_id")
        .annotate(mean=Avg("score"), n=Count("id"))
    )
    found = {r["organisation_id"]: r for r in rows}
    summary = {}
    for org in organisations:
        row = found.get(org.pk)
        summary[org.pk] = (
            f"{org.name}（历史评分均分{row['mean']:.1f}分，{row['n']}个项目）"
            if row
            else f"{org.name}（暂无评分记录）"
        )
    return summary


def supervisor_history(*, organisation) -> list[SupervisorScore]:
    """The scores a supervision company received, newest first, with the project each was for."""
    return list(
        SupervisorScore.objects.filter(organisation=organisation)
        .select_related("project", "by")
        .order_by("-at", "-id")
    )


def awaiting(*, user, projects) -> dict:
    """What waits for `user` among `projects` (those they see): the BDC's changes to decide and 督办单 to close,
    the department's 督办 items to answer, the supervisor's record of scores."""
    found: dict = {}
    if user.role == Role.BDC:
        found["changes"] = list(
            ChangeRequest.objects.filter(project__in=projects, status=ChangeRequest.Status.SUBMITTED)
            .select_related("project")
            .order_by("submitted_at", "id")[:50]
        )
        found["escalations"] = list(
            Escalation.objects.filter(project__in=projects)
            .exclude(status=Escalation.Status.CLOSED)
            .select_related("project")
            .prefetch_related("items")
            .order_by("status", "opened_at")[:50]  # answered (the BDC's to close) before open
        )
    elif user.role == Role.DEPARTMENT:
        found["escalation_items"] = list(
            EscalationItem.objects.filter(
                escalation__project__in=projects.filter(organisation_id=user.organisation_id),
                escalation__status=Escalation.Status.OPEN,
            )
            .select_related("escalation__project")
            .order_by("due_on", "id")[:50]
        )
    elif user.role == Role.SUPERVISOR and user.organisation_id:
        found["scores"] = list(
            SupervisorScore.objects.filter(Q(organisation_id=user.organisation_id))
            .select_related("project")
            .order_by("-at")[:20]
        )
    return found
