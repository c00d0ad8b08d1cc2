"""The procurement, construction, acceptance and evaluation actions (API.md, *Actions*), each a form and the
service it calls, registered with the project in AcceptanceConfig.ready() together with the records this app
leaves beside the transitions (the contract filing beside 合同备案, the self-check beside 完工自检, …)."""

from django import forms
from django.urls import reverse

from core.enums import OrganisationKind, Role
from core.models import Organisation
from projects.actions import ActionSpec, form_plain, form_with_project
from projects.checks import CheckContext
from projects.enums import ProjectState

from . import services
from .forms import BiddingConfirmationForm, ChangeDecisionForm, ChangeRequestForm
from .models import ChangeRequest

DEPARTMENT, BDC = frozenset({Role.DEPARTMENT}), frozenset({Role.BDC})


def _page(anchor: str):
    return lambda project: reverse("projects:detail", kwargs={"pk": project.pk}) + f"#{anchor}"


class FileForm(forms.Form):
    file = forms.FileField(label="文件", error_messages={"required": "请上传文件。"})
    note = forms.CharField(
        label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SupervisorApplicationForm(FileForm):
    file = forms.FileField(label="派驻监理申请（书面）", error_messages={"required": "请上传书面申请。"})


class ArchiveAcceptanceForm(FileForm):
    file = forms.FileField(label="档案验收意见", error_messages={"required": "请上传档案验收意见。"})


class SupervisorForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="监理单位",
        queryset=Organisation.objects.none(),
        empty_label="请选择监理单位…",
        error_messages={
            "required": "请选择监理单位。",
            "invalid_choice": "所选单位不是本行政区划登记的监理单位。",
        },
    )
    starts_on = forms.DateField(
        label="监理服务期起", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label="监理服务期止", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, project, **kwargs):
        from .construction_selectors import supervisor_history_summary

        super().__init__(*args, **kwargs)
        queryset = Organisation.objects.filter(
            jurisdiction_id=project.organisation.jurisdiction_id, kind=OrganisationKind.SUPERVISION
        ).order_by("name", "id")
        self.fields["organisation"].queryset = queryset
        # Each company with its record of scores (laohekou-2024 第二十条), so the choice is an informed one.
        history = supervisor_history_summary(queryset)
        self.fields["organisation"].label_from_instance = lambda o: history.get(o.pk, o.name)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "监理服务期止不能早于服务期起。")
        return data


class DecideChangeForm(ChangeDecisionForm):
    change = forms.ModelChoiceField(
        label="待审核的变更",
        queryset=ChangeRequest.objects.none(),
        empty_label="请选择变更…",
        error_messages={"required": "请选择要审核的变更。", "invalid_choice": "该变更不存在或已审核。"},
    )
    field_order = ["change", "decision", "note"]

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change"].queryset = ChangeRequest.objects.filter(
            project=project, status=ChangeRequest.Status.SUBMITTED
        )
        self.fields["change"].label_from_instance = lambda c: f"{c.aspect_labels()}：{c.description[:30]}"


def _change(project, data, by):
    return services.change_request_submit(
        project=project,
        by=by,
        aspects=data["aspects"],
        description=data["description"],
        amount_change=data["amount_change"] or 0,
        new_total=data["new_total"],
        new_contract_amount=data.get("new_contract_amount"),
        new_planned_completion_on=data.get("new_planned_completion_on"),
        new_milestones=data.get("new_milestones"),
    )


def _change_record(change) -> dict:
    return {
        "id": change.pk,
        "status": change.status,
        "needs_approval": change.needs_approval,
        "rule": change.rule,
    }


def _version_record(version) -> dict:
    return {
        "id": version.pk,
        "kind": version.document.kind,
        "number": version.number,
        "sha256": version.sha256,
    }


