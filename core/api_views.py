"""API views of what core owns: official working days."""

from datetime import date

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .errors import InvalidInput
from .workdays import MAX_DAYS, add_workdays


class WorkdaysQuery(serializers.Serializer):
    start = serializers.DateField(error_messages={"required": "请提供起算日期 start（YYYY-MM-DD）。",
                                                  "invalid": "起算日期 start 须为 YYYY-MM-DD 格式。"})
    days = serializers.IntegerField(min_value=0, max_value=MAX_DAYS,
                                    error_messages={"required": "请提供工作日天数 days。",
                                                    "invalid": "工作日天数 days 须为整数。",
                                                    "min_value": "工作日天数 days 不能为负数。",
                                                    "max_value": f"工作日天数 days 不能超过{MAX_DAYS}。"})


class WorkdaysView(APIView):
    @extend_schema(
        summary="第N个工作日",
        description="start 之后的第 days 个工作日（start 当日不计入），按国务院公布的节假日和调休安排计算。"
                    "日期所在年份的安排尚未公布或录入时返回 400。",
        parameters=[OpenApiParameter("start", date, required=True), OpenApiParameter("days", int, required=True)],
        responses={200: inline_serializer("WorkdaysResult", {"deadline": serializers.DateField()})},
    )
    def get(self, request):
        query = WorkdaysQuery(data=request.query_params)
        if not query.is_valid():
            raise InvalidInput("；".join(str(e) for errors in query.errors.values() for e in errors))
        deadline = add_workdays(query.validated_data["start"], query.validated_data["days"])
        return Response({"deadline": deadline.isoformat()})
