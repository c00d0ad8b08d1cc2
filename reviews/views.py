"""The review's pages (the expert library's: reviews.library_views): the BDC's review organisation, an expert's
assigned reviews and score form, and the check of a draw from its record. A project or record the user may not see is "not found"; every
change is a POST through a service; every refusal is a Chinese message with a 4xx status and the form as typed."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.enums import Role
from core.errors import ApplicationError, form_message
from core.pages import attach_service_errors, refusal
from projects.actions import project_action
from projects.enums import ProjectState
from projects.readonly import project_writable
from projects.selectors import project_get

from . import library, selectors, services
from .forms import (
    ConflictForm,
    ConsolidateForm,
    DeclineForm,
    DrawForm,
    ParticipationForm,
    ScoreForm,
)
from .models import AgencyInvitation, PanelMember


def _project_or_404(request, pk):
    project = project_get(user=request.user, pk=pk)
    if project is None:
        raise Http404("项目不存在或无权查看。")
    return project


# ---- the review organisation page (BDC; finance and the auditor read it) ---------------------------------


def _review_page_allowed(user, project) -> bool:
    return user.has_perm("reviews.view_all_scores", project)


def _render_review(request, project, status=200, **forms):
    user = request.user
    manage = user.has_perm("reviews.manage_panel", project)
    overview = selectors.panel_overview(project)
    sheets = selectors.sheets_visible_to(user=user, project=project)
    waiting = [r.member for r in overview["active_rows"] if r.sheet is None]
    state = project.state
    context = {
        "project": project,
        "policy": project.policy,
        "manage": manage,
        **overview,
        "sheets": sheets,
        "criteria": project.policy.review_criteria,
        "required_agencies": selectors.agencies_required(project),
        "missing": selectors.review_scores_missing(project),
        "opinions": list(project.review_opinions.order_by("issued_at", "id")),
        "fields_needed": [],
    }
    if manage and state == ProjectState.DECLARED:
        from .draws import fields_needed

        context["fields_needed"] = fields_needed(project)
        context["draw_form"] = forms.get("draw_form") or DrawForm(
            project=project,
            initial={"size": project.policy.panel_size},
        )
    if manage and state in services.REVIEW_OPEN:
        context["decline_form"] = forms.get("decline_form") or DeclineForm()
        context["decline_member"] = forms.get("decline_member")
        context["participation_form"] = forms.get("participation_form") or ParticipationForm()
        context["participation_invitation"] = forms.get("participation_invitation")
    if manage and state == ProjectState.REVIEWING and not selectors.round_opinions(project).exists():
        context["consolidate_form"] = forms.get("consolidate_form") or ConsolidateForm(members=waiting)
    return render(request, "reviews/review.html", context, status=status)


def _review_project(request, pk):
    project = _project_or_404(request, pk)
    if not _review_page_allowed(request.user, project):
        return project, refusal(request, "评审组织页面仅供大数据中心、财政局和审计局查看。", 403, project)
    return project, None


@login_required
@require_http_methods(["GET", "HEAD"])
def review_page(request, pk):
    if request.user.role == Role.EXPERT:
        return redirect("reviews:score", pk=pk) if project_get(user=request.user, pk=pk) else _not_found()
    project, refused = _review_project(request, pk)
    return refused or _render_review(request, project)


def _not_found():
    raise Http404("项目不存在或无权查看。")


def _refused(failure: str, message: str) -> str:
    """The refusal as one sentence: a service's message may already say what could not be done
    ("未能抽取评审专家组：…"), and is then not prefixed a second time."""
    return message if message.startswith(failure.rstrip("：")) else failure + message


def _manage(request, pk, *, form, form_key, failure, act, lookup=None):
    """Check who asks, find what the form is about (`lookup`: the record named in the address, as keyword
    arguments of `act` and the page, or Http404), validate, call the service, and go back to the review page;
    or show it again with the refusal and the form as typed. A user who may not organise the review is refused
    before anything they sent is read or sought."""
    project, refused = _review_project(request, pk)
    if refused:
        return refused
    if not request.user.has_perm("reviews.manage_panel", project):
        return refusal(request, "只有本行政区划的大数据中心可以组织评审。", 403, project)
    try:
        project_writable(project, "组织评审")  # archived: read-only (projects.readonly)
    except ApplicationError as exc:
        return refusal(request, exc.message, exc.status, project)
    extra = lookup(project) if lookup else {}
    bound = form(project)
    if not bound.is_valid():
        messages.error(request, failure + form_message(bound))
        return _render_review(request, project, status=400, **{form_key: bound}, **extra)
    try:
        success = act(project, bound, **extra)
    except ApplicationError as exc:
        attach_service_errors(bound, exc)
        messages.error(request, _refused(failure, exc.message))
        return _render_review(request, project, status=exc.status, **{form_key: bound}, **extra)
    messages.success(request, success)
    return redirect("reviews:review", pk=project.pk)


@login_required
@require_POST
def panel_draw(request, pk):
    def act(project, form):
        draw = project_action(project_id=project.pk, name="draw_panel", by=request.user, data=request.POST)
        return f"已随机抽取评审专家组（{draw.size}名，抽取记录第{draw.pk}号）。"

    return _manage(
        request,
        pk,
        form=lambda project: DrawForm(request.POST, project=project),
        form_key="draw_form",
        failure="未能抽取评审专家组：",
        act=act,
    )


@login_required
@require_POST
def member_decline(request, pk, member_id):
    def lookup(project):
        member = (
            PanelMember.objects.filter(pk=member_id, project=project).select_related("expert__user").first()
        )
        if member is None:
            raise Http404("专家组成员不存在。")
        return {"decline_member": member}

    def act(project, form, decline_member):
        member = decline_member
        data = {"member": member.pk, "reason": form.cleaned_data["reason"]}
        project_action(project_id=project.pk, name="replace_expert", by=request.user, data=data)
        text = f"已记录专家{member.expert}谢绝参加评审。"
        if form.cleaned_data["replace"]:
            try:
                draw = project_action(project_id=project.pk, name="replace_expert", by=request.user, data={})
            except ApplicationError as exc:
                messages.warning(request, _refused("未能补抽：", exc.message))
            else:
                text += f"已补抽{draw.size}名专家（抽取记录第{draw.pk}号）。"
        return text

    return _manage(
        request,
        pk,
        form=lambda project: DeclineForm(request.POST),
        form_key="decline_form",
        failure="未能记录谢绝：",
        act=act,
        lookup=lookup,
    )


@login_required
@require_POST
def panel_replace(request, pk):
    def act(project, form):
        draw = project_action(project_id=project.pk, name="replace_expert", by=request.user, data={})
        return f"已补抽{draw.size}名专家（抽取记录第{draw.pk}号）。"

    return _manage(
        request,
        pk,
        form=lambda project: _EmptyForm(request.POST),
        form_key="replace_form",
        failure="未能补抽：",
        act=act,
    )


class _EmptyForm(forms.Form):
    """An action without fields (the CSRF token is checked by the middleware)."""


@login_required
@require_POST
def agencies_invite(request, pk):
    def act(project, form):
        invitations = project_action(project_id=project.pk, name="invite_agency", by=request.user, data={})
        return "已邀请" + "、".join(i.organisation.name for i in invitations) + "参与审核。"

    return _manage(
        request,
        pk,
        form=lambda project: _EmptyForm(request.POST),
        form_key="invite_form",
        failure="未能邀请部门：",
        act=act,
    )


@login_required
@require_POST
def agency_participation(request, pk, invitation_id):
    def lookup(project):
        invitation = AgencyInvitation.objects.filter(pk=invitation_id, project=project).first()
        if invitation is None:
            raise Http404("邀请记录不存在。")
        return {"participation_invitation": invitation}

    def act(project, form, participation_invitation):
        invitation = participation_invitation
        data = {"invitation": invitation.pk, **request.POST.dict()}
        done = project_action(project_id=project.pk, name="record_agency", by=request.user, data=data)
        return f"已记录{done.organisation.name}" + ("参与审核。" if done.participated else "未参与审核。")

    return _manage(
        request,
        pk,
        form=lambda project: ParticipationForm(request.POST),
        form_key="participation_form",
        failure="未能记录参与情况：",
        act=act,
        lookup=lookup,
    )


@login_required
@require_POST
def opinion_consolidate(request, pk):
    def form(project):
        waiting = [r.member for r in selectors.panel_overview(project)["active_rows"] if r.sheet is None]
        return ConsolidateForm(request.POST, members=waiting)

    def act(project, bound):
        opinion = project_action(
            project_id=project.pk, name="consolidate_opinion", by=request.user, data=request.POST
        )
        return f"已汇总评审意见，结论：{opinion.get_conclusion_display()}。请出具评审意见文件。"

    return _manage(request, pk, form=form, form_key="consolidate_form", failure="未能汇总评审意见：", act=act)


# ---- an expert's reviews ------------------------------------------------------------------------------


def _render_mine(request, conflict_form=None, status=200):
    profile = getattr(request.user, "expert_profile", None)
    context = {"rows": selectors.my_reviews(user=request.user), "profile": profile}
    if profile is not None and profile.jurisdiction_id:
        context["conflicts"] = list(profile.conflicts.select_related("organisation").order_by("id"))
        context["conflict_form"] = conflict_form or ConflictForm(jurisdiction_id=profile.jurisdiction_id)
    return render(request, "reviews/mine.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_reviews(request):
    """An expert's assigned reviews, and their own declarations of conflicts of interest."""
    if request.user.role != Role.EXPERT:
        return refusal(request, "“我的评审”仅供评审专家使用。", 403)
    if request.method != "POST":
        return _render_mine(request)
    profile = getattr(request.user, "expert_profile", None)
    if profile is None or not profile.jurisdiction_id:
        return refusal(request, "您尚未纳入专家库，请联系大数据中心。", 409)
    form = ConflictForm(request.POST, jurisdiction_id=profile.jurisdiction_id)
    if not form.is_valid():
        messages.error(request, "未能申报利害关系：" + form_message(form))
        return _render_mine(request, form, status=400)
    try:
        library.expert_conflict_record(
            expert=profile,
            by=request.user,
            organisation=form.cleaned_data["organisation"],
            reason=form.cleaned_data["reason"],
        )
    except ApplicationError as exc:
        attach_service_errors(form, exc)
        messages.error(request, "未能申报利害关系：" + exc.message)
        return _render_mine(request, form, status=exc.status)
    messages.success(
        request, f"已申报与{form.cleaned_data['organisation'].name}的利害关系，今后不会抽取您评审其项目。"
    )
    return redirect("reviews:mine")