ACCEPTANCE_ACTIONS = (
    ActionSpec(
        "confirm_bidding",
        "确认招标需求和最高限价",
        frozenset({ProjectState.APPROVED, ProjectState.PROCUREMENT}),
        BDC,
        form=form_plain(BiddingConfirmationForm),
        run=lambda project, data, by: services.bidding_confirm(
            project=project,
            by=by,
            experts=data["experts"],
            ceiling_price=data["ceiling_price"],
            note=data["note"],
        ),
        describe=lambda b: {"id": b.pk, "experts": b.experts, "ceiling_price": b.ceiling_price},
        # Listed where the regulation asks for it (gongshu-draft 五(一)、五(二)); recorded wherever it happened.
        ready=lambda project: (
            project.policy.bidding_confirmation
            or CheckContext.shared(project).bidding_confirmation is not None
        ),
        audit_actions=("acceptance.bidding.confirm",),
        back=_page("procurement"),
        section="procurement",
    ),
    ActionSpec(
        "apply_supervisor",
        "申请派驻监理",
        frozenset(services.SUPERVISION_STATES),
        DEPARTMENT,
        form=form_plain(SupervisorApplicationForm),
        run=lambda project, data, by: services.supervisor_application_submit(
            project=project, by=by, file=data["file"], note=data["note"]
        ),
        describe=_version_record,
        owner_only=True,
        optional=True,
        audit_actions=("acceptance.supervisor.apply",),
        section="procurement",
    ),
    # Where the regulation is silent, the department commissions the supervisor it wants (国办发〔2019〕57号:
    # 项目建设单位 … 执行 … 工程监理 … 制度); laohekou-2024 第十八条 has the centre assign one instead.
    ActionSpec(
        "assign_supervisor",
        "落实监理单位",
        frozenset(services.SUPERVISION_STATES),
        DEPARTMENT,
        owner_only=True,
        form=form_with_project(SupervisorForm),
        run=lambda project, data, by: services.supervisor_assign(
            project=project,
            by=by,
            organisation=data["organisation"],
            note=data["note"],
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
        ),
        describe=lambda a: {
            "id": a.pk,
            "organisation": a.organisation.name,
            "starts_on": a.starts_on,
            "ends_on": a.ends_on,
        },
        audit_actions=("acceptance.supervisor.assign",),
        section="procurement",
    ),
    ActionSpec(
        "request_change",
        "提出变更",
        frozenset(services.CHANGE_STATES),
        DEPARTMENT,
        form=form_plain(ChangeRequestForm),
        run=_change,
        describe=_change_record,
        owner_only=True,
        audit_actions=("acceptance.change.submit", "acceptance.change.file"),
        back=_page("changes"),
        section="construction",
    ),
    ActionSpec(
        "decide_change",
        "审核变更",
        frozenset(services.CHANGE_STATES),
        BDC,
        form=form_with_project(DecideChangeForm),
        run=lambda project, data, by: services.change_request_decide(
            change=data["change"], by=by, approve=data["decision"] == "approve", note=data["note"]
        ),
        describe=_change_record,
        audit_actions=("acceptance.change.approve", "acceptance.change.reject"),
        back=_page("changes"),
        section="construction",
        ready=lambda project: any(
            c.status == ChangeRequest.Status.SUBMITTED for c in CheckContext.shared(project).change_requests
        ),
    ),
    ActionSpec(
        "archive_acceptance",
        "档案验收",
        frozenset(services.ARCHIVE_ACCEPTANCE_STATES),
        DEPARTMENT,
        form=form_plain(ArchiveAcceptanceForm),
        run=lambda project, data, by: services.archive_acceptance_record(
            project=project, by=by, file=data["file"], note=data["note"]
        ),
        describe=_version_record,
        owner_only=True,
        optional=True,
        audit_actions=("acceptance.archive.accept",),
        section="acceptance",
    ),
    # self_evaluation moved to the performance app (docs/decisions/0008).
)

# The records this app leaves beside the project's transitions, inside the transition's transaction.
TRANSITION_RECORDS = {
    "file_contract": services.contract_filing_record,
    "complete_construction": services.completion_record,
    "apply_acceptance": services.acceptance_application_record,
    "pass_acceptance": services.acceptance_passed_record,
    "fail_acceptance": services.acceptance_failed_record,
}
