"""The pages of an export (core.exports): ask for it (POST), watch it being built (the page refreshes itself
until the job is done), download it. Only the one who asked sees the job; anyone else gets "not found"."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from .errors import ApplicationError, NotFound
from .exports import EXPORTS, XLSX, export_job_get, export_request
from .models import ExportJob
from .pages import refusal

REFRESH_SECONDS = 2


@login_required
@require_POST
def export_new(request, name):
    try:
        job = export_request(name=name, by=request.user, data=request.POST.dict())
    except ApplicationError as exc:
        return refusal(request, f"未能导出：{exc.message}", exc.status)
    messages.success(request, f"已开始生成“{job.title}”，完成后可在本页下载。")
    return redirect("export_job", pk=job.pk)


def _job_or_404(request, pk) -> ExportJob:
    try:
        return export_job_get(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from None


@login_required
@require_http_methods(["GET", "HEAD"])
def export_job(request, pk):
    job = _job_or_404(request, pk)
    done = job.status in (ExportJob.Status.READY, ExportJob.Status.FAILED)
    response = render(
        request,
        "core/export_job.html",
        {
            "job": job,
            "done": done,
            "refresh": REFRESH_SECONDS,
            "back_url": EXPORTS[job.name].back_url(job.params),
        },
    )
    if not done:
        response["Refresh"] = str(REFRESH_SECONDS)  # the page asks again until the worker is done
    return response


@login_required
@require_http_methods(["GET", "HEAD"])
def export_download(request, pk):
    job = _job_or_404(request, pk)
    if job.status != ExportJob.Status.READY or not job.file:
        return refusal(request, "文件尚未生成完成，请稍后在导出页面下载。", 409)
    return export_file_response(job)


def export_file_response(job: ExportJob) -> FileResponse:
    try:
        handle = job.file.open("rb")
    except OSError:
        raise Http404("导出文件已不在存储中，请重新导出。") from None
    response = FileResponse(handle, content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"export-{job.pk}.xlsx\"; filename*=UTF-8''{quote(job.file_name)}"
    )
    return response
