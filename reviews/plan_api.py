"""The project library and annual plan over the API: read (finance, BDC, auditor), rank (BDC), set the
budget (finance), and the Excel ledger. Refusals as JSON with a Chinese `detail` (core.api)."""

import re

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core import api_fields as strict
from core.api_fields import AmountField
from core.errors import InvalidInput, NotPermitted
from core.export_api import ExportJobSerializer
from core.exports import export_request
from projects.api.serializers import ErrorSerializer
from projects.api.views import valid_data

from .plan import (
    annual_budget_set,
    can_rank_plan,
    can_set_budget,
    can_view_plan,
    plan_rank_set,
    plan_summary,
)

YEAR = OpenApiParameter(
    "year", {"type": "integer", "minimum": 2000, "maximum": 2100}, description="年度，缺省为本年"
)
READ_REFUSED = {403: ErrorSerializer}  # the library and plan are for the BDC, finance and the auditor


def _jurisdiction(request):
    user = request.user
    jurisdiction = user.organisation.jurisdiction if user.organisation_id else None
    if jurisdiction is None or not can_view_plan(user, jurisdiction):
        raise NotPermitted("项目库与年度计划仅供大数据中心、财政局和审计局查阅。")
    return jurisdiction


def _year(value) -> int:
    if value in (None, ""):
        return timezone.localdate().year
    if not re.fullmatch(r"-?[0-9]{1,9}", value):
        raise InvalidInput("年度须为整数年份（如 2027）。")
    year = int(value)
    if not 2000 <= year <= 2100:
        raise InvalidInput("年度须在2000至2100之间。")
    return year


class PlanProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rank = serializers.IntegerField(allow_null=True)
    code = serializers.CharField()
    name = serializers.CharField()
    organisation = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    declared_amount = serializers.CharField()
    approved_amount = serializers.CharField(allow_null=True)
    contract_amount = serializers.CharField(allow_null=True)


class PlanSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    jurisdiction = serializers.CharField()
    budget = serializers.CharField(allow_null=True, help_text="年度预算（万元）；未录入为 null")
    approved_total = serializers.CharField(help_text="已批复合计（万元）")
    declared_total = serializers.CharField()
    contract_total = serializers.CharField()
    remaining = serializers.CharField(allow_null=True, help_text="预算结余（万元），负数为超出")
    over_budget = serializers.BooleanField()
    projects = PlanProjectSerializer(many=True)


class RankSerializer(serializers.Serializer):
    year = strict.IntegerField(label="年度", min_value=2000, max_value=2100)
    project_ids = serializers.ListField(
        label="项目排序",
        child=strict.id_field(),
        allow_empty=False,
        help_text="全部已立项项目的 ID，优先者在前",
    )


class BudgetSerializer(serializers.Serializer):
    year = strict.IntegerField(label="年度", min_value=2000, max_value=2100)
    amount = AmountField(label="年度预算（万元）")
    note = strict.CharField(label="说明", max_length=200, required=False, allow_blank=True)


class PlanView(APIView):
    @extend_schema(
        summary="年度项目库与预算", parameters=[YEAR], responses={200: PlanSerializer, **READ_REFUSED}
    )
    def get(self, request):
        jurisdiction = _jurisdiction(request)
        return Response(
            plan_summary(jurisdiction=jurisdiction, year=_year(request.query_params.get("year"))).as_dict()
        )


class PlanRankView(APIView):
    @extend_schema(summary="调整项目库排序（大数据中心）", request=RankSerializer, responses=PlanSerializer)
    def post(self, request):
        jurisdiction = _jurisdiction(request)
        if not can_rank_plan(request.user, jurisdiction):  # before the body is read
            raise NotPermitted("只有本行政区划的大数据中心可以调整项目库排序。")
        data = valid_data(RankSerializer(data=request.data))
        try:
            plan_rank_set(
                year=data["year"],
                jurisdiction=jurisdiction,
                ordered_project_ids=data["project_ids"],
                by=request.user,
            )
        except InvalidInput as exc:  # the order, checked against the year's library
            exc.extra.setdefault("errors", {"project_ids": [exc.message]})
            raise
        return Response(plan_summary(jurisdiction=jurisdiction, year=data["year"]).as_dict())


class PlanBudgetView(APIView):
    @extend_schema(
        summary="录入年度预算（财政局）", request=BudgetSerializer, responses={201: PlanSerializer}
    )
    def post(self, request):
        jurisdiction = _jurisdiction(request)
        if not can_set_budget(request.user, jurisdiction):  # before the body is read
            raise NotPermitted("只有本行政区划的财政局可以录入年度预算。")
        data = valid_data(BudgetSerializer(data=request.data))
        annual_budget_set(
            jurisdiction=jurisdiction,
            year=data["year"],
            amount=data["amount"],
            note=data.get("note", ""),
            by=request.user,
        )
        body = plan_summary(jurisdiction=jurisdiction, year=data["year"]).as_dict()
        return Response(body, status=status.HTTP_201_CREATED)


class PlanLedgerView(APIView):
    @extend_schema(
        summary="导出项目库台账（Excel，后台生成）",
        description="立即返回导出任务（202）；轮询 GET /api/v1/exports/jobs/{id}/，status 为 ready 后从 file_url 下载"
        "（同 POST /api/v1/exports/ledger/）。",
        parameters=[YEAR],
        request=None,
        responses={202: ExportJobSerializer, 400: ErrorSerializer, **READ_REFUSED},
    )
    def post(self, request):
        from .ledger import LEDGER_EXPORT

        _jurisdiction(request)  # a reader of the plan, or 403 before the year is read
        year = _year(request.query_params.get("year"))
        job = export_request(name=LEDGER_EXPORT.name, by=request.user, data={"year": str(year)})
        return Response(ExportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


urlpatterns = [
    path("", PlanView.as_view(), name="api-plan"),
    path("ranking/", PlanRankView.as_view(), name="api-plan-rank"),
    path("budget/", PlanBudgetView.as_view(), name="api-plan-budget"),
    path("ledger/", PlanLedgerView.as_view(), name="api-plan-ledger"),
]
