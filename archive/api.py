"""Archive packages over the API (API.md, *Search and archive packages*): the package's record, polled until it
is built, and its download. Requested through the `export_archive` action. A package of a project the caller
may not see, or may not export, is as absent as a missing one (404)."""

import json

from django.http import FileResponse
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import renderers, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_fields import AmountField
from core.errors import InvalidInput, NotFound, form_message
from projects.actions import actor_allowed
from projects.enums import ProjectState
from projects.selectors import project_get

from .forms import SearchForm
from .models import ArchivePackage, SearchEntry
from .search import search


class SearchQuerySerializer(serializers.Serializer):
    """The query parameters, for the schema (archive.forms.SearchForm validates them)."""

    q = serializers.CharField(required=False, max_length=200, help_text="关键词；多个以空格分隔，须同时命中")
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    organisation = serializers.IntegerField(required=False, min_value=1, help_text="申报单位 ID")
    state = serializers.ChoiceField(required=False, choices=ProjectState.choices)
    policy = serializers.CharField(required=False, max_length=32)
    kind = serializers.ChoiceField(required=False, choices=SearchEntry.Kind.choices)
    # The schema's amount (core.api_fields): digits with at most two decimals.
    amount_min = AmountField(required=False)
    amount_max = AmountField(required=False)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=50)
    offset = serializers.IntegerField(required=False, min_value=0, max_value=10_000)


class PackageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    project_id = serializers.IntegerField()
    code = serializers.CharField(help_text="项目编号")
    status = serializers.ChoiceField(choices=ArchivePackage.Status.choices)
    status_label = serializers.CharField()
    progress = serializers.IntegerField(min_value=0, max_value=100, help_text="生成进度（%）")
    requested_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    files = serializers.IntegerField(allow_null=True, help_text="包内文件数（不含 manifest.json）")
    size = serializers.IntegerField(allow_null=True, help_text="归档包大小（字节）")
    sha256 = serializers.CharField(help_text="归档包的 SHA-256；生成前为空")
    manifest_sha256 = serializers.CharField(help_text="manifest.json 的 SHA-256，亦记于项目时间线")
    manifest_sm3 = serializers.CharField(help_text="manifest.json 的 SM3")
    error = serializers.CharField()
    download_url = serializers.CharField(allow_null=True, help_text="生成完成前为空")


def package_dict(package: ArchivePackage) -> dict:
    ready = package.status == ArchivePackage.Status.READY
    return {
        "id": package.pk,
        "project_id": package.project_id,
        "code": package.project.code,
        "status": package.status,
        "status_label": package.get_status_display(),
        "progress": package.progress,
        "requested_at": package.requested_at,
        "finished_at": package.finished_at,
        "files": package.files,
        "size": package.size,
        "sha256": package.sha256,
        "manifest_sha256": package.manifest_sha256,
        "manifest_sm3": package.manifest_sm3,
        "error": package.error,
        "download_url": reverse("api-archive-package-download", kwargs={"pk": package.pk}) if ready else None,
    }


def package_for(user, pk) -> ArchivePackage:
    """The package, if the caller may see its project and export it (the body that may take `export_archive`)."""
    package = ArchivePackage.objects.select_related("project").filter(pk=pk).first()
    project = project_get(user=user, pk=package.project_id) if package else None
    if project is None or not actor_allowed(project, "export_archive", user):
        raise NotFound("归档包不存在或无权查看。")
    if not user.has_perm("projects.view_documents", project):
        raise NotFound("归档包不存在或无权查看。")
    return package


class PackageView(APIView):
    @extend_schema(
        operation_id="archive_package_retrieve",
        summary="归档包（生成进度与下载地址）",
        responses={200: PackageSerializer, 404: OpenApiResponse(description="归档包不存在或无权查看")},
    )
    def get(self, request, pk: int):
        return Response(package_dict(package_for(request.user, pk)))


class ZipRenderer(renderers.BaseRenderer):
    """Lets a client that asks for application/zip have it; an error in that case is still the JSON detail."""

    media_type = "application/zip"
    format = "zip"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data, ensure_ascii=False).encode() if isinstance(data, dict) else data


class PackageDownloadView(APIView):
    renderer_classes = [renderers.JSONRenderer, ZipRenderer]

    @extend_schema(
        operation_id="archive_package_download",
        summary="下载归档包（zip）",
        responses={
            (200, "application/zip"): OpenApiResponse(response=OpenApiTypes.BINARY, description="归档包"),
            404: OpenApiResponse(description="归档包不存在、无权查看或尚未生成"),
        },
    )
    def get(self, request, pk: int):
        package = package_for(request.user, pk)
        if package.status != ArchivePackage.Status.READY or not package.file:
            raise NotFound("归档包尚未生成。")
        try:
            handle = package.file.open("rb")
        except OSError:
            raise NotFound("归档包文件已不在存储中，请联系系统管理员。") from None
        name = f"{package.project.code}-归档包-{package.pk}.zip"
        return FileResponse(handle, as_attachment=True, filename=name, content_type="application/zip")


class SearchHitSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=SearchEntry.Kind.choices)
    type_label = serializers.CharField()
    project_id = serializers.IntegerField()
    code = serializers.CharField()
    project_name = serializers.CharField()
    organisation = serializers.CharField()
    title = serializers.CharField()
    snippet = serializers.CharField(help_text="命中处前后的文字，命中词以 <mark> 标出（其余已转义）")


class FacetSerializer(serializers.Serializer):
    value = serializers.JSONField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class SearchResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    count_estimated = serializers.BooleanField(
        help_text="命中过多（逾 5000 条）时为 true：count 与各分面计数为抽样估计，结果按时间由近及远排列（至多前 1000 条）"
    )
    results = SearchHitSerializer(many=True)
    facets = serializers.DictField(
        child=FacetSerializer(many=True), help_text="year、organisation、state、policy、kind 各项的命中数"
    )


class SearchView(APIView):
    @extend_schema(
        operation_id="search",
        summary="全文检索（项目、文档、发文、数据资源）",
        parameters=[SearchQuerySerializer],
        responses={200: SearchResponseSerializer, 400: OpenApiResponse(description="参数不合法")},
    )
    def get(self, request):
        form = SearchForm(request.query_params)
        if not form.is_valid():
            raise InvalidInput(form_message(form), extra={"errors": form.errors.get_json_data()})
        data = form.cleaned_data
        result = search(
            user=request.user,
            query=data["q"],
            filters=form.filters(),
            limit=data["limit"] or 20,
            offset=data["offset"] or 0,
        )
        return Response(
            {
                "count": result.total,
                "count_estimated": result.estimated,
                "results": result.hits,
                "facets": result.facets,
            }
        )


urlpatterns = [
    path("search/", SearchView.as_view(), name="api-search"),
    path("archive-packages/<int:pk>/", PackageView.as_view(), name="api-archive-package"),
    path(
        "archive-packages/<int:pk>/download/",
        PackageDownloadView.as_view(),
        name="api-archive-package-download",
    ),
]
