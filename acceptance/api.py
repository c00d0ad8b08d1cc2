"""The construction watch over the API (a read of API.md's "resources of your design"): the contract, the
supervisor, the baselines with their history, the reports with their variance against today's baseline, the
risk ratings and the 督办单 — what the project page shows, as one resource. The steps themselves are actions."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from projects.api.serializers import ErrorSerializer
from projects.api.views import api_project

from .construction_context import construction_page_context


class BaselineSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    contract_amount = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="万元")
    planned_completion_on = serializers.DateField(allow_null=True)
    milestones = serializers.JSONField(help_text='[{"name", "due_on"}]')
    reason = serializers.CharField()
    change = serializers.IntegerField(source="change_id", allow_null=True)
    approved_by = serializers.CharField(allow_null=True)
    set_at = serializers.DateTimeField()


class ProgressSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    period = serializers.CharField()
    reported_on = serializers.DateField()
    percent_done = serializers.DecimalField(max_digits=5, decimal_places=2)
    paid_amount = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="万元")
    baseline = serializers.IntegerField(help_text="报送时适用的基线版本")
    cost_variance = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="报送时，万元")
    schedule_variance_days = serializers.IntegerField(help_text="报送时，天")
    cost_variance_now = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text="对照现行基线，万元"
    )
    schedule_variance_days_now = serializers.IntegerField(allow_null=True, help_text="对照现行基线，天")
    problems = serializers.CharField()
    next_steps = serializers.CharField()


class SupervisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    period = serializers.CharField()
    organisation = serializers.CharField()
    items = serializers.JSONField(help_text='{code: {"finding", "rating"}}，四控三管')
    issues = serializers.CharField()
    follow_up = serializers.CharField()
    at = serializers.DateTimeField()


class RatingSerializer(serializers.Serializer):
    month = serializers.CharField()
    rating = serializers.IntegerField(help_text="1 高风险 … 5 低风险")
    comment = serializers.CharField()
    at = serializers.DateTimeField()


class EscalationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    trigger = serializers.CharField()
    reason = serializers.CharField()
    status = serializers.CharField()
    outcome = serializers.CharField()
    answer = serializers.CharField()
    close_note = serializers.CharField()
    items = serializers.JSONField(help_text='[{"text", "owner", "due_on"}]')


class ConstructionSerializer(serializers.Serializer):
    contract = serializers.JSONField(
        allow_null=True, help_text='{"supplier", "amount", "awarded_on", "signed_on"}'
    )
    supervisor = serializers.JSONField(
        allow_null=True, help_text='{"organisation", "starts_on", "ends_on", "score"}'
    )
    baselines = BaselineSerializer(many=True)
    progress_reports = ProgressSerializer(many=True)
    supervision_reports = SupervisionSerializer(many=True)
    risk_ratings = RatingSerializer(many=True)
    escalations = EscalationSerializer(many=True)


def construction_read(*, project, user) -> dict:
    ctx = construction_page_context(project=project, user=user, forms={})
    if not ctx.get("show_construction"):
        return {
            "contract": None,
            "supervisor": None,
            "baselines": [],
            "progress_reports": [],
            "supervision_reports": [],
            "risk_ratings": [],
            "escalations": [],
        }
    contract, current = ctx["contract"], ctx["supervisor_current"]
    score = getattr(current, "score", None) if current else None
    return {
        "contract": contract
        and {
            "supplier": contract.supplier,
            "amount": str(contract.amount),
            "awarded_on": contract.awarded_on and contract.awarded_on.isoformat(),
            "signed_on": contract.signed_on.isoformat(),
        },
        "supervisor": current
        and {
            "organisation": current.organisation.name,
            "starts_on": current.starts_on and current.starts_on.isoformat(),
            "ends_on": current.ends_on and current.ends_on.isoformat(),
            "score": score and str(score.score),
        },
        "baselines": [
            {**b.__dict__, "approved_by": str(b.approved_by) if b.approved_by else None}
            for b in ctx["baselines"]
        ],
        "progress_reports": [
            {
                **row["report"].__dict__,
                "baseline": row["baseline"].number,
                "cost_variance_now": row["variance"] and row["variance"].cost,
                "schedule_variance_days_now": row["variance"] and row["variance"].schedule_days,
            }
            for row in ctx["progress_rows"]
        ],
        "supervision_reports": [
            {**r.__dict__, "organisation": r.assignment.organisation.name} for r in ctx["supervision_reports"]
        ],
        "risk_ratings": ctx["risk_ratings"],
        "escalations": [
            {
                **e.__dict__,
                "items": [
                    {"text": i.text, "owner": i.owner, "due_on": i.due_on.isoformat()} for i in e.items.all()
                ],
            }
            for e in ctx["escalations"]
        ],
    }


class ConstructionView(APIView):
    @extend_schema(
        summary="建设监管",
        description="合同、监理、基线及其调整记录、进度和监理报告（对照基线的成本偏差、进度偏差）、月度风险评级、督办单。",
        tags=["construction"],
        responses={200: ConstructionSerializer, 404: ErrorSerializer},
    )
    def get(self, request, id):
        project = api_project(request, id)
        return Response(ConstructionSerializer(construction_read(project=project, user=request.user)).data)


urlpatterns = [path("projects/<int:id>/construction/", ConstructionView.as_view(), name="api-construction")]
