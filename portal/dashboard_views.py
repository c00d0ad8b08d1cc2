"""The dashboard's page (also the 领导's home page) and each table's Excel export. Refusals are Chinese with a
4xx (a role that may not read it 403, a filter that is not one of the choices 400)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from core.errors import ApplicationError
from core.pages import refusal

from .dashboard import dashboard_build
from .dashboard_export import table_response


def _build(request):
    return dashboard_build(
        user=request.user, year=request.GET.get("year"), organisation=request.GET.get("organisation")
    )


def dashboard_page(request):
    try:
        dashboard = _build(request)
    except ApplicationError as exc:
        return refusal(request, exc.message, exc.status)
    return render(
        request,
        "portal/dashboard.html",
        {
            "dashboard": dashboard,
            "jurisdiction": request.user.organisation.jurisdiction,
            "charts": dashboard.charts(),
        },
    )


dashboard = login_required(require_http_methods(["GET", "HEAD"])(dashboard_page))


@login_required
@require_http_methods(["GET", "HEAD"])
def dashboard_export(request, key: str):
    try:
        dashboard = _build(request)
        table = dashboard.table(key)
    except ApplicationError as exc:
        return refusal(request, exc.message, exc.status)
    except KeyError:
        return refusal(request, "没有这张统计表。", 404)
    return table_response(dashboard, table, jurisdiction=request.user.organisation.jurisdiction.name)
