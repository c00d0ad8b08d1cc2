"""The archive's pages: an auditor drops a package and is told whether every file matches its manifest and
whether the manifest is the one the platform recorded. Nothing dropped is stored."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from core.enums import Role
from core.pages import refusal

from .forms import SearchForm
from .search import search
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
            "pages": -(-result.total // PAGE_SIZE) if result else 0,
            "query": query.urlencode(),
            "chosen": chosen,
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
