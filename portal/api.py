"""`GET /api/v1/dashboard/`: the dashboard's numbers (portal.dashboard), the same tables the page shows, for the
领导, the BDC, finance and the auditor. Amounts are strings of 万元 with two decimals (JSON has no decimal)."""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from projects.api.serializers import ErrorSerializer

from .dashboard import dashboard_build

YEAR = OpenApiParameter(
    "year",
    {"type": "integer", "minimum": 2000, "maximum": 2100},
    description="计划年度；缺省或为空：全部年度",
    allow_blank=True,
)
ORGANISATION = OpenApiParameter(
    "organisation", int, description="建设单位 ID（取自 organisations）；缺省或为空：全部", allow_blank=True
)


class ColumnSerializer(serializers.Serializer):
    label = serializers.CharField()
    kind = serializers.CharField(
        help_text="text 文字 / count 个数 / money 金额（万元，字符串）/ days 天数（字符串，一位小数）"
    )


class TableSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text="stages, years, money_years, money_departments, oversight, durations"
    )
    title = serializers.CharField()
    columns = ColumnSerializer(many=True)
    rows = serializers.ListField(child=serializers.ListField(child=serializers.JSONField()))
    total = serializers.ListField(child=serializers.JSONField(), allow_null=True)
    note = serializers.CharField(allow_blank=True)


class FiltersSerializer(serializers.Serializer):
    year = serializers.IntegerField(allow_null=True)
    organisation = serializers.IntegerField(allow_null=True)


class OrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class DashboardSerializer(serializers.Serializer):
    filters = FiltersSerializer()
    years = serializers.ListField(child=serializers.IntegerField())
    organisations = OrganisationSerializer(many=True)
    unit = serializers.CharField(help_text="金额单位：万元")
    tables = TableSerializer(many=True)


class DashboardView(APIView):
    @extend_schema(
        summary="数据看板（领导、大数据中心、财政局、审计局）",
        parameters=[YEAR, ORGANISATION],
        responses={200: DashboardSerializer, 400: ErrorSerializer, 403: ErrorSerializer},
    )
    def get(self, request):
        dashboard = dashboard_build(
            user=request.user,
            year=request.query_params.get("year"),
            organisation=request.query_params.get("organisation"),
        )
        return Response(dashboard.as_dict())


urlpatterns = [path("dashboard/", DashboardView.as_view(), name="api-dashboard")]