def _render_score(request, project, form=None, status=200):
    user = request.user
    sheets = selectors.sheets_visible_to(user=user, project=project)
    own = [s for s in sheets if s.expert.user_id == user.pk]
    standing_own = next((s for s in own if not _superseded(s, own)), None)
    others = [s for s in sheets if s.expert.user_id != user.pk]
    criteria = project.policy.review_criteria
    consolidated = selectors.round_opinions(project).exists()
    can_submit = project.state == ProjectState.REVIEWING and not consolidated
    return render(
        request,
        "reviews/score.html",
        {
            "project": project,
            "policy": project.policy,
            "form": form or (ScoreForm(criteria=criteria) if can_submit else None),
            "own": own,
            "standing_own": standing_own,
            "others": others,
            "consolidated": consolidated,
            "can_submit": can_submit,
        },
        status=status,
    )


def _superseded(sheet, sheets) -> bool:
    return any(s.supersedes_id == sheet.pk for s in sheets)


def _assigned_project(request, pk):
    project = _project_or_404(request, pk)
    if not request.user.has_perm("reviews.score", project):
        raise Http404("项目不存在或未分配给您评审。")
    return project


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def score(request, pk):
    if request.user.role != Role.EXPERT:
        project = _project_or_404(request, pk)
        return refusal(request, "只有评审专家组的专家可以评分。", 403, project)
    project = _assigned_project(request, pk)
    if request.method != "POST":
        return _render_score(request, project)
    try:
        project_writable(project, "评分")  # archived: read-only (projects.readonly)
    except ApplicationError as exc:
        return refusal(request, exc.message, exc.status, project)
    form = ScoreForm(request.POST, criteria=project.policy.review_criteria)
    if not form.is_valid():
        messages.error(request, "未能提交评分：" + form_message(form))
        return _render_score(request, project, form, status=400)
    try:
        project_action(project_id=project.pk, name="score", by=request.user, data=request.POST)
    except ApplicationError as exc:
        attach_service_errors(form, exc)
        messages.error(request, "未能提交评分：" + exc.message)
        return _render_score(request, project, form, status=exc.status)
    messages.success(request, "已提交评分。提交后不能修改；如需更正，可填写更正原因后提交更正。")
    return redirect("reviews:score", pk=project.pk)


# ---- a draw, checked from its record -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def draw_detail(request, pk):
    draw = selectors.draw_get(user=request.user, pk=pk)
    if draw is None:
        raise Http404("抽取记录不存在或无权查看。")
    check = services.draw_verify(draw=draw, by=request.user)
    from .models import ExpertProfile

    ids = set(draw.candidates) | set(draw.result)
    names = {e.pk: str(e) for e in ExpertProfile.objects.filter(pk__in=ids).select_related("user")}
    return render(
        request,
        "reviews/draw.html",
        {
            "draw": draw,
            "project": draw.project,
            "check": check,
            # Who was left out and why (employer, declared conflicts) is for the reviewing staff only.
            "show_exclusions": request.user.has_perm("reviews.view_all_scores", draw.project),
            "result_names": [names.get(pk, f"#{pk}") for pk in draw.result],
            "recomputed_names": [names.get(pk, f"#{pk}") for pk in check["recomputed"]],
            "candidate_rows": [
                (pk, names.get(pk, f"#{pk}"), draw.fields_by_candidate.get(str(pk), []))
                for pk in draw.candidates
            ],
        },
    )
