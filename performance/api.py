"""Performance over the API (API.md: reads are resources of our design): a project's targets and evaluations
with each indicator's actual against its target, the department's past results, and the year's sample —
read by finance, the centre and the auditor, drawn by finance. The per-project steps are actions."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core import api_fields as strict
from core.errors import NotPermitted
from projects.api.serializers import ErrorSerializer
from projects.api.views import api_project, valid_data

from . import services
from .rules import can_draw_sample, can_view_samples
from .selectors import past_results, sample_draws, self_evaluations_of, targets_current
from .views import READ_REFUSED, draws_rows


class IndicatorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    category = serializers.CharField()
    category_label = serializers.CharField(source="get_category_display")
    name = serializers.CharField()
    unit = serializers.CharField()
    baseline = serializers.CharField()
    direction = serializers.CharField()
    target = serializers.CharField()


class TargetSetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    goal = serializers.CharField()
    at = serializers.DateTimeField()
    indicators = IndicatorSerializer(many=True, source="indicators.all")


class ResultSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(source="indicator_id")
    name = serializers.CharField(source="indicator.name")
    target = serializers.CharField(source="indicator.target")
    actual = serializers.CharField()
    met = serializers.BooleanField()
    rate = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True, help_text="完成率（%）")
    note = serializers.CharField()


class SelfEvaluationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    evaluated_on = serializers.DateField()
    summary = serializers.CharField()
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    users_opinion = serializers.CharField()
    supervisor_opinion = serializers.CharField()
    target_set = serializers.IntegerField(source="target_set_id", allow_null=True)
    results = ResultSerializer(many=True, source="results.all")


class PastResultSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    self_evaluations = serializers.SerializerMethodField()
    finance_evaluations = serializers.SerializerMethodField()

    def get_self_evaluations(self, row) -> list[dict]:
        return [{"project": e.project.code, "score": e.score and str(e.score)} for e in row["self"]]

    def get_finance_evaluations(self, row) -> list[dict]:
        return [{"project": e.project.code, "score": str(e.score)} for e in row["finance"]]


class PerformanceSerializer(serializers.Serializer):
    targets = TargetSetSerializer(allow_null=True)
    self_evaluations = SelfEvaluationSerializer(many=True)
    finance_evaluations = serializers.ListField(child=serializers.DictField())
    third_party_evaluations = serializers.ListField(child=serializers.DictField())
    past_results = PastResultSerializer(many=True, help_text="申报单位其他项目以往的绩效评价结果，按年度")


class ProjectPerformanceView(APIView):
    @extend_schema(
        summary="项目绩效（目标、自评价、再评价、第三方评价）",
        tags=["performance"],
        responses={200: PerformanceSerializer, 404: ErrorSerializer},
    )
    def get(self, request, id):
        project = api_project(request, id)
        from .models import FinanceEvaluation, ThirdPartyEvaluation

        body = {
            "targets": targets_current(project),
            "self_evaluations": self_evaluations_of(project),
            "finance_evaluations": [
                {"id": e.pk, "year": e.member.draw.year, "score": str(e.score), "findings": e.findings}
                for e in FinanceEvaluation.objects.filter(project=project).select_related("member__draw")
            ],
            "third_party_evaluations": [
                {
                    "id": e.pk,
                    "evaluator": e.evaluator,
                    "evaluated_on": e.evaluated_on.isoformat(),
                    "score": e.score and str(e.score),
                    "conclusion": e.conclusion,
                }
                for e in ThirdPartyEvaluation.objects.filter(project=project)
            ],
            "past_results": past_results(
                organisation_id=project.organisation_id, exclude_project_id=project.pk
            ),
        }
        return Response(PerformanceSerializer(body).data)


class SampleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    seed = serializers.CharField()
    algorithm = serializers.CharField()
    candidates = serializers.ListField(child=serializers.IntegerField(), help_text="候选项目 ID（升序）")
    size = serializers.IntegerField()
    drawn = serializers.ListField(child=serializers.IntegerField(), help_text="抽中项目 ID（按抽中顺序）")
    reproduced = serializers.BooleanField(help_text="按种子和候选重新抽取，结果一致")
    at = serializers.DateTimeField()


class SampleDrawSerializer(serializers.Serializer):
    year = strict.IntegerField(label="年度", min_value=2000, max_value=2100)
    size = strict.IntegerField(label="抽取数量", min_value=1, max_value=1000)
    note = strict.CharField(label="说明", max_length=2000, required=False, allow_blank=True)


def _sample(row) -> dict:
    draw = row["draw"]
    return {
        **{
            f: getattr(draw, f)
            for f in ("id", "year", "seed", "algorithm", "candidates", "size", "drawn", "at")
        },
        "reproduced": row["reproduced"],
    }


class SamplesView(APIView):
    def _jurisdiction(self, request):
        user = request.user
        jurisdiction = user.organisation.jurisdiction if user.organisation_id else None
        if jurisdiction is None or not can_view_samples(user, jurisdiction):
            raise NotPermitted(READ_REFUSED)
        return jurisdiction

    @extend_schema(
        summary="财政再评价抽样",
        tags=["performance"],
        responses={200: SampleSerializer(many=True), 403: ErrorSerializer},
    )
    def get(self, request):
        jurisdiction = self._jurisdiction(request)
        return Response([_sample(r) for r in draws_rows(sample_draws(jurisdiction=jurisdiction))])

    @extend_schema(
        summary="抽取年度财政再评价项目（财政局）",
        tags=["performance"],
        request=SampleDrawSerializer,
        responses={201: SampleSerializer, 400: ErrorSerializer, 403: ErrorSerializer, 409: ErrorSerializer},
    )
    def post(self, request):
        jurisdiction = self._jurisdiction(request)
        if not can_draw_sample(request.user, jurisdiction):
            raise NotPermitted("只有本行政区划的财政局可以抽取再评价项目。")
        data = valid_data(SampleDrawSerializer(data=request.data))
        draw = services.sample_draw(
            jurisdiction=jurisdiction,
            year=data["year"],
            size=data["size"],
            by=request.user,
            note=data.get("note", ""),
        )
        row = draws_rows([draw])[0]
        return Response(_sample(row), status=status.HTTP_201_CREATED)


urlpatterns = [
    path("projects/<int:id>/performance/", ProjectPerformanceView.as_view(), name="api-performance"),
    path("performance/samples/", SamplesView.as_view(), name="api-performance-samples"),
]
