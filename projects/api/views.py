"""The projects REST API (API.md). Thin: parse, call a selector or a service, serialise.

Every view finds the project through `selectors.project_get`, so a project the caller may not see answers
404 exactly as a missing one does; the services check the caller's right to act on it."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import FILE_RENDERERS
from core.api_fields import KeysetPagination
from core.enums import Role
from core.errors import InvalidInput, NotFound, NotPermitted
from core.files import ALLOWED_TYPES

from .. import selectors, services
from ..actions import ACTIONS, action_authorise, actions_available, project_action
from ..deadlines import project_deadlines
from ..enums import ConstructionKind, DocumentKind
from ..models import DocumentVersion, Project
from ..policies import POLICIES
from ..transitions import TRANSITIONS
from . import serializers as s

NOT_FOUND = "项目不存在或无权查看。"


def valid_data(serializer) -> dict:
    """The validated data, or a 400 whose Chinese detail names each field by its label."""
    if not isinstance(serializer.initial_data, dict):  # JSON null, a list, a number: not a body of fields
        raise InvalidInput("请求内容须为 JSON 对象（或表单）。")
    if serializer.is_valid():
        return serializer.validated_data
    parts = []
    for name, errors in serializer.errors.items():
        field = serializer.fields.get(name)
        label = str(field.label) if field is not None and field.label else name
        parts.append(f"{label}：{_messages(errors)}" if name != "non_field_errors" else _messages(errors))
    raise InvalidInput("；".join(parts), extra={"errors": serializer.errors})


def _messages(errors) -> str:
    if isinstance(errors, dict):  # a list field: errors by position
        return "；".join(_messages(e) for e in errors.values())
    if isinstance(errors, list):
        return "".join(_messages(e) for e in errors)
    return str(errors)


def api_project(request, pk: int) -> Project:
    project = selectors.project_get(user=request.user, pk=pk)
    if project is None:
        raise NotFound(NOT_FOUND)
    return project


# ---- vocabularies ------------------------------------------------------------------------------


class PolicyListView(APIView):
    @extend_schema(summary="管理办法", tags=["vocabularies"], responses=s.PolicySerializer(many=True))
    def get(self, request):
        items = [
            {
                "code": p.code,
                "label": p.label,
                "title": p.title,
                "document_number": p.document_number,
                "jurisdiction": p.jurisdiction,
                "version": p.version,
                "issued": p.issued,
            }
            for p in POLICIES.values()
        ]
        return Response(s.PolicySerializer(items, many=True).data)


class DocumentKindListView(APIView):
    @extend_schema(summary="文档类型", tags=["vocabularies"], responses=s.VocabularySerializer(many=True))
    def get(self, request):
        return Response([{"code": code, "label": label} for code, label in DocumentKind.choices])


class ConstructionKindListView(APIView):
    @extend_schema(summary="建设内容类别", tags=["vocabularies"], responses=s.VocabularySerializer(many=True))
    def get(self, request):
        return Response([{"code": code, "label": label} for code, label in ConstructionKind.choices])


# ---- projects ----------------------------------------------------------------------------------


class ProjectListView(GenericAPIView):
    serializer_class = s.ProjectSerializer
    filter_backends = []
    pagination_class = KeysetPagination
    keyset = ("created_at", "id")  # the list's order, and its index (projects.Project.Meta.indexes)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no real caller
            return Project.objects.none()
        filters = valid_data(s.ProjectListQuerySerializer(data=self.request.query_params))
        return selectors.project_list(user=self.request.user, filters=filters).defer(
            *s.PROJECT_UNLISTED_FIELDS
        )

    @extend_schema(
        summary="项目列表",
        description="调用者有权查看的项目，最新创建的在前。按 next 链接（cursor 游标）逐页读取；"
        "count 至多计到 1000（count_exact 为 false 时表示更多）。",
        tags=["projects"],
        parameters=[s.ProjectListQuerySerializer],
        responses={200: s.ProjectSerializer(many=True), 400: s.InvalidInputSerializer},
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        context = {**self.get_serializer_context(), "co_builders": selectors.co_builder_briefs(page)}
        return self.get_paginated_response(s.ProjectSerializer(page, many=True, context=context).data)

    @extend_schema(
        summary="申报项目（创建草稿）",
        description="只有建设单位可以创建，项目属于调用者的单位，适用其行政区划现行的管理办法。",
        tags=["projects"],
        request=s.ProjectInputSerializer,
        responses={201: s.ProjectSerializer, **s.ERRORS},
    )
    def post(self, request):
        if request.user.role != Role.DEPARTMENT or request.user.organisation_id is None:
            raise NotPermitted(
                "只有建设单位可以申报项目。"
            )  # before the body is read: a refusal teaches nothing
        data = dict(valid_data(s.ProjectInputSerializer(data=request.data)))
        project = services.project_create(by=request.user, data=data)
        return Response(s.ProjectSerializer(project).data, status=status.HTTP_201_CREATED)


class ProjectDetailView(APIView):
    @extend_schema(
        summary="项目详情", tags=["projects"], responses={200: s.ProjectSerializer, 404: s.ErrorSerializer}
    )
    def get(self, request, id):
        return Response(s.ProjectSerializer(api_project(request, id)).data)

    @extend_schema(
        summary="修改草稿",
        description="只有项目的申报单位可以修改，且仅限草稿状态；提交后返回 409。",
        tags=["projects"],
        request=s.ProjectInputSerializer(partial=True),
        responses={200: s.ProjectSerializer, 409: s.ErrorSerializer, **s.ERRORS},
    )
    def patch(self, request, id):
        project = api_project(request, id)
        services.project_update_authorise(project=project, by=request.user)  # before the body is read
        data = dict(valid_data(s.ProjectInputSerializer(data=request.data, partial=True)))
        project = services.project_update(project=project, by=request.user, data=data)
        return Response(s.ProjectSerializer(api_project(request, project.pk)).data)


# ---- documents ---------------------------------------------------------------------------------


class DocumentListView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="项目文档",
        description="按类型列出文档及其全部版本（最新在前）。涉密项目的文档仅申报单位"
        "和获授权的人员可以查看。",
        tags=["documents"],
        responses={200: s.DocumentSerializer(many=True), 403: s.ErrorSerializer, 404: s.ErrorSerializer},
    )
    def get(self, request, id):
        project = api_project(request, id)
        if not request.user.has_perm("projects.view_documents", project):
            raise NotPermitted("无权查看该项目的文档。")
        documents = selectors.project_documents(project=project)
        return Response(s.DocumentSerializer(documents, many=True, context={"project_id": project.pk}).data)

    @extend_schema(
        summary="上传文档",
        description="同类型的文档再次上传即为新版本，旧版本保留。文件类型按实际内容核验，"
        "扩展名与内容不符或为可执行程序的文件不予接收。",
        tags=["documents"],
        request={"multipart/form-data": s.DocumentUploadSerializer},
        responses={201: s.DocumentVersionSerializer, **s.ERRORS},
    )
    def post(self, request, id):
        project = api_project(request, id)
        services.document_upload_authorise(project=project, by=request.user)  # before the body is read
        data = valid_data(s.DocumentUploadSerializer(data=request.data))
        try:
            version = services.document_upload(
                project=project,
                by=request.user,
                kind=data["kind"],
                file=data["file"],
                title=data.get("title", ""),
                has_sharing_chapter=data["has_sharing_chapter"],
                has_security_chapter=data["has_security_chapter"],
            )
        except InvalidInput as exc:  # the rest is well-formed: what the file holds is refused
            exc.extra.setdefault("errors", {"file": [exc.message]})
            raise
        version = DocumentVersion.objects.select_related("document", "uploaded_by").get(pk=version.pk)
        return Response(
            s.DocumentVersionSerializer(version, context={"project_id": project.pk}).data,
            status=status.HTTP_201_CREATED,
        )


class DocumentDownloadView(APIView):
    renderer_classes = FILE_RENDERERS

    @extend_schema(
        summary="下载文档版本",
        tags=["documents"],
        description="文件以上传时按内容核验的类型返回。",
        responses={
            **{
                (200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description="文件内容")
                for content_type in sorted({*ALLOWED_TYPES, "application/pdf"})
            },
            403: s.ErrorSerializer,
            404: s.ErrorSerializer,
        },
    )
    def get(self, request, id, version_id):
        project = api_project(request, id)
        if not request.user.has_perm("projects.view_documents", project):
            raise NotPermitted("无权查看该项目的文档。")
        return selectors.document_version_file(project=project, version_id=version_id)


# ---- transitions -------------------------------------------------------------------------------


class TransitionListView(APIView):
    @extend_schema(
        summary="可办理的流转",
        description="当前状态下调用者的角色可以办理的流转，及每条规则此刻的核验情况。",
        tags=["transitions"],
        responses={200: s.TransitionSerializer(many=True), 404: s.ErrorSerializer},
    )
    def get(self, request, id):
        project = api_project(request, id)
        available = services.transitions_available(project=project, user=request.user)
        return Response(s.TransitionSerializer(available, many=True).data)


class TransitionRunView(APIView):
    """POST transitions/<name>/. Each transition has its own view and operation in the schema, its body typed as
    its form has it (`TRANSITION_VIEWS`); `UnknownTransitionView` answers the names no transition has (404)."""

    parser_classes = [JSONParser, FormParser, MultiPartParser]
    transition: str | None = None

    def post(self, request, id, name=None):
        name = self.transition or name
        project = api_project(request, id)
        services.transition_authorise(project=project, name=name, by=request.user)  # before the body is read
        if not isinstance(request.data, dict):
            raise InvalidInput("请求内容须为 JSON 对象。")
        valid_data(
            s.TRANSITION_INPUTS[name](data=request.data)
        )  # as the schema says, before the form reads it
        data = request.data.dict() if hasattr(request.data, "dict") else dict(request.data)
        project = services.project_transition(project_id=project.pk, name=name, by=request.user, data=data)
        return Response(s.ProjectSerializer(api_project(request, project.pk)).data)


def _transition_view(spec) -> type[TransitionRunView]:
    who = "、".join(Role(r).label for r in sorted(spec.roles))
    view = type(
        f"{spec.name.title().replace('_', '')}TransitionView", (TransitionRunView,), {"transition": spec.name}
    )
    return extend_schema_view(
        post=extend_schema(
            operation_id=f"projects_transition_{spec.name}",
            summary=f"办理流转：{spec.label}",
            description=f"默认由{who}办理（适用的管理办法可另行规定）。规则不允许时返回 409 及未通过的阻断性规则；"
            "角色无权办理时返回 403；所填内容有误时返回 400。",
            tags=["transitions"],
            request=s.TRANSITION_INPUTS[spec.name],
            responses={200: s.ProjectSerializer, 409: s.ConflictSerializer, **s.ERRORS},
        )
    )(view)


TRANSITION_VIEWS = {name: _transition_view(spec) for name, spec in TRANSITIONS.items()}


# A name no transition has is 404, as any address the schema does not list.
UnknownTransitionView = extend_schema_view(post=extend_schema(exclude=True))(
    type("UnknownTransitionView", (TransitionRunView,), {})
)


# ---- actions -----------------------------------------------------------------------------------


def _action_schema() -> str:
    """Every registered action with its roles and fields, for the schema's description."""
    from core.fields import form_describe

    lines = ["", "", "| 事项 name | 名称 | 默认办理角色 | 字段 |", "|---|---|---|---|"]
    for spec in sorted(ACTIONS.values(), key=lambda a: a.name):
        roles = "、".join(Role(r).label for r in sorted(spec.roles))
        try:
            fields = "、".join(f"`{f['name']}` {f['type']}" for f in form_describe(_schema_form(spec)))
        except Exception:  # a form that needs a real project lists its fields at GET actions/
            fields = "见 GET actions/ 的 fields"
        optional = "（仅适用的管理办法规定时）" if spec.optional else ""
        lines.append(f"| `{spec.name}` | {spec.label}{optional} | {roles} | {fields} |")
    return "\n".join(lines)


