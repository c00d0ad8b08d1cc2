"""Figures over many projects for the dashboard (portal.dashboard): each one GROUP BY query over a queryset of
projects the caller may already see (`selectors.project_visible_to`, filtered), never a loop over projects."""

from datetime import date, timedelta

from django.db.models import Avg as Mean
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils import timezone

from core.models import TimelineEntry

from .enums import TERMINAL_STATES
from .models import PendingDeadline, Project


def projects_by_year_and_state(projects: QuerySet[Project]) -> list[dict]:
    """[{year, state, n}]: how many projects of each plan year stand in each state."""
    return list(projects.order_by().values("year", "state").annotate(n=Count("id", distinct=True)))


def amounts_by_year_and_organisation(projects: QuerySet[Project]) -> list[dict]:
    """[{year, organisation_id, organisation__name, n, declared, approved}]: the count and the declared and
    approved amounts (万元, Decimal; approved is None where nothing is approved yet) per year and department."""
    return list(
        projects.order_by()
        .values("year", "organisation_id", "organisation__name")
        .annotate(n=Count("id"), declared=Sum("declared_amount"), approved=Sum("approved_amount"))
    )


def overdue_by_organisation(projects: QuerySet[Project], *, today: date | None = None) -> list[dict]:
    """[{organisation_id, overdue, projects}]: the deadlines overdue today and still not met (the stored pending
    deadlines, projects.attention, as the home pages list them), and how many projects they concern, per
    department. A deadline met since its 预警 was recorded no longer counts; the 预警 stays on the timeline."""
    today = today or timezone.localdate()
    return list(
        PendingDeadline.objects.filter(project__in=projects.order_by().values("pk"), overdue_from__lte=today)
        .exclude(state__in=TERMINAL_STATES)
        .order_by()
        .values("organisation_id")
        .annotate(overdue=Count("id"), projects=Count("project_id", distinct=True))
    )


def stage_durations(projects: QuerySet[Project]) -> list[dict]:
    """[{state, stays, average}]: for each state, the stays in it that have ended — from the timeline entry that
    entered the state to the next entry that changed the state — and their average length (a timedelta, in
    calendar time). A stay still going on is not counted."""
    state_changes = TimelineEntry.objects.exclude(to_state="")
    left_at = Subquery(
        state_changes.filter(project_id=OuterRef("project_id"), seq__gt=OuterRef("seq"))
        .order_by("seq")
        .values("at")[:1]
    )
    rows = (
        state_changes.filter(project__in=projects.order_by().values("pk"))
        .annotate(left_at=left_at)
        .filter(left_at__isnull=False)
        .annotate(stay=ExpressionWrapper(F("left_at") - F("at"), output_field=DurationField()))
        .order_by()
        .values("to_state")
        .annotate(stays=Count("id"), average=Mean("stay"))
    )
    return [
        {"state": r["to_state"], "stays": r["stays"], "average": r["average"] or timedelta(0)} for r in rows
    ]
