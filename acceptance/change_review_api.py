"""A project's changes over the API (a read of API.md's "resources of your design"): each change with how its
regulation treats it and, where it is re-reviewed by experts, its panel — each member with their unit and whether
they have submitted (never what: blind until decided, as on the page) — and, once decided, the panel's tally.
The steps themselves are actions (request_change, draw_change_panel, score_change, decide_change)."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from projects.api.serializers import ErrorSerializer
from projects.api.views import api_project

from .change_review import change_review_page, standing_prefetch


class PanelMemberSerializer(serializers.Serializer):
    name = serializers.CharField(source="member.name")
    unit = serializers.CharField(source="member.unit")
    submitted = serializers.BooleanField(help_text="已提交变更评审意见（内容在审核前不公开）")


class PanelSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    draw = serializers.IntegerField(source="draw_id", help_text="专家抽取记录（可复核）")
    source = serializers.CharField(help_text="重新履行审核手续的依据")
    at = serializers.DateTimeField()


class ChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    aspects = serializers.JSONField()
    description = serializers.CharField()
    amount_change = serializers.DecimalField(max_digits=14, decimal_places=2)
    new_total = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    status = serializers.CharField(
        help_text="filed 已备案 / submitted 待审核 / approved 已批准 / rejected 不予批准"
    )
    needs_approval = serializers.BooleanField()
    expert_review = serializers.BooleanField(help_text="须经随机抽取的专家组评审")
    rule = serializers.CharField()
    decision_note = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)
    panel = PanelSerializer(allow_null=True)
    panel_members = PanelMemberSerializer(many=True, source="panel_rows")
    review_tally = serializers.JSONField(
        allow_null=True,
        help_text='审核时的专家组意见：{"agree", "disagree", "summary", "criteria": [{"code", "label", "article", '
        '"average", "grades"}], "against_panel"}',
    )


class ChangesView(APIView):
    @extend_schema(
        summary="项目变更",
        description="项目变更及其依据；须专家评审的变更：变更评审专家组（成员及其单位、是否已提交）和审核时的专家组意见。",
        tags=["construction"],
        responses={200: ChangeSerializer(many=True), 404: ErrorSerializer},
    )
    def get(self, request, id):
        project = api_project(request, id)
        changes = list(
            project.change_requests.select_related("review__draw").prefetch_related(
                *standing_prefetch("review__")
            )
        )
        change_review_page(project, request.user, changes)
        return Response(ChangeSerializer(changes, many=True).data)


urlpatterns = [path("projects/<int:id>/changes/", ChangesView.as_view(), name="api-changes")]
