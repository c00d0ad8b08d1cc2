"""The project page's forms of the procurement and construction stage: changes (变更), the bidding
requirements and ceiling price, and the catalogue's connection to the sharing platform. Each posts to a
service and comes back to the project page, or shows it again with the refusal and what was typed."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_POST

from core.errors import NotFound
from projects.actions import action_authorise, project_action
from projects.views import project_record_post

from .forms import BiddingConfirmationForm, ChangeDecisionForm, ChangeRequestForm, ResourceConnectForm


@login_required
@require_POST
def change_request_create(request, pk):
    def act(project, data):
        change = project_action(
            project_id=project.pk, name="request_change", by=request.user, data=request.POST
        )
        if change.needs_approval:
            return f"已提交变更申请，须经审核批准：{change.rule}"
        return f"变更已备案：{change.rule}"

    return project_record_post(
        request,
        pk,
        form_class=ChangeRequestForm,
        form_key="change_form",
        failure="未能提交变更：",
        anchor="changes",
        act=act,
        authorise=lambda project: action_authorise(project=project, name="request_change", by=request.user),
    )


@login_required
@require_POST
def change_request_decide(request, pk, change_id):
    def authorise(project):
        # Who may decide, before the change is sought: a role that decides none is not told which exist.
        action_authorise(project=project, name="decide_change", by=request.user)
        if not project.change_requests.filter(pk=change_id).exists():
            raise NotFound("该变更不存在。")

    def act(project, data):
        approve = data["decision"] == "approve"
        project_action(
            project_id=project.pk,
            name="decide_change",
            by=request.user,
            data={**request.POST.dict(), "change": change_id},
        )
        return "已批准变更。" if approve else "已不予批准变更。"

    return project_record_post(
        request,
        pk,
        form_class=ChangeDecisionForm,
        form_key="change_decision_form",
        failure="未能审核变更：",
        anchor="changes",
        act=act,
        authorise=authorise,
    )


@login_required
@require_POST
def bidding_confirm(request, pk):
    def act(project, data):
        project_action(project_id=project.pk, name="confirm_bidding", by=request.user, data=request.POST)
        return "已记录招标需求确认和采购最高限价。"

    return project_record_post(
        request,
        pk,
        form_class=BiddingConfirmationForm,
        form_key="bidding_form",
        failure="未能确认招标需求：",
        anchor="procurement",
        act=act,
        authorise=lambda project: action_authorise(project=project, name="confirm_bidding", by=request.user),
    )


@login_required
@require_POST
def resource_connect(request, pk):
    def act(project, data):
        resource = project.resources.filter(pk=data["resource"]).first()
        if resource is None:
            raise NotFound("该数据资源不属于本项目。")
        project_action(project_id=project.pk, name="connect_resources", by=request.user, data=request.POST)
        return f"已更新“{resource.name}”的编目接入情况。"

    return project_record_post(
        request,
        pk,
        form_class=ResourceConnectForm,
        form_key="connect_form",
        failure="未能确认数据资源接入：",
        anchor="catalogue",
        act=act,
        authorise=lambda project: action_authorise(
            project=project, name="connect_resources", by=request.user
        ),
    )
