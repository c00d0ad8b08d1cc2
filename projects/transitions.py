"""The one table of transitions (DOMAIN.md): for each, its sources and target, the roles that run it by default
(a policy may name another body: `Policy.actors`), whether only the declaring department may, the form of its
own fields, what it sets on the project, and the records other apps leave beside it.

The django-fsm transitions of `Project`, the role check of `project_transition`, the fields the API describes
and the diagram in docs/lifecycle.md (`manage.py lifecycle_doc`) are all read from this table."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone

from core.enums import Role

from .enums import ProjectState


class CommentForm(forms.Form):
    comment = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ReasonForm(forms.Form):
    comment = forms.CharField(
        label="理由",
        required=True,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": "请填写理由：理由将记入项目档案。"},
    )


class ApproveForm(CommentForm):
    approved_amount = forms.DecimalField(
        label="批复金额（万元）", max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    basis = forms.CharField(
        label="批复依据",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写批复依据（如财政投资评审意见）。"},
    )
    valid_until = forms.DateField(
        label="核准文件有效期至",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="适用的管理办法规定核准文件有效期的（如文登区办法第十七条）须填写：有效期内未启动建设（启动采购）的项目将自动取消。",
    )


class FileContractForm(CommentForm):
    contract_amount = forms.DecimalField(
        label="合同金额（万元）", max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    awarded_on = forms.DateField(label="中标结果确定日期", widget=forms.DateInput(attrs={"type": "date"}))
    signed_on = forms.DateField(label="合同签订日期", widget=forms.DateInput(attrs={"type": "date"}))
    supplier = forms.CharField(label="承建单位", max_length=200)
    # The baseline fixed at 合同备案 (issue 13): the contract amount, the milestones and the planned completion.
    planned_completion_on = forms.DateField(
        label="计划完工日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    milestones = forms.CharField(
        label="里程碑",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一个：里程碑名称 计划完成日期，如“系统上线试运行 2025-06-30”。与合同金额、计划完工日期一起构成项目基线，此后只能经批准的变更调整。",
    )

    def clean_milestones(self):
        return milestones_parse(self.cleaned_data.get("milestones", ""))

    def clean_signed_on(self):
        value = self.cleaned_data["signed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("合同签订日期不能晚于今天。")
        return value

    def clean(self):
        data = super().clean()
        awarded, signed = data.get("awarded_on"), data.get("signed_on")
        if awarded and signed and awarded > signed:
            self.add_error("awarded_on", "中标结果确定日期不能晚于合同签订日期。")
        planned = data.get("planned_completion_on")
        if planned and signed and planned < signed:
            self.add_error("planned_completion_on", "计划完工日期不能早于合同签订日期。")
        late = [
            m["name"] for m in data.get("milestones") or [] if planned and m["due_on"] > planned.isoformat()
        ]
        if late:
            self.add_error("milestones", f"里程碑“{'、'.join(late)}”的计划完成日期晚于计划完工日期。")
        return data


def milestones_parse(text: str, field: str = "里程碑") -> list[dict]:
    """Milestones typed one a line, "名称 YYYY-MM-DD" → [{"name", "due_on"}] in date order; a clear Chinese
    message for a line that is not."""
    from datetime import date as _date

    found = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        name, _, when = line.rpartition(" ")
        try:
            due = _date.fromisoformat(when.strip())
        except ValueError:
            raise forms.ValidationError(
                f"{field}第{number}行“{line[:30]}”格式不对：请写成“里程碑名称 YYYY-MM-DD”。"
            ) from None
        if not name.strip():
            raise forms.ValidationError(f"{field}第{number}行缺少里程碑名称。")
        found.append({"name": name.strip()[:100], "due_on": due.isoformat()})
    if len(found) > 30:
        raise forms.ValidationError(f"{field}最多30个。")
    return sorted(found, key=lambda m: m["due_on"])


class CompleteConstructionForm(CommentForm):
    goals_met = forms.BooleanField(label="已实现预期目标", required=False)
    functions_complete = forms.BooleanField(label="承诺软件功能齐全", required=False)
    hardware_matches = forms.BooleanField(label="硬件品牌型号数量匹配", required=False)
    trial_started_on = forms.DateField(label="试运行开始日期", widget=forms.DateInput(attrs={"type": "date"}))


class ApplyAcceptanceForm(CommentForm):
    deployed_on_cloud = forms.BooleanField(label="已部署在（迁移至）政务云并实现数据资源共享", required=False)


# The group, its members, the conclusion and the rectification items are the acceptance group's records
# (acceptance: draw_acceptance_group, issue_acceptance_letter); the transitions follow its issued letter (ANY-letter).
class PassAcceptanceForm(CommentForm):
    pass


class FailAcceptanceForm(CommentForm):
    pass


@dataclass(frozen=True)
class TransitionSpec:
    name: str
    label: str
    sources: tuple[str, ...]
    # The state it leads to; None: back to where it came from (resume after a suspension).
    target: str | None
    roles: frozenset[str]
    form: type[forms.Form]
    # Only the declaring department runs it (co-builders read); for a department role only.
    owner_only: bool = False
    # What the transition sets on the project: (project, cleaned data, now) → the state to go back to, for
    # a transition without a fixed target.
    effect: Callable | None = None
    system: bool = False  # the daily job may run it without a user
    # The records the apps leave beside the state change, each (project, cleaned data, by) → dict for the
    # timeline entry; filled by the apps in their AppConfig.ready() (`transition_record_register`).
    records: list = field(default_factory=list, compare=False, hash=False)

    @property
    def targets(self) -> tuple[str, ...]:
        return (self.target,) if self.target else ("procurement", "construction")


def _submitted(project, data, now):
    project.declared_at = now


def _approved(project, data, now):
    project.approved_amount = data["approved_amount"]
    project.approval_basis = data["basis"]
    project.approved_at = now
    project.valid_until = data.get("valid_until")


def _contracted(project, data, now):
    project.contract_amount = data["contract_amount"]


def _suspended(project, data, now):
    project.suspended_from = project.state


def _resumed(project, data, now):
    back, project.suspended_from = project.suspended_from, ""
    return back


DEPARTMENT, BDC, FINANCE = frozenset({Role.DEPARTMENT}), frozenset({Role.BDC}), frozenset({Role.FINANCE})

TRANSITIONS: dict[str, TransitionSpec] = {
    spec.name: spec
    for spec in (
        TransitionSpec(
            "submit",
            "提交申报",
            (ProjectState.DRAFT,),
            ProjectState.DECLARED,
            DEPARTMENT,
            CommentForm,
            owner_only=True,
            effect=_submitted,
        ),
        TransitionSpec(
            "return_for_revision",
            "退回修改",
            (ProjectState.DECLARED, ProjectState.REVIEWING),
            ProjectState.DRAFT,
            BDC,
            ReasonForm,
        ),
        TransitionSpec(
            "start_review", "启动评审", (ProjectState.DECLARED,), ProjectState.REVIEWING, BDC, CommentForm
        ),
        TransitionSpec(
            "reject",
            "不予立项",
            (ProjectState.DECLARED, ProjectState.REVIEWING),
            ProjectState.REJECTED,
            BDC,
            ReasonForm,
        ),
        TransitionSpec(
            "approve",
            "立项",
            (ProjectState.REVIEWING,),
            ProjectState.APPROVED,
            FINANCE,
            ApproveForm,
            effect=_approved,
        ),
        TransitionSpec(
            "start_procurement",
            "启动采购",
            (ProjectState.APPROVED,),
            ProjectState.PROCUREMENT,
            DEPARTMENT,
            CommentForm,
            owner_only=True,
        ),
        TransitionSpec(
            "file_contract",
            "合同备案",
            (ProjectState.PROCUREMENT,),
            ProjectState.CONSTRUCTION,
            DEPARTMENT,
            FileContractForm,
            owner_only=True,
            effect=_contracted,
        ),
        TransitionSpec(
            "suspend",
            "暂停",
            (ProjectState.PROCUREMENT, ProjectState.CONSTRUCTION),
            ProjectState.SUSPENDED,
            BDC,
            ReasonForm,
            effect=_suspended,
        ),
        TransitionSpec("resume", "恢复", (ProjectState.SUSPENDED,), None, BDC, ReasonForm, effect=_resumed),
        TransitionSpec(
            "terminate",
            "终止",
            (ProjectState.PROCUREMENT, ProjectState.CONSTRUCTION, ProjectState.SUSPENDED),
            ProjectState.TERMINATED,
            BDC,
            ReasonForm,
        ),
        TransitionSpec(
            "complete_construction",
            "完工自检",
            (ProjectState.CONSTRUCTION,),
            ProjectState.PRELIMINARY_ACCEPTANCE,
            DEPARTMENT,
            CompleteConstructionForm,
            owner_only=True,
        ),
        TransitionSpec(
            "apply_acceptance",
            "申请验收",
            (ProjectState.PRELIMINARY_ACCEPTANCE, ProjectState.RECTIFYING),
            ProjectState.FINAL_ACCEPTANCE,
            DEPARTMENT,
            ApplyAcceptanceForm,
            owner_only=True,
        ),
        TransitionSpec(
            "pass_acceptance",
            "验收合格",
            (ProjectState.FINAL_ACCEPTANCE,),
            ProjectState.EVALUATION,
            BDC,
            PassAcceptanceForm,
        ),
        TransitionSpec(
            "fail_acceptance",
            "验收不合格",
            (ProjectState.FINAL_ACCEPTANCE,),
            ProjectState.RECTIFYING,
            BDC,
            FailAcceptanceForm,
        ),
        TransitionSpec(
            "archive", "归档", (ProjectState.EVALUATION,), ProjectState.ARCHIVED, BDC, CommentForm
        ),
        TransitionSpec(
            "cancel",
            "撤销",
            (ProjectState.DRAFT, ProjectState.DECLARED, ProjectState.APPROVED),
            ProjectState.CANCELLED,
            DEPARTMENT,
            ReasonForm,
            owner_only=True,
            system=True,
        ),
    )
}


def transition_record_register(name: str, record: Callable) -> None:
    """An app's record of a transition (acceptance: the contract filing beside 合同备案), called inside the
    transition's transaction. Called from the app's AppConfig.ready(), so projects imports no app."""
    records = TRANSITIONS[name].records
    if record not in records:
        records.append(record)


def lifecycle_mermaid() -> str:
    """The state diagram of docs/lifecycle.md, from the table."""
    lines = ["stateDiagram-v2", "    [*] --> draft"]
    for spec in TRANSITIONS.values():
        who = "、".join(Role(r).label for r in sorted(spec.roles))
        for source in spec.sources:
            targets = spec.targets if spec.target is None else (spec.target,)
            for target in targets:
                lines.append(f"    {source} --> {target}: {spec.name} {spec.label}（{who}）")
    lines += [f"    {state} --> [*]" for state in ("archived", "rejected", "terminated", "cancelled")]
    return "\n".join(lines)
