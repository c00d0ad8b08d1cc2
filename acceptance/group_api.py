"""The acceptance group over the API (a read of API.md's "resources of your design"): the group with each
member's unit and the draw, the experts' opinions by round, the conclusions with their 竣工验收意见函 and the
rectification items — what the project page shows, as one resource. The steps themselves are actions
(draw_acceptance_group, acceptance_opinion, issue_acceptance_letter, rectification_report)."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from projects.api.serializers import ErrorSerializer
from projects.api.views import api_project

from .group_context import group_page_context


class MemberSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="expert 专家 / representative 代表")
    party = serializers.CharField(source="party_label")
    name = serializers.CharField()
    unit = serializers.CharField()


class GroupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    formed_on = serializers.DateField()
    draw = serializers.IntegerField(source="draw_id", help_text="专家抽取记录（可复核）")
    members = MemberSerializer(many=True)


class OpinionSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    expert = serializers.CharField(source="member.name")
    conditions = serializers.JSONField(help_text='{code: {"label", "article", "met", "comment"}}')
    recommendation = serializers.CharField()
    opinion = serializers.CharField()
    at = serializers.DateTimeField()


class ItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    text = serializers.CharField()
    owner = serializers.CharField()
    due_on = serializers.DateField()
    report = serializers.CharField()
    reported_on = serializers.DateField(allow_null=True)
    evidence = serializers.IntegerField(source="evidence_id", allow_null=True, help_text="佐证材料的文件版本")


class VerdictSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    round = serializers.IntegerField()
    conclusion = serializers.CharField(help_text="passed 合格 / failed 不合格")
    summary = serializers.CharField()
    findings = serializers.JSONField(help_text='[{"code", "label", "article", "met", "votes", "of"}]')
    after_rectification = serializers.BooleanField(help_text="整改后仍不合格")
    letter_number = serializers.CharField(source="letter.number")
    letter_status = serializers.CharField(source="letter.status")
    letter_document = serializers.IntegerField(source="letter.document_id", allow_null=True)
    replaces = serializers.CharField(source="letter.replaces.number", allow_null=True, default=None)
    items = ItemSerializer(many=True, source="items.all")


class AcceptanceGroupReadSerializer(serializers.Serializer):
    group = GroupSerializer(allow_null=True)
    opinions = OpinionSerializer(many=True)
    verdicts = VerdictSerializer(many=True)


class AcceptanceGroupView(APIView):
    @extend_schema(
        summary="竣工验收",
        description="验收组（每位成员及其单位、专家抽取记录）、各轮验收专家意见、验收结论及竣工验收意见函、整改事项。",
        tags=["acceptance"],
        responses={200: AcceptanceGroupReadSerializer, 404: ErrorSerializer},
    )
    def get(self, request, id):
        project = api_project(request, id)
        ctx = group_page_context(project=project, user=request.user, forms={}, always=True)
        group = ctx["acceptance_group"]
        data = {
            "group": group
            and {
                "id": group.pk,
                "formed_on": group.formed_on,
                "draw_id": group.draw_id,
                "members": ctx["acceptance_group_members"],
            },
            "opinions": [row["opinion"] for r in ctx["acceptance_rounds"] for row in r["opinions"]],
            "verdicts": ctx["acceptance_verdicts"],
        }
        return Response(AcceptanceGroupReadSerializer(data).data)


urlpatterns = [path("projects/<int:id>/acceptance/", AcceptanceGroupView.as_view(), name="api-acceptance")]
