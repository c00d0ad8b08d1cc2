"""The browser's endpoints for issuing the 评审意见: issue (or correct), retry a failed PDF, and the JSON
status the project page polls while the PDF is made. Each finds the project through the selectors (a
project the user may not see is "not found") and refuses in Chinese with a 4xx."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.enums import Role
from core.errors import ApplicationError
from core.models import Letter
from core.pages import refusal
from projects.actions import project_action
from projects.readonly import project_writable
from projects.selectors import project_get

from .issuing import review_letter_retry, review_opinion_issued_message
from .models import ReviewOpinion

# Who may see the review records on the project page, and so the letters' status.
LETTER_READERS = frozenset({Role.BDC, Role.FINANCE, Role.AUDITOR})


def _project_or_404(request, pk):
    project = project_get(user=request.user, pk=pk)
    if project is None:
        raise Http404("项目不存在或无权查看。")
    return project


def _archived(request, project, what: str):
    """An archived project's letters are as they were issued (projects.readonly): before anything is sought."""
    try:
        project_writable(project, what)
    except ApplicationError as exc:
        return refusal(request, exc.message, exc.status, project)
    return None


def _back(project):
    return redirect(reverse("projects:detail", kwargs={"pk": project.pk}) + "#letters")


@login_required
@require_POST
def opinion_issue(request, pk, opinion_id):
    project = _project_or_404(request, pk)
    if request.user.role != Role.BDC:
        return refusal(request, "只有大数据中心可以出具评审意见。", 403, project)
    refused = _archived(request, project, "出具评审意见")
    if refused:
        return refused
    opinion = ReviewOpinion.objects.filter(pk=opinion_id, project=project).select_related("project").first()
    if opinion is None:
        raise Http404("评审意见不存在。")
    replaces = None
    if request.POST.get("replaces"):
        try:
            replaces = Letter.objects.filter(pk=int(request.POST["replaces"]), project=project).first()
        except ValueError:
            replaces = None
        if replaces is None:
            return refusal(request, "要更正的评审意见文件不存在。", 404, project)
    data = {
        "opinion": opinion.pk,
        "replaces": replaces.pk if replaces else "",
        "reason": request.POST.get("reason", ""),
    }
    try:
        letter = project_action(project_id=project.pk, name="issue_opinion", by=request.user, data=data)
    except ApplicationError as exc:
        return refusal(request, f"未能出具评审意见：{exc.message}", exc.status, project)
    messages.success(request, review_opinion_issued_message(letter))
    return _back(project)


@login_required
@require_POST
def letter_retry(request, pk, letter_id):
    project = _project_or_404(request, pk)
    if request.user.role != Role.BDC:  # before the letter is sought
        return refusal(request, "只有大数据中心可以重新生成评审意见。", 403, project)
    refused = _archived(request, project, "重新生成评审意见")
    if refused:
        return refused
    letter = Letter.objects.filter(pk=letter_id, project=project).select_related("project").first()
    if letter is None:
        raise Http404("文件不存在。")
    try:
        review_letter_retry(letter=letter, by=request.user)
    except ApplicationError as exc:
        return refusal(request, f"未能重新生成：{exc.message}", exc.status, project)
    letter.refresh_from_db(fields=["status", "queued_at"])
    if letter.status == Letter.Status.PENDING and letter.queued_at is None:
        messages.success(request, f"{letter.number} 已登记重新生成，生成排队中：PDF 生成服务恢复后自动生成。")
    else:
        messages.success(request, f"正在重新生成 {letter.number} 的 PDF。")
    return _back(project)


@login_required
@require_http_methods(["GET", "HEAD"])
def letter_status(request, pk, letter_id):
    """{"status", "status_label", "number", "error", "download_url"} for the page's polling script."""
    project = project_get(user=request.user, pk=pk)
    if project is None:
        return JsonResponse({"detail": "项目不存在或无权查看。"}, status=404)
    if request.user.role not in LETTER_READERS:
        return JsonResponse({"detail": "无权查看该项目的评审发文。"}, status=403)
    letter = Letter.objects.filter(pk=letter_id, project=project).first()
    if letter is None:
        return JsonResponse({"detail": "文件不存在。"}, status=404)
    download = None
    if letter.document_id and request.user.has_perm("projects.view_documents", project):
        download = reverse(
            "projects:document_download", kwargs={"pk": project.pk, "version_id": letter.document_id}
        )
    return JsonResponse(
        {
            "id": letter.pk,
            "number": letter.number,
            "status": letter.status,
            "status_label": letter.status_text,
            "error": letter.error,
            "download_url": download,
        }
    )
