"""The 评审意见 letters over the API: the project's issued documents with their status, and issuing the
latest review opinion (BDC). A project the caller may not see is 404, as a missing one."""

from django.urls import path, reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core import api_fields as strict
from core.enums import Role
from core.errors import NotFound, NotPermitted
from core.models import Letter
from projects.actions import action_authorise
from projects.api.serializers import ErrorSerializer
from projects.api.views import valid_data
from projects.selectors import project_get

from .issuing import review_opinion_issue
from .models import ReviewOpinion

READERS = frozenset({Role.BDC, Role.FINANCE, Role.AUDITOR})


class LetterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    number = serializers.CharField(help_text="发文字号，如 文大数据评〔2026〕3号")
    title = serializers.CharField()
    addressee = serializers.CharField()
    status = serializers.ChoiceField(choices=Letter.Status.choices)
    status_label = serializers.CharField(
        help_text="状态说明；待生成而尚未送入生成队列（如消息队列暂不可用）时为“已登记，生成排队中”"
    )
    queued_at = serializers.DateTimeField(
        allow_null=True,
        help_text="PDF 生成任务送入队列的时间；为空表示已登记，排队等待送入（恢复后自动送入）",
    )
    error = serializers.CharField()
    replaces = serializers.CharField(allow_null=True, help_text="所更正原件的发文字号")
    issued_at = serializers.DateTimeField()
    sha256 = serializers.CharField(allow_null=True)
    download_url = serializers.CharField(allow_null=True)


class IssueSerializer(serializers.Serializer):
    replaces = strict.id_field(label="更正的原件", required=False, help_text="出具更正件时：原件的 ID")
    reason = strict.CharField(label="更正原因", required=False, allow_blank=True, max_length=500)


def _letter_dict(letter: Letter, user, project) -> dict:
    readable = letter.document_id and user.has_perm("projects.view_documents", project)
    return {
        "id": letter.pk,
        "kind": letter.kind,
        "kind_label": letter.get_kind_display(),
        "number": letter.number,
        "title": letter.title,
        "addressee": letter.addressee,
        "status": letter.status,
        "status_label": letter.status_text,
        "queued_at": letter.queued_at,
        "error": letter.error,
        "replaces": letter.replaces.number if letter.replaces_id else None,
        "issued_at": letter.issued_at,
        "sha256": letter.document.sha256 if letter.document_id else None,
        "download_url": (
            reverse("projects:document_download", kwargs={"pk": project.pk, "version_id": letter.document_id})
            if readable
            else None
        ),
    }


def _project(request, pk):
    project = project_get(user=request.user, pk=pk)
    if project is None:
        raise NotFound("项目不存在或无权查看。")
    if request.user.role not in READERS:
        raise NotPermitted("无权查看该项目的发文。")
    return project


class ProjectLettersView(APIView):
    @extend_schema(
        summary="项目的发文（评审意见等）及其生成状态",
        description="仅大数据中心、财政局和审计局可以查看（其他角色 403）。",
        responses={200: LetterSerializer(many=True), 403: ErrorSerializer},
    )
    def get(self, request, pk: int):
        project = _project(request, pk)
        letters = (
            Letter.objects.filter(project=project)
            .select_related("replaces", "document")
            .order_by("issued_at", "id")
        )
        return Response([_letter_dict(x, request.user, project) for x in letters])


class OpinionIssueView(APIView):
    @extend_schema(
        summary="出具评审意见（大数据中心）：编发文字号并生成 PDF",
        description="只有大数据中心可以出具（其他角色 403）；只能出具最新的评审意见，项目须在评审中（409）。",
        request=IssueSerializer,
        responses={202: LetterSerializer, 409: ErrorSerializer},
    )
    def post(self, request, pk: int, opinion_id: int):
        project = _project(request, pk)
        action_authorise(
            project=project, name="issue_opinion", by=request.user
        )  # before the opinion is sought
        opinion = (
            ReviewOpinion.objects.filter(pk=opinion_id, project=project).select_related("project").first()
        )
        if opinion is None:
            raise NotFound("评审意见不存在。")
        data = valid_data(IssueSerializer(data=request.data))
        replaces = None
        if data.get("replaces"):
            replaces = Letter.objects.filter(pk=data["replaces"], project=project).first()
            if replaces is None:
                raise NotFound("要更正的评审意见文件不存在。")
        letter = review_opinion_issue(
            opinion=opinion, by=request.user, replaces=replaces, reason=data.get("reason", "")
        )
        letter = Letter.objects.select_related("replaces", "document").get(pk=letter.pk)
        return Response(_letter_dict(letter, request.user, project), status=status.HTTP_202_ACCEPTED)


urlpatterns = [
    path("projects/<int:pk>/letters/", ProjectLettersView.as_view(), name="api-project-letters"),
    path(
        "projects/<int:pk>/review-opinions/<int:opinion_id>/issue/",
        OpinionIssueView.as_view(),
        name="api-opinion-issue",
    ),
]