def _schema_form(spec):
    from projects.models import Project

    return spec.form(Project(policy_code="wendeng-2021", policy_version="2021-08-18"), None)


class ActionListView(APIView):
    @extend_schema(
        summary="可办理的事项",
        description="当前状态下调用者可以办理的事项（不改变项目状态、只形成记录的步骤），"
        "每项带此刻的规则核验、填写内容的说明（fields）以及调用者在当前状态下已办理的次数（taken）。",
        tags=["actions"],
        responses={200: s.ActionSerializer(many=True), 404: s.ErrorSerializer},
    )
    def get(self, request, id):
        project = api_project(request, id)
        return Response(
            s.ActionSerializer(actions_available(project=project, user=request.user), many=True).data
        )


class ActionRunView(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        summary="办理事项",
        description="按事项的 fields 提交（有文件时用 multipart）。成功返回 201 及所形成的记录；"
        "规则不允许时 409 及未通过的阻断性规则；调用者无权办理时 403；该事项不适用于本项目时 404；"
        "所填内容有误时 400。全部事项：" + _action_schema(),
        tags=["actions"],
        parameters=[
            OpenApiParameter("name", str, OpenApiParameter.PATH, enum=sorted(ACTIONS), description="事项名称")
        ],
        request={"application/json": OpenApiTypes.OBJECT, "multipart/form-data": OpenApiTypes.OBJECT},
        responses={201: OpenApiTypes.OBJECT, 409: s.ConflictSerializer, **s.ERRORS},
    )
    def post(self, request, id, name):
        project = api_project(request, id)
        action_authorise(project=project, name=name, by=request.user)  # before the body is read
        if not isinstance(request.data, dict):
            raise InvalidInput("请求内容须为 JSON 对象。")
        record = project_action(
            project_id=id, name=name, by=request.user, data=request.data, files=request.FILES
        )
        spec = ACTIONS[name]
        return Response(spec.describe(record), status=status.HTTP_201_CREATED)


