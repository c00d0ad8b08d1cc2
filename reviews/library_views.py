"""The expert library's pages, for the reviewing body: the list with its filters, adding and editing an expert,
recording a conflict of interest. Nobody else manages the library; an expert declares their own conflicts on
their home page (reviews.views)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.enums import Role
from core.errors import ApplicationError, form_message
from core.pages import attach_service_errors, refusal

from . import library, selectors
from .forms import ConflictForm, ExpertCreateForm, ExpertForm, LibraryFilterForm


def _library_refused(request):
    return refusal(request, "专家库由大数据中心管理，您无权访问。", 403)


@login_required
@require_http_methods(["GET", "HEAD"])
def expert_list(request):
    if request.user.role != Role.BDC:
        return _library_refused(request)
    form = LibraryFilterForm(request.GET or None)
    experts = list(
        selectors.expert_library(user=request.user, filters=form.filters() if form.is_bound else {})
    )
    return render(request, "reviews/expert_list.html", {"experts": experts, "form": form})


def _render_expert_form(request, form, expert=None, conflict_form=None, status=200):
    return render(
        request,
        "reviews/expert_form.html",
        {
            "form": form,
            "expert": expert,
            "conflicts": list(expert.conflicts.all()) if expert else [],
            "conflict_form": conflict_form
            or (ConflictForm(jurisdiction_id=expert.jurisdiction_id) if expert else None),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def expert_new(request):
    user = request.user
    if user.role != Role.BDC or user.organisation_id is None:
        return _library_refused(request)
    jurisdiction_id = user.organisation.jurisdiction_id
    if request.method != "POST":
        return _render_expert_form(request, ExpertCreateForm(jurisdiction_id=jurisdiction_id))
    form = ExpertCreateForm(request.POST, jurisdiction_id=jurisdiction_id)
    if not form.is_valid():
        messages.error(request, "请修改以下内容后再保存：" + form_message(form))
        return _render_expert_form(request, form, status=400)
    try:
        expert = library.expert_create(by=user, data=form.cleaned_data)
    except ApplicationError as exc:
        attach_service_errors(form, exc)
        messages.error(request, "未能添加专家：" + exc.message)
        return _render_expert_form(request, form, status=exc.status)
    messages.success(request, f"已将{expert}加入专家库；登录密码请联系系统管理员设置。")
    return redirect("reviews:expert_edit", pk=expert.pk)


def _expert_or_404(request, pk):
    expert = selectors.expert_get(user=request.user, pk=pk)
    if expert is None:
        raise Http404("专家不存在或不在本专家库。")
    return expert


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def expert_edit(request, pk):
    if request.user.role != Role.BDC:
        return _library_refused(request)
    expert = _expert_or_404(request, pk)
    if request.method != "POST":
        form = ExpertForm(jurisdiction_id=expert.jurisdiction_id, initial=ExpertForm.initial_from(expert))
        return _render_expert_form(request, form, expert)
    form = ExpertForm(request.POST, jurisdiction_id=expert.jurisdiction_id)
    if not form.is_valid():
        messages.error(request, "请修改以下内容后再保存：" + form_message(form))
        return _render_expert_form(request, form, expert, status=400)
    try:
        library.expert_update(expert=expert, by=request.user, data=form.cleaned_data)
    except ApplicationError as exc:
        attach_service_errors(form, exc)
        messages.error(request, "未能保存：" + exc.message)
        return _render_expert_form(request, form, expert, status=exc.status)
    messages.success(request, f"已保存{expert}的信息。")
    return redirect("reviews:expert_edit", pk=expert.pk)


@login_required
@require_POST
def expert_conflict_add(request, pk):
    if request.user.role != Role.BDC:
        return _library_refused(request)
    expert = _expert_or_404(request, pk)
    form = ConflictForm(request.POST, jurisdiction_id=expert.jurisdiction_id)
    edit_form = ExpertForm(jurisdiction_id=expert.jurisdiction_id, initial=ExpertForm.initial_from(expert))
    if not form.is_valid():
        messages.error(request, "未能登记利害关系：" + form_message(form))
        return _render_expert_form(request, edit_form, expert, conflict_form=form, status=400)
    try:
        library.expert_conflict_record(
            expert=expert,
            by=request.user,
            organisation=form.cleaned_data["organisation"],
            reason=form.cleaned_data["reason"],
        )
    except ApplicationError as exc:
        attach_service_errors(form, exc)
        messages.error(request, "未能登记利害关系：" + exc.message)
        return _render_expert_form(request, edit_form, expert, conflict_form=form, status=exc.status)
    messages.success(request, f"已登记{expert}与{form.cleaned_data['organisation'].name}的利害关系。")
    return redirect("reviews:expert_edit", pk=expert.pk)
