"""The exports over the API: `POST /api/v1/exports/{name}/` asks for one (202, the job), `GET
/api/v1/exports/jobs/{id}/` is its progress, `GET /api/v1/exports/jobs/{id}/file/` the file once `status` is
`ready` (docs/operations.md, *Performance*). Only the one who asked sees the job; anyone else gets 404."""

from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from .api import FILE_RENDERERS
from .errors import Conflict, InvalidInput
from .export_views import export_file_response
from .exports import XLSX, export_job_get, export_request
from .models import ExportJob


class _Error(serializers.Serializer):
    detail = serializers.CharField()


class ExportJobSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    percent = serializers.IntegerField(read_only=True, help_text="进度（0–100）")
    page_url = serializers.SerializerMethodField(help_text="浏览器中查看进度、下载的页面")
    file_url = serializers.SerializerMethodField(help_text="status 为 ready 时下载文件的地址")

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "name",
            "title",
            "params",
            "status",
            "status_label",
            "rows_done",
            "rows_total",
            "percent",
            "file_name",
            "size",
            "error",
            "task_seconds",
            "requested_at",
            "started_at",
            "finished_at",
            "page_url",
            "file_url",
        ]
        read_only_fields = fields

    def get_page_url(self, job) -> str:
        return reverse("export_job", args=[job.pk])

    def get_file_url(self, job) -> str | None:
        return reverse("api-export-file", args=[job.pk]) if job.status == ExportJob.Status.READY else None


class ExportNewView(APIView):
    parser_classes = [JSONParser, FormParser]

    @extend_schema(
        summary="申请导出（后台生成）",
        description="参数随导出类型而定（如台账的 year）。立即返回任务（202），生成在后台进行；"
        "轮询 GET /api/v1/exports/jobs/{id}/，status 为 ready 后从 file_url 下载。",
        tags=["exports"],
        request=OpenApiTypes.OBJECT,
        responses={202: ExportJobSerializer, 400: _Error, 403: _Error, 404: _Error},
    )
    def post(self, request, name):
        if not isinstance(request.data, dict):
            raise InvalidInput("请求内容须为 JSON 对象（或表单）。")
        data = {k: (v if isinstance(v, str) else str(v)) for k, v in request.data.items()}
        job = export_request(name=name, by=request.user, data=data)
        return Response(ExportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ExportJobView(APIView):
    @extend_schema(
        summary="导出任务进度", tags=["exports"], responses={200: ExportJobSerializer, 404: _Error}
    )
    def get(self, request, pk):
        return Response(ExportJobSerializer(export_job_get(user=request.user, pk=pk)).data)


class ExportFileView(APIView):
    renderer_classes = FILE_RENDERERS

    @extend_schema(
        summary="下载导出文件",
        tags=["exports"],
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY), 404: _Error, 409: _Error},
    )
    def get(self, request, pk):
        job = export_job_get(user=request.user, pk=pk)
        if job.status != ExportJob.Status.READY or not job.file:
            raise Conflict(f"文件尚未生成完成（{job.get_status_display()}），请稍后再试。")
        return export_file_response(job)


urlpatterns = [
    path("exports/jobs/<int:pk>/", ExportJobView.as_view(), name="api-export-job"),
    path("exports/jobs/<int:pk>/file/", ExportFileView.as_view(), name="api-export-file"),
    path("exports/<slug:name>/", ExportNewView.as_view(), name="api-export-new"),
]
