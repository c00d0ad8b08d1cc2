"""The project page's forms of the procurement and construction stage: changes (变更), the bidding
requirements and ceiling price, and the catalogue's connection to the sharing platform. Each posts to a
service and comes back to the project page, or shows it again with the refusal and what was typed."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_POST

from core.errors import NotFound
from projects.views import _project_record
from sharing.services import resource_mark_connected

from . import services
from .forms import BiddingConfirmationForm, ChangeDecisionForm, ChangeRequestForm, ResourceConnectForm


@login_required
@require_POST
def change_request_create(request, pk):
    def act(project, data):
        change = services.change_request_submit(
            project=project,
            by=request.user,
            aspects=data["aspects"],
            description=data["description"],
            amount_change=data["amount_change"] or 0,
            new_total=data["new_total"],
        )
        if change.needs_approval:
            return f"已提交变更申请，须经审核批准：{change.rule}"
        return f"变更已备案：{change.rule}"

    return _project_record(
        request,
        pk,
        form_class=ChangeRequestForm,
        form_key="change_form",
        failure="未能提交变更：",
        anchor="changes",
        act=act,
    )


@login_required
@require_POST
def change_request_decide(request, pk, change_id):
    def act(project, data):
        change = project.change_requests.filter(pk=change_id).first()
        if change is None:
            raise NotFound("该变更不存在。")
        approve = data["decision"] == "approve"
        services.change_request_decide(change=change, by=request.user, approve=approve, note=data["note"])
        return "已批准变更。" if approve else "已不予批准变更。"

    return _project_record(
        request,
        pk,
        form_class=ChangeDecisionForm,
        form_key="change_decision_form",
        failure="未能审核变更：",
        anchor="changes",
        act=act,
    )


@login_required
@require_POST
def bidding_confirm(request, pk):
    def act(project, data):
        services.bidding_confirm(
            project=project,
            by=request.user,
            experts=data["experts"],
            ceiling_price=data["ceiling_price"],
            note=data["note"],
        )
        return "已记录招标需求确认和采购最高限价。"

    return _project_record(
        request,
        pk,
        form_class=BiddingConfirmationForm,
        form_key="bidding_form",
        failure="未能确认招标需求：",
        anchor="procurement",
        act=act,
    )


@login_required
@require_POST
def resource_connect(request, pk):
    def act(project, data):
        resource = project.resources.filter(pk=data["resource"]).first()
        if resource is None:
            raise NotFound("该数据资源不属于本项目。")
        resource_mark_connected(
            resource=resource,
            by=request.user,
            registered=data["registered"],
            connected=data["connected"],
            video_connected=data["video_connected"],
        )
        return f"已更新“{resource.name}”的编目接入情况。"

    return _project_record(
        request,
        pk,
        form_class=ResourceConnectForm,
        form_key="connect_form",
        failure="未能确认数据资源接入：",
        anchor="catalogue",
        act=act,
    )
