"""The catalogue over the API (API.md: POST /api/v1/projects/{id}/resources/), beside the project's own API."""

from django.urls import path
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core import api_fields as strict
from core.schema import NOT_BLANK
from projects.api.serializers import ERRORS, ErrorSerializer, choice_message
from projects.api.views import api_project, valid_data

from .enums import OpenType, ShareType
from .services import resource_add, resource_add_authorise


class ResourceInputSerializer(serializers.Serializer):
    name = strict.CharField(label="资源名称", max_length=200)
    source = strict.CharField(label="数据来源", max_length=200)
    format = strict.CharField(label="数据格式", max_length=64)
    update_frequency = strict.CharField(label="更新频率", max_length=32)
    share_type = strict.ChoiceField(
        label="共享属性", choices=ShareType.choices, error_messages=choice_message(ShareType.values)
    )
    share_condition = strict.CharField(
        label="共享条件", max_length=200, required=False, allow_blank=True, help_text="有条件共享时必填"
    )
    open_type = strict.ChoiceField(
        label="开放属性", choices=OpenType.choices, error_messages=choice_message(OpenType.values)
    )
    video_points = strict.CharField(label="视频监控点位", required=False, allow_blank=True)
    share_scope = strict.CharField(label="共享范围", max_length=200, required=False, allow_blank=True)


class ResourceInputSchema(OpenApiSerializerExtension):
    """有条件共享 needs its condition: said in the schema as the service says it."""

    target_class = ResourceInputSerializer

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        schema["anyOf"] = [
            {"properties": {"share_type": {"not": {"enum": [ShareType.CONDITIONAL]}}}},
            {"required": ["share_condition"], "properties": {"share_condition": {"pattern": NOT_BLANK}}},
        ]
        return schema


class ResourceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    source = serializers.CharField()
    format = serializers.CharField()
    update_frequency = serializers.CharField()
    share_type = serializers.ChoiceField(choices=ShareType.choices)
    share_condition = serializers.CharField()
    open_type = serializers.ChoiceField(choices=OpenType.choices)
    video_points = serializers.CharField()
    share_scope = serializers.CharField()
    registered = serializers.BooleanField(help_text="已纳入共享平台目录")
    connected = serializers.BooleanField(help_text="已接入共享平台")
    created_at = serializers.DateTimeField()


class ResourceListView(APIView):
    @extend_schema(
        summary="数据资源目录",
        tags=["resources"],
        responses={200: ResourceSerializer(many=True), 404: ErrorSerializer},
    )
    def get(self, request, id):
        project = api_project(request, id)
        return Response(ResourceSerializer(project.resources.order_by("id"), many=True).data)

    @extend_schema(
        summary="登记数据资源",
        description="项目申报单位填报项目产生和使用的数据资源及其共享、开放属性。",
        tags=["resources"],
        request=ResourceInputSerializer,
        responses={201: ResourceSerializer, **ERRORS},
    )
    def post(self, request, id):
        project = api_project(request, id)
        resource_add_authorise(project=project, by=request.user)  # before the body is read
        data = valid_data(ResourceInputSerializer(data=request.data))
        resource = resource_add(project=project, by=request.user, data=dict(data))
        return Response(ResourceSerializer(resource).data, status=status.HTTP_201_CREATED)


urlpatterns = [path("projects/<int:id>/resources/", ResourceListView.as_view(), name="api-resources")]
