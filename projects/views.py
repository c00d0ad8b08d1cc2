"""The browser's pages for projects. Every page asks the selectors or the rules whether the user may see the
project (a project they may not see is "not found"), every change is a POST through a service, and every
refusal is a Chinese message with a 4xx status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.enums import Role
from core.errors import ApplicationError, Conflict, InvalidInput, NotFound, form_message
from core.pages import CappedPaginator, attach_service_errors, refusal

from . import selectors, services
from .actions import ACTIONS, action_acting, action_authorise, actions_available, project_action
from .deadlines import project_deadlines
from .enums import MAIN_LINE, Chapter, DocumentKind, ProjectState
from .forms import (
    DocumentUploadForm,
    ProjectFilterForm,
    ProjectForm,
    upload_kind_choices,
)
from .models import CHAPTER_FIELDS
from .panels import panels_context
from .transitions import TRANSITIONS

PAGE_SIZE = 30


def _project_or_404(request, pk):
    project = selectors.project_get(user=request.user, pk=pk)
    if project is None:
        raise Http404("项目不存在或无权查看。")
    return project


# ---- list, declaration, edit -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def project_list(request):
    form = ProjectFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    projects = selectors.project_list(user=request.user, filters=filters).only(*selectors.LIST_PAGE_FIELDS)
    page = CappedPaginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "projects/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_declare": request.user.role == Role.DEPARTMENT,
        },
    )


def _refused(request, project, authorise):
    """The page of a service's refusal (`authorise` raises it), or None when there is none."""
    try:
        authorise()
    except ApplicationError as exc:
        return refusal(request, exc.message, exc.status, project)
    return None


