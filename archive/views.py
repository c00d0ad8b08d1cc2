"""The archive's pages: an auditor drops a package and is told whether every file matches its manifest and
whether the manifest is the one the platform recorded. Nothing dropped is stored."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.enums import Role
from core.errors import ApplicationError
from core.exports import export_request
from core.pages import refusal
from projects.actions import actor_allowed

from . import reading_room as room
from .forms import ReadingRoomForm, SearchForm
from .search import RECENT, search
from .services import package_verify

VERIFIERS = frozenset({Role.AUDITOR, Role.AUDITADMIN, Role.BDC})


class VerifyForm(forms.Form):
    package = forms.FileField(
        label="归档包（zip）",
        error_messages={"required": "请选择要核验的归档包。", "empty": "所选文件为空。"},
    )

    def clean_package(self):
        package = self.cleaned_data["package"]
        limit = settings.ARCHIVE_VERIFY_MAX_MB
        if package.size > limit * 1024 * 1024:
            raise forms.ValidationError(
                f"文件超过 {limit} MB，请用 manage.py archive_verify 在服务器上核验。"
            )
        return package


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def package_verify_page(request):
    if not (request.user.is_superuser or request.user.role in VERIFIERS):
        return refusal(request, "只有审计局、审计管理员和大数据中心可以核验归档包。", 403)
    form = VerifyForm(request.POST, request.FILES) if request.method == "POST" else VerifyForm()
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            result = package_verify(form.cleaned_data["package"])
        else:
            status = 400
    return render(request, "archive/verify.html", {"form": form, "result": result}, status=status)


PAGE_SIZE = 20


def _pages(result) -> int:
    """How many pages the hits fill; of an estimated result, those of its first RECENT hits."""
    if result is None:
        return 0
    shown = min(result.total, RECENT) if result.estimated else result.total
    return -(-shown // PAGE_SIZE)


@login_required
@require_http_methods(["GET", "HEAD"])
def search_page(request):
    """One box over projects, documents, letters and resources; facets with counts; hits marked in context."""
    form = SearchForm(request.GET or None)
    result, page = None, 1
    if form.is_bound and form.is_valid():
        page = form.cleaned_data["page"] or 1
        result = search(
            user=request.user,
            query=form.cleaned_data["q"],
            filters=form.filters(),
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
        )
    query = request.GET.copy()
    query.pop("page", None)
    chosen = {name: str(value) for name, value in (form.filters() if result is not None else {}).items()}
    return render(
        request,
        "archive/search.html",
        {
            "form": form,
            "result": result,
            "page": page,
            "pages": _pages(result),
            "query": query.urlencode(),
            "chosen": chosen,
            "recent": RECENT,
            "facet_labels": {
                "year": "年度",
                "organisation": "申报单位",
                "state": "状态",
                "policy": "管理办法",
                "kind": "类别",
            },
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


# ---- the reading room (档案阅览室) -------------------------------------------------------------------------

ROOM_PAGE_SIZE = 30
ROOM_REFUSAL = room.ROOM_REFUSAL


def _xlsx(content: bytes, name: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(content, content_type=room.XLSX)
    response["Content-Disposition"] = f"attachment; filename=\"archive.xlsx\"; filename*=UTF-8''{quote(name)}"
    return response


@login_required
@require_http_methods(["GET", "HEAD"])
def reading_room(request):
    """The archived projects by year, department and policy, with the count of each, a page at a time."""
    if not room.reading_room_allowed(request.user):
        return refusal(request, ROOM_REFUSAL, 403)
    form = ReadingRoomForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "archive/reading_room.html", {"form": form, "page": None}, status=400)
    filters = form.filters()
    projects = room.room_list(user=request.user, filters=filters)
    page = Paginator(projects, ROOM_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "archive/reading_room.html",
        {
            "form": form,
            "page": page,
            "facets": room.room_facets(user=request.user, filters=filters),
            "facet_labels": room.FACET_LABELS,
            "chosen": {k: str(v) for k, v in filters.items()},
            "query": query.urlencode(),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reading_room_export(request):
    """The reading room's list, as filtered, as an Excel workbook (every page), built in the background
    (core.exports): a POST asks for it and leads to the job's page, which shows the progress and offers the
    download; a GET (an old link) leads back to the list with its filters."""
    if not room.reading_room_allowed(request.user):
        return refusal(request, ROOM_REFUSAL, 403)
    if request.method != "POST":
        messages.info(request, "档案目录改为后台生成：请点击“导出 Excel”，生成完成后在导出页面下载。")
        query = request.GET.urlencode()
        return redirect(reverse("archive:reading_room") + (f"?{query}" if query else ""))
    try:
        job = export_request(name=room.ROOM_EXPORT.name, by=request.user, data=request.POST)
    except ApplicationError as exc:
        return refusal(request, f"未能导出档案目录：{exc.message}", exc.status)
    messages.success(request, "已开始生成档案目录，完成后可在本页下载。")
    return redirect("export_job", pk=job.pk)


def _room_project_or_404(request, pk):
    if not room.reading_room_allowed(request.user):
        return None, refusal(request, ROOM_REFUSAL, 403)
    project = room.room_project(user=request.user, pk=pk)
    if project is None:
        raise Http404("档案不存在或无权查阅（档案阅览室只收已归档的项目）。")
    return project, None


@login_required
@require_http_methods(["GET", "HEAD"])
def reading_room_project(request, pk):
    """One archived project as one chronological record, with its chain's verification."""
    project, refused = _room_project_or_404(request, pk)
    if refused:
        return refused
    user = request.user
    can_read_documents = user.has_perm("projects.view_documents", project)
    documents_listed = can_read_documents or not project.is_classified
    live = request.GET.get("verify") == "1"
    return render(
        request,
        "archive/reading_room_project.html",
        {
            "project": project,
            "policy": project.policy,
            "steps": room.project_steps(project),
            "versions": room.project_versions(project) if documents_listed else None,
            "can_read_documents": can_read_documents,
            "letters": room.project_letters(project),
            "addenda": room.project_addenda(project),
            "packages": room.project_packages(project),
            "verification": room.project_verification(project, live=live),
            "may_export": actor_allowed(project, "export_archive", user) and can_read_documents,
            "may_add_addendum": actor_allowed(project, "add_addendum", user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def reading_room_project_export(request, pk):
    """One archived project's record (chronology, documents, letters, addenda) as an Excel workbook."""
    project, refused = _room_project_or_404(request, pk)
    if refused:
        return refused
    documents_listed = request.user.has_perm("projects.view_documents", project) or not project.is_classified
    content = room.room_project_workbook(
        project,
        room.project_steps(project),
        room.project_versions(project) if documents_listed else [],
        room.project_letters(project),
        room.project_addenda(project),
    )
    return _xlsx(content, f"{project.code}-档案.xlsx")
