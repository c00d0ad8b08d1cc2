"""The project library and the annual plan (gongshu-draft 四(三)): the year's approved projects in the BDC's
order of priority, their approved total against the year's budget that finance enters, and what waits for
立项. Reads for the page, the API and the Excel ledger; writes through `plan_rank_set` and
`annual_budget_set`, each recorded (the ranking on every project's timeline, the budget as a kept entry)."""

from dataclasses import dataclass, field
from decimal import Decimal

import rules
from django.db import transaction
from django.db.models import F, OuterRef, QuerySet, Subquery

from core.enums import Role
from core.errors import InvalidInput, NotPermitted
from core.models import AnnualBudget, Jurisdiction
from core.money import money_parse
from core.timeline import timeline_append
from projects.enums import ProjectState

from .enums import PASSING_CONCLUSIONS
from .models import ReviewOpinion

# ---- who may do what (per jurisdiction) ------------------------------------------------------------


def _of(user, jurisdiction) -> bool:
    return (
        user.is_authenticated
        and user.organisation_id is not None
        and user.organisation.jurisdiction_id == jurisdiction.pk
    )


@rules.predicate
def can_view_plan(user, jurisdiction) -> bool:
    """Finance, the BDC and the auditor read their jurisdiction's library and plan."""
    return (
        user.is_authenticated
        and user.role in (Role.BDC, Role.FINANCE, Role.AUDITOR)
        and _of(user, jurisdiction)
    )


@rules.predicate
def can_rank_plan(user, jurisdiction) -> bool:
    return user.is_authenticated and user.role == Role.BDC and _of(user, jurisdiction)


@rules.predicate
def can_set_budget(user, jurisdiction) -> bool:
    return user.is_authenticated and user.role == Role.FINANCE and _of(user, jurisdiction)


# ---- reads -------------------------------------------------------------------------------------------


def projects_awaiting_approval(projects: QuerySet) -> QuerySet:
    """Of `projects`, those under review whose LATEST review opinion passes and has been issued as a
    document: what finance may approve (the same test as the approve check `ANY-opinion`)."""
    latest = ReviewOpinion.objects.filter(project=OuterRef("pk")).order_by("-issued_at", "-id")
    return (
        projects.filter(state=ProjectState.REVIEWING)
        .annotate(
            latest_conclusion=Subquery(latest.values("conclusion")[:1]),
            latest_document=Subquery(latest.values("document_id")[:1]),
        )
        .filter(latest_conclusion__in=list(PASSING_CONCLUSIONS), latest_document__isnull=False)
    )


def plan_projects(*, jurisdiction: Jurisdiction, year: int) -> QuerySet:
    """The year's approved projects of the jurisdiction (立项 done, not cancelled), by priority."""
    from projects.models import Project

    return (
        Project.objects.filter(organisation__jurisdiction=jurisdiction, year=year, approved_at__isnull=False)
        .exclude(state=ProjectState.CANCELLED)
        .select_related("organisation")
        .order_by(F("plan_rank").asc(nulls_last=True), "code", "id")
    )


def annual_budget_get(*, jurisdiction: Jurisdiction, year: int) -> AnnualBudget | None:
    return (
        AnnualBudget.objects.filter(jurisdiction=jurisdiction, year=year)
        .select_related("entered_by")
        .order_by("-entered_at", "-id")
        .first()
    )


@dataclass
class PlanSummary:
    jurisdiction: Jurisdiction
    year: int
    projects: list = field(default_factory=list)
    declared_total: Decimal = Decimal("0.00")
    approved_total: Decimal = Decimal("0.00")
    contract_total: Decimal = Decimal("0.00")
    budget: AnnualBudget | None = None

    @property
    def budget_amount(self) -> Decimal | None:
        return self.budget.amount if self.budget else None

    @property
    def remaining(self) -> Decimal | None:
        return None if self.budget is None else self.budget.amount - self.approved_total

    @property
    def over_budget(self) -> bool:
        return self.remaining is not None and self.remaining < 0

    def as_dict(self) -> dict:
        money = lambda v: None if v is None else f"{v:.2f}"  # noqa: E731
        return {
            "year": self.year,
            "jurisdiction": self.jurisdiction.name,
            "budget": money(self.budget_amount),
            "approved_total": money(self.approved_total),
            "declared_total": money(self.declared_total),
            "contract_total": money(self.contract_total),
            "remaining": money(self.remaining),
            "over_budget": self.over_budget,
            "projects": [
                {
                    "id": p.pk,
                    "rank": p.plan_rank,
                    "code": p.code,
                    "name": p.name,
                    "organisation": p.organisation.name,
                    "state": p.state,
                    "state_label": p.get_state_display(),
                    "declared_amount": money(p.declared_amount),
                    "approved_amount": money(p.approved_amount),
                    "contract_amount": money(p.contract_amount),
                }
                for p in self.projects
            ],
        }


