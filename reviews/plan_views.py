"""The project library and annual plan page (finance, BDC, auditor read; the BDC ranks; finance enters the
budget) and its Excel ledger. Refusals are Chinese with a 4xx."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import ApplicationError
from core.exports import export_request
from core.pages import refusal

from .ledger import LEDGER_EXPORT
from .plan import (
    annual_budget_set,
    can_rank_plan,
    can_set_budget,
    can_view_plan,
    plan_projects,
    plan_rank_set,
    plan_summary,
    plan_years,
)


def _jurisdiction(request):
    user = request.user
    return user.organisation.jurisdiction if user.organisation_id else None


def _year(request, default=None) -> int | None:
    raw = request.GET.get("year") or request.POST.get("year")
    if raw in (None, ""):
        return default
    try:
        year = int(raw)
    except ValueError:
        return None
    return year if 2000 <= year <= 2100 else None


def _guard(request, may=None, refused: str = ""):
    """(jurisdiction, year) for a reader of the plan, or a refusal response; with `may`, a predicate of the
    write the request asks for, its 403 comes before the year it sent is read."""
    jurisdiction = _jurisdiction(request)
    if jurisdiction is None or not can_view_plan(request.user, jurisdiction):
        return None, None, refusal(request, "项目库与年度计划仅供大数据中心、财政局和审计局查阅。", 403)
    if may is not None and not may(request.user, jurisdiction):
        return None, None, refusal(request, refused, 403)
    year = _year(request, default=timezone.localdate().year)
    if year is None:
        return None, None, refusal(request, "年度须为2000至2100之间的年份。", 400)
    return jurisdiction, year, None


def _back(year: int):
    return redirect(reverse("plan:index") + f"?year={year}")


@login_required
@require_http_methods(["GET", "HEAD"])
def plan_index(request):
    jurisdiction, year, refused = _guard(request)
    if refused:
        return refused
    summary = plan_summary(jurisdiction=jurisdiction, year=year)
    years = plan_years(jurisdiction=jurisdiction)
    if year not in years:
        years = sorted({*years, year}, reverse=True)
    return render(
        request,
        "reviews/plan.html",
        {
            "summary": summary,
            "year": year,
            "years": years,
            "can_rank": can_rank_plan(request.user, jurisdiction),
            "can_budget": can_set_budget(request.user, jurisdiction),
        },
    )


@login_required
@require_POST
def plan_rank(request):
    """The BDC's ranking from the page: each project's entered position; ties keep the current order."""
    jurisdiction, year, refused = _guard(
        request, may=can_rank_plan, refused="只有本行政区划的大数据中心可以调整项目库排序。"
    )
    if refused:
        return refused
    current = list(plan_projects(jurisdiction=jurisdiction, year=year).values_list("pk", flat=True))
    positions = {}
    for index, pk in enumerate(current):
        raw = (request.POST.get(f"rank_{pk}") or "").strip()
        try:
            positions[pk] = (int(raw), index)
        except ValueError:
            return refusal(request, "未能调整排序：请为每个项目填写排序位次（正整数）。", 400)
    ordered = sorted(current, key=lambda pk: positions[pk])
    try:
        changed = plan_rank_set(
            year=year, jurisdiction=jurisdiction, ordered_project_ids=ordered, by=request.user
        )
    except ApplicationError as exc:
        return refusal(request, f"未能调整排序：{exc.message}", exc.status)
    messages.success(
        request, f"已调整{year}年度项目库排序（{len(changed)}个项目位次变化，已记入各项目档案）。"
    )
    return _back(year)


@login_required
@require_POST
def plan_budget(request):
    jurisdiction, year, refused = _guard(
        request, may=can_set_budget, refused="只有本行政区划的财政局可以录入年度预算。"
    )
    if refused:
        return refused
    try:
        budget = annual_budget_set(
            jurisdiction=jurisdiction,
            year=year,
            amount=request.POST.get("amount", ""),
            note=request.POST.get("note", ""),
            by=request.user,
        )
    except ApplicationError as exc:
        return refusal(request, f"未能录入年度预算：{exc.message}", exc.status)
    messages.success(request, f"已录入{year}年度预算 {budget.amount:.2f} 万元。")
    return _back(year)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_ledger(request):
    """The 台账 is built in the background (core.exports): a POST asks for it and leads to the job's page,
    which shows the progress and offers the download; a GET (an old bookmark) leads back to the plan."""
    _jurisdiction, year, refused = _guard(request)
    if refused:
        return refused
    if request.method != "POST":
        messages.info(request, "台账改为后台生成：请点击“导出台账（Excel）”，生成完成后在导出页面下载。")
        return _back(year)
    try:
        job = export_request(name=LEDGER_EXPORT.name, by=request.user, data={"year": str(year)})
    except ApplicationError as exc:
        return refusal(request, f"未能导出台账：{exc.message}", exc.status)
    messages.success(request, f"已开始生成{year}年度项目库台账，完成后可在本页下载。")
    return redirect("export_job", pk=job.pk)