def _render_form(request, form, project=None, status=200):
    return render(request, "projects/form.html", {"form": form, "project": project}, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def project_new(request):
    user = request.user
    if user.role != Role.DEPARTMENT or user.organisation_id is None:
        return refusal(request, "只有建设单位可以申报项目。", 403)
    if request.method != "POST":
        return _render_form(request, ProjectForm(user=user))
    form = ProjectForm(request.POST, user=user)
    if not form.is_valid():
        messages.error(request, "请修改以下内容后再保存：" + form_message(form))
        return _render_form(request, form, status=400)
    try:
        project = services.project_create(by=user, data=form.service_data())
    except ApplicationError as exc:
        attach_service_errors(form, exc)
        messages.error(request, exc.message)
        return _render_form(request, form, status=exc.status)
    messages.success(
        request, f"已保存申报草稿，项目编号 {project.code}。请上传申报材料、填报数据资源目录后提交申报。"
    )
    return redirect("projects:detail", pk=project.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def project_edit(request, pk):
    project = _project_or_404(request, pk)
    user = request.user
    if project.state == ProjectState.ARCHIVED:
        return _refused(request, project, lambda: services.project_update_authorise(project=project, by=user))
    if not user.has_perm("projects.change_project", project):
        return refusal(
            request, "只有本单位可以修改草稿状态的项目；已提交的项目须由大数据中心退回后修改。", 403, project
        )
    if request.method != "POST":
        return _render_form(
            request, ProjectForm(user=user, initial=ProjectForm.initial_from(project)), project
        )
    form = ProjectForm(request.POST, user=user)
    if not form.is_valid():
        messages.error(request, "请修改以下内容后再保存：" + form_message(form))
        return _render_form(request, form, project, status=400)
    try:
        services.project_update(project=project, by=user, data=form.service_data())
    except ApplicationError as exc:
        attach_service_errors(form, exc)
        messages.error(request, exc.message)
        return _render_form(request, form, project, status=exc.status)
    messages.success(request, "已保存修改。")
    return redirect("projects:detail", pk=project.pk)


# ---- the project page -----------------------------------------------------------------------------


def _stages(project) -> list[tuple[str, str, str]]:
    """The main line with each stage marked done, current or to come; a side state (暂停, 整改中, …) is
    shown after it as the current one."""
    state = project.state
    if state not in MAIN_LINE:
        return [(s.value, s.label, "todo") for s in MAIN_LINE] + [
            (state, ProjectState(state).label, "current")
        ]
    position = MAIN_LINE.index(state)
    return [
        (s.value, s.label, "done" if i < position else "current" if i == position else "todo")
        for i, s in enumerate(MAIN_LINE)
    ]


def _render_detail(request, project, status=200, **forms):
    user = request.user
    can_view_documents = user.has_perm("projects.view_documents", project)
    can_upload = user.has_perm("projects.add_document", project) and bool(upload_kind_choices(user))
    context = {
        "project": project,
        "policy": project.policy,
        "chapters": [(c.label, getattr(project, CHAPTER_FIELDS[c.value])) for c in Chapter],
        "co_builders": list(project.co_builders.all()),
        "can_edit": user.has_perm("projects.change_project", project),
        "can_view_documents": can_view_documents,
        "documents": selectors.project_documents(project=project) if can_view_documents else [],
        "upload_form": (forms.get("upload_form") or DocumentUploadForm(user=user)) if can_upload else None,
        "timeline": list(selectors.project_timeline(project=project)),
        "transitions": services.transitions_available(project=project, user=user),
        "actions": actions_available(project=project, user=user, describe=False),
        "stages": _stages(project),
        "deadlines": project_deadlines(project),
        "deadline_warnings": list(project.deadline_warnings.all()[:20]),
        **panels_context(project=project, user=user, forms=forms),
    }
    return render(request, "projects/detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD"])
def project_detail(request, pk):
    return _render_detail(request, _project_or_404(request, pk))


def _back(project, anchor: str):
    return redirect(reverse("projects:detail", kwargs={"pk": project.pk}) + f"#{anchor}")


def project_record_post(
    request,
    pk,
    *,
    form_class,
    form_key: str,
    failure: str,
    anchor: str,
    act,
    authorise,
    form_kwargs=None,
):
    """The shape of every form on the project page: ask whether the user may do this at all (`authorise`, which
    raises the service's refusal) before the form is read or anything it names is looked up, validate, call the
    service, and either go back to the page with a success message, or show the page again with the refusal
    and the form as it was typed."""
    project = _project_or_404(request, pk)
    try:
        authorise(project)
    except ApplicationError as exc:
        messages.error(request, failure + exc.message)
        return _render_detail(request, project, status=exc.status)
    form = form_class(request.POST, request.FILES, **(form_kwargs(project) if form_kwargs else {}))
    if not form.is_valid():
        messages.error(request, failure + form_message(form))
        return _render_detail(request, project, status=400, **{form_key: form})
    try:
        success = act(project, form.cleaned_data)
    except ApplicationError as exc:
        messages.error(request, failure + exc.message)
        return _render_detail(request, project, status=exc.status, **{form_key: form})
    messages.success(request, success)
    return _back(project, anchor)


@login_required
@require_POST
def document_upload(request, pk):
    def act(project, data):
        version = services.document_upload(
            project=project,
            by=request.user,
            kind=data["kind"],
            file=data["file"],
            title=data["title"],
            has_sharing_chapter=data["has_sharing_chapter"],
            has_security_chapter=data["has_security_chapter"],
        )
        return f"已上传“{DocumentKind(data['kind']).label}”第{version.number}版。"

    return project_record_post(
        request,
        pk,
        form_class=DocumentUploadForm,
        form_key="upload_form",
        failure="上传失败：",
        anchor="documents",
        act=act,
        authorise=lambda project: services.document_upload_authorise(project=project, by=request.user),
        form_kwargs=lambda project: {"user": request.user},
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def document_download(request, pk, version_id):
    project = _project_or_404(request, pk)
    if not request.user.has_perm("projects.view_documents", project):
        return refusal(request, "该项目为涉密项目，未经授权不能查阅其文档。", 403, project)
    try:
        return selectors.document_version_file(project=project, version_id=version_id)
    except NotFound as exc:
        raise Http404(exc.message) from None


# ---- actions (API.md): every step that records something without changing the state ---------------------


def _render_action(request, project, option, form, status=200, failing=None):
    return render(
        request,
        "projects/action.html",
        {"project": project, "option": option, "spec": option.spec, "form": form, "failing": failing or []},
        status=status,
    )


def _action_option(request, project, name):
    return next((a for a in actions_available(project=project, user=request.user) if a.name == name), None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def action(request, pk, name):
    """Any action, as a page: its checks, its form, and the same `project_action` the API calls."""
    project = _project_or_404(request, pk)
    spec = ACTIONS.get(name)
    if spec is None:
        raise Http404("没有该事项。")
    if project.state == ProjectState.ARCHIVED:  # read-only for everyone, unless the step adds to the record
        refused = _refused(
            request, project, lambda: action_authorise(project=project, name=name, by=request.user)
        )
        if refused is not None:
            return refused
    who = action_acting(project, spec)
    if who is None:
        raise Http404(f"按本项目适用的管理办法，“{spec.label}”不适用于本项目。")
    if not who.admits(request.user, project):
        return refusal(request, who.refusal(spec.label, request.user), 403, project)
    option = _action_option(request, project, name)
    if option is None:
        if project.state in spec.states:
            return refusal(request, f"当前没有需要{spec.label}的事项。", 409, project)
        return refusal(
            request, f"项目当前状态为“{project.get_state_display()}”，不能办理“{spec.label}”。", 409, project
        )
    if request.method != "POST":
        return _render_action(request, project, option, spec.form(project, request.user))
    try:
        record = project_action(
            project_id=project.pk, name=name, by=request.user, data=request.POST, files=request.FILES
        )
    except NotFound:
        raise Http404("项目不存在或无权查看。") from None
    except ApplicationError as exc:
        messages.error(request, exc.message)
        form = spec.form(project, request.user, request.POST, request.FILES)
        form.is_valid()  # the errors beside the inputs
        attach_service_errors(form, exc)
        project = _project_or_404(request, pk)
        option = _action_option(request, project, name) or option
        return _render_action(request, project, option, form, exc.status, exc.extra.get("checks") or [])
    messages.success(request, spec.done(record) if spec.done else f"已办理“{spec.label}”，已记入项目档案。")
    return redirect(
        spec.back(project) if spec.back else reverse("projects:detail", kwargs={"pk": project.pk})
    )


# The project page's own forms post here (the pre-review, the invitations): a form's address, not a page.
action_post = require_POST(action)


# ---- transitions ----------------------------------------------------------------------------------


def _render_transition(request, project, option, form, status=200, failing=None):
    return render(
        request,
        "projects/transition.html",
        {
            "project": project,
            "option": option,
            "spec": option.spec,
            "form": form,
            "failing": failing or [],
            "target_label": ProjectState(option.target).label,
        },
        status=status,
    )


def _option(request, project, name):
    return next(
        (
            a
            for a in services.transitions_available(project=project, user=request.user)
            if a.spec.name == name
        ),
        None,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def transition(request, pk, name):
    project = _project_or_404(request, pk)
    spec = TRANSITIONS.get(name)
    if spec is None:
        raise Http404("没有该流转。")
    option = _option(request, project, name)
    if option is None:
        try:  # who may run it on this project (its policy may name another body than the table's)
            services.transition_authorise(project=project, name=name, by=request.user)
        except ApplicationError as exc:
            return refusal(request, exc.message, exc.status, project)
        return refusal(
            request,
            f"项目当前状态为“{project.get_state_display()}”，您不能办理“{spec.label}”。",
            409,
            project,
        )
    if request.method != "POST":
        return _render_transition(request, project, option, spec.form())
    data = request.POST.dict()
    data.pop("csrfmiddlewaretoken", None)
    form = spec.form(request.POST)
    try:
        done = services.project_transition(project_id=project.pk, name=name, by=request.user, data=data)
    except NotFound:
        raise Http404("项目不存在或无权查看。") from None
    except (InvalidInput, Conflict) as exc:
        form.is_valid()  # bind the errors for display beside the inputs
        messages.error(request, exc.message)
        project = _project_or_404(request, pk)
        option = _option(request, project, name) or option
        return _render_transition(
            request, project, option, form, status=exc.status, failing=exc.extra.get("checks") or []
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _render_transition(request, project, option, form, status=exc.status)
    messages.success(request, f"已办理“{spec.label}”，项目状态：{done.get_state_display()}。")
    return redirect("projects:detail", pk=project.pk)
