"""The table of transitions: who may run each, what they enter with it, and what it records.

The legal source → target pairs live on the model (django-fsm); this table adds the roles of DOMAIN.md
and the form of each transition's own fields. The same form validates the browser and the API."""

from dataclasses import dataclass

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone

from core.enums import Role

R = Role


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
        return data


class CompleteConstructionForm(CommentForm):
    goals_met = forms.BooleanField(label="已实现预期目标", required=False)
    functions_complete = forms.BooleanField(label="承诺软件功能齐全", required=False)
    hardware_matches = forms.BooleanField(label="硬件品牌型号数量匹配", required=False)
    trial_started_on = forms.DateField(label="试运行开始日期", widget=forms.DateInput(attrs={"type": "date"}))


class ApplyAcceptanceForm(CommentForm):
    deployed_on_cloud = forms.BooleanField(label="已部署在（迁移至）政务云并实现数据资源共享", required=False)


class PassAcceptanceForm(CommentForm):
    group_members = forms.CharField(
        label="验收组成员",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写验收组成员。"},
    )


class FailAcceptanceForm(CommentForm):
    group_members = forms.CharField(
        label="验收组成员", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    rectification_items = forms.CharField(
        label="整改事项",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请逐项列明整改事项。"},
    )
    rectification_deadline = forms.DateField(label="整改期限", widget=forms.DateInput(attrs={"type": "date"}))

    def clean_rectification_deadline(self):
        value = self.cleaned_data["rectification_deadline"]
        if value <= timezone.localdate():
            raise forms.ValidationError("整改期限须晚于今天。")
        return value


@dataclass(frozen=True)
class TransitionSpec:
    name: str
    label: str
    roles: frozenset[str]
    form: type[forms.Form]
    # "app.module.function" called inside the transaction with (project, cleaned_data, by): the records
    # the transition leaves beside the state change. A path, so that projects does not import the apps.
    record: str | None = None
    system: bool = False  # the daily job may run it without a user


TRANSITIONS: dict[str, TransitionSpec] = {
    spec.name: spec
    for spec in (
        TransitionSpec("submit", "提交申报", frozenset({R.DEPARTMENT}), CommentForm),
        TransitionSpec("return_for_revision", "退回修改", frozenset({R.BDC}), ReasonForm),
        TransitionSpec("start_review", "启动评审", frozenset({R.BDC}), CommentForm),
        TransitionSpec("reject", "不予立项", frozenset({R.BDC}), ReasonForm),
        TransitionSpec("approve", "立项", frozenset({R.FINANCE}), ApproveForm),
        TransitionSpec("start_procurement", "启动采购", frozenset({R.DEPARTMENT}), CommentForm),
        TransitionSpec(
            "file_contract",
            "合同备案",
            frozenset({R.DEPARTMENT}),
            FileContractForm,
            record="acceptance.services.contract_filing_record",
        ),
        TransitionSpec("suspend", "暂停", frozenset({R.BDC}), ReasonForm),
        TransitionSpec("resume", "恢复", frozenset({R.BDC}), ReasonForm),
        TransitionSpec("terminate", "终止", frozenset({R.BDC}), ReasonForm),
        TransitionSpec(
            "complete_construction",
            "完工自检",
            frozenset({R.DEPARTMENT}),
            CompleteConstructionForm,
            record="acceptance.services.completion_record",
        ),
        TransitionSpec(
            "apply_acceptance",
            "申请验收",
            frozenset({R.DEPARTMENT}),
            ApplyAcceptanceForm,
            record="acceptance.services.acceptance_application_record",
        ),
        TransitionSpec(
            "pass_acceptance",
            "验收合格",
            frozenset({R.BDC}),
            PassAcceptanceForm,
            record="acceptance.services.acceptance_passed_record",
        ),
        TransitionSpec(
            "fail_acceptance",
            "验收不合格",
            frozenset({R.BDC}),
            FailAcceptanceForm,
            record="acceptance.services.acceptance_failed_record",
        ),
        TransitionSpec("archive", "归档", frozenset({R.BDC}), CommentForm),
        TransitionSpec("cancel", "撤销", frozenset({R.DEPARTMENT}), ReasonForm, system=True),
    )
}


def transition_spec(name: str) -> TransitionSpec | None:
    return TRANSITIONS.get(name)