# ---- timeline ----------------------------------------------------------------------------------


class TimelineView(APIView):
    @extend_schema(
        summary="项目时间线",
        description="只追加、不可修改的项目记录，最早的在前；每条带前一条的哈希。",
        tags=["timeline"],
        responses={200: s.TimelineEntrySerializer(many=True), 404: s.ErrorSerializer},
    )
    def get(self, request, id):
        project = api_project(request, id)
        # 涉密: who may not read the documents does not learn their names and hashes from the record either.
        hide = not request.user.has_perm("projects.view_documents", project)
        entries = selectors.project_timeline(project=project)
        return Response(s.TimelineEntrySerializer(entries, many=True, context={"hide_documents": hide}).data)


# ---- deadlines ---------------------------------------------------------------------------------


class DeadlinesView(APIView):
    @extend_schema(
        summary="期限与预警",
        description="本项目适用的管理办法规定的各项期限（含状态：未开始、待办、即将到期、已逾期、已按期完成、"
        "逾期完成、无法计算），以及每日预警任务已记录的预警。",
        tags=["deadlines"],
        responses={200: s.DeadlinesSerializer, 404: s.ErrorSerializer},
    )
    def get(self, request, id):
        project = api_project(request, id)
        data = {
            "deadlines": [d.as_dict() for d in project_deadlines(project)],
            "warnings": list(project.deadline_warnings.all()),
        }
        return Response(s.DeadlinesSerializer(data).data)