def plan_summary(*, jurisdiction: Jurisdiction, year: int) -> PlanSummary:
    projects = list(plan_projects(jurisdiction=jurisdiction, year=year))
    zero = Decimal("0.00")
    return PlanSummary(
        jurisdiction=jurisdiction,
        year=year,
        projects=projects,
        declared_total=sum((p.declared_amount for p in projects), zero),
        approved_total=sum((p.approved_amount or zero for p in projects), zero),
        contract_total=sum((p.contract_amount or zero for p in projects), zero),
        budget=annual_budget_get(jurisdiction=jurisdiction, year=year),
    )


def plan_years(*, jurisdiction: Jurisdiction) -> list[int]:
    from projects.models import Project

    years = set(
        Project.objects.filter(organisation__jurisdiction=jurisdiction, approved_at__isnull=False)
        .values_list("year", flat=True)
        .distinct()
    )
    years |= set(AnnualBudget.objects.filter(jurisdiction=jurisdiction).values_list("year", flat=True))
    return sorted(years, reverse=True)


# ---- writes ------------------------------------------------------------------------------------------


def _clean_year(year) -> int:
    try:
        value = int(year)
    except (TypeError, ValueError):
        raise InvalidInput("请填写年度（如 2027）。") from None
    if not 2000 <= value <= 2100:
        raise InvalidInput("年度须在2000至2100之间。")
    return value


def plan_rank_set(*, year, jurisdiction: Jurisdiction, ordered_project_ids, by) -> list:
    """Set the order of priority of the year's approved projects: `ordered_project_ids` lists every one of
    them, first the most urgent. Each project whose place changes gets a timeline entry."""
    from projects.models import Project

    if not can_rank_plan(by, jurisdiction):
        raise NotPermitted("只有本行政区划的大数据中心可以调整项目库排序。")
    year = _clean_year(year)
    ordered = _clean_order(ordered_project_ids)
    changed = []
    with transaction.atomic():
        # Locked in id order, so two rankings at once wait for each other instead of deadlocking.
        ids = list(plan_projects(jurisdiction=jurisdiction, year=year).values_list("pk", flat=True))
        projects = {p.pk: p for p in Project.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
        _check_order_complete(ordered, projects, year)
        for rank, pk in enumerate(ordered, 1):
            project = projects[pk]
            if project.plan_rank == rank:
                continue
            before = project.plan_rank
            project.plan_rank = rank
            project.save(update_fields=["plan_rank", "updated_at"])
            timeline_append(
                project=project,
                action="reviews.plan.rank",
                label="调整项目库排序",
                actor=by,
                comment=f"{year}年度项目库第{rank}位" + (f"（原第{before}位）" if before else ""),
                data={"year": year, "rank": rank, "previous": before, "count": len(ordered)},
            )
            changed.append(project)
    return changed


def _clean_order(ordered_project_ids) -> list[int]:
    try:
        ordered = [int(pk) for pk in ordered_project_ids]
    except (TypeError, ValueError):
        raise InvalidInput("排序须为项目编号（ID）的列表。") from None
    if len(set(ordered)) != len(ordered):
        raise InvalidInput("排序中有重复的项目。")
    return ordered


def _check_order_complete(ordered: list[int], projects: dict, year: int) -> None:
    """The order lists exactly the year's plan projects: none missing, none from elsewhere."""
    if set(ordered) == set(projects):
        return
    missing = [projects[pk].code for pk in projects if pk not in ordered]
    extra = [pk for pk in ordered if pk not in projects]
    parts = []
    if missing:
        parts.append(f"缺少{'、'.join(sorted(missing))}")
    if extra:
        parts.append(f"含有不属于{year}年度项目库的项目（ID {'、'.join(map(str, extra))}）")
    raise InvalidInput(f"排序须列出{year}年度全部已立项项目：" + "；".join(parts) + "。")


def annual_budget_set(*, jurisdiction: Jurisdiction, year, amount, by, note: str = "") -> AnnualBudget:
    """Finance enters the year's budget (万元). A new entry; the earlier ones stay as its history."""
    if not can_set_budget(by, jurisdiction):
        raise NotPermitted("只有本行政区划的财政局可以录入年度预算。")
    year = _clean_year(year)
    value = money_parse(amount, "年度预算")
    if value < 0:
        raise InvalidInput("年度预算须为不小于0的金额（万元）。")
    note = (note or "").strip()
    if len(note) > 200:
        raise InvalidInput("说明不能超过200字。")
    with transaction.atomic():
        return AnnualBudget.objects.create(
            jurisdiction=jurisdiction,
            year=year,
            amount=value,
            note=note,
            entered_by=by,
        )
