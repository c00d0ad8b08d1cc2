"""Figures over many projects for the dashboard (portal.dashboard): contracts filed, money paid, 督办单 open.
Each one GROUP BY query over a queryset of projects the caller may already see, never a loop over projects."""

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum

from .models import ContractFiling, Escalation, ProgressReport


def _of(projects: QuerySet):
    return projects.order_by().values("pk")


def contracted_by_year_and_organisation(projects: QuerySet) -> list[dict]:
    """[{year, organisation_id, contracted}]: the amounts of the contracts filed (合同备案, 万元)."""
    return list(
        ContractFiling.objects.filter(project__in=_of(projects))
        .order_by()
        .values(year=F("project__year"), organisation_id=F("project__organisation_id"))
        .annotate(contracted=Sum("amount"))
    )


def paid_by_year_and_organisation(projects: QuerySet) -> list[dict]:
    """[{year, organisation_id, paid}]: 累计支付 as each project's latest progress report states it (the latest
    period, the last filed of that period), summed."""
    latest = (
        ProgressReport.objects.filter(project_id=OuterRef("project_id"))
        .order_by("-period", "-id")
        .values("pk")[:1]
    )
    return list(
        ProgressReport.objects.filter(project__in=_of(projects), pk=Subquery(latest))
        .order_by()
        .values(year=F("project__year"), organisation_id=F("project__organisation_id"))
        .annotate(paid=Sum("paid_amount"))
    )


def open_escalations_by_organisation(projects: QuerySet) -> list[dict]:
    """[{organisation_id, waiting, answered}]: 督办单 not closed — waiting for the department's answer, or answered
    and waiting for the reviewing body to close them."""
    return list(
        Escalation.objects.filter(project__in=_of(projects))
        .exclude(status=Escalation.Status.CLOSED)
        .order_by()
        .values(organisation_id=F("project__organisation_id"))
        .annotate(
            waiting=Count("id", filter=Q(status=Escalation.Status.OPEN)),
            answered=Count("id", filter=Q(status=Escalation.Status.ANSWERED)),
        )
    )
