"""The browser's forms. They check the shape of what was typed; the services decide whether it may be done."""

from django import forms
from django.utils import timezone

from core.enums import OrganisationKind
from core.models import Organisation
from core.widgets import PlainSelect

from .enums import (
    BDC_DOCUMENT_KINDS,
    FINANCE_DOCUMENT_KINDS,
    SUPERVISOR_DOCUMENT_KINDS,
    Chapter,
    ConstructionKind,
    DocumentKind,
    ProjectCategory,
    ProjectState,
)
from .models import CHAPTER_FIELDS, FLAG_FIELDS
from .rules import document_kinds_for

# Documents the reviewing body, finance or the supervisor issue; a department never files them.
ISSUED_KINDS = BDC_DOCUMENT_KINDS | FINANCE_DOCUMENT_KINDS | SUPERVISOR_DOCUMENT_KINDS

MONEY_ERRORS = {
    "required": "请填写申报金额（万元）。",
    "invalid": "申报金额须为数字，单位万元，如 150 或 150.50。",
    "max_decimal_places": "申报金额最多保留两位小数（万元）。",
    "max_digits": "申报金额位数过多。",
    "max_whole_digits": "申报金额位数过多。",
    "min_value": "申报金额不能为负数。",
}


class ProjectForm(forms.Form):
    name = forms.CharField(label="项目名称", max_length=200, error_messages={"required": "请填写项目名称。"})
    category = forms.ChoiceField(
        label="项目类别", choices=ProjectCategory.choices, initial=ProjectCategory.NEW
    )
    year = forms.IntegerField(
        label="计划年度",
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "请填写计划年度。",
            "invalid": "计划年度须为四位年份。",
            "min_value": "计划年度须为四位年份。",
            "max_value": "计划年度须为四位年份。",
        },
    )
    declared_amount = forms.DecimalField(
        label="申报金额（万元）",
        max_digits=14,
        decimal_places=2,
        error_messages=MONEY_ERRORS,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    construction_kinds = forms.MultipleChoiceField(
        label="建设内容类别",
        choices=ConstructionKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    co_builders = forms.ModelMultipleChoiceField(
        label="共建单位",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_name = forms.CharField(label="联系人", max_length=64, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=32, required=False)
    is_classified = forms.BooleanField(label="涉密", required=False)
    has_video = forms.BooleanField(label="涉及公共视频监控", required=False)
    is_security = forms.BooleanField(label="涉及信息安全", required=False)
    is_cross_department = forms.BooleanField(label="跨部门共建", required=False)
    is_emergency = forms.BooleanField(label="紧急项目", required=False)
    adds_fixed_assets = forms.BooleanField(label="新增固定资产", required=False)
    in_plan = forms.BooleanField(label="已纳入规划", required=False)
    higher_level_arranged = forms.BooleanField(label="国家、省统筹安排并拨付资金", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for chapter in Chapter:
            self.fields[CHAPTER_FIELDS[chapter.value]] = forms.CharField(
                label=chapter.label,
                required=False,
                max_length=50000,
                widget=forms.Textarea(attrs={"rows": 6}),
            )
        org = user.organisation
        self.fields["co_builders"].queryset = (
            (
                Organisation.objects.filter(
                    jurisdiction_id=org.jurisdiction_id,
                    kind__in=[OrganisationKind.DEPARTMENT, OrganisationKind.TOWNSHIP],
                )
                .exclude(pk=org.pk)
                .order_by("kind", "id")
            )
            if org
            else Organisation.objects.none()
        )
        if not self.is_bound and "year" not in self.initial:
            self.initial["year"] = timezone.localdate().year + 1

    def basic_fields(self):
        return [
            self[n] for n in ("name", "category", "year", "declared_amount", "contact_name", "contact_phone")
        ]

    def flag_fields(self):
        return [self[n] for n in FLAG_FIELDS]

    def chapter_fields(self):
        return [self[CHAPTER_FIELDS[c.value]] for c in Chapter]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["co_builders"] = list(data.get("co_builders") or [])
        return data

    @staticmethod
    def initial_from(project) -> dict:
        initial = {
            n: getattr(project, n)
            for n in (
                "name",
                "category",
                "year",
                "declared_amount",
                "construction_kinds",
                "contact_name",
                "contact_phone",
                *FLAG_FIELDS,
            )
        }
        initial.update({f: getattr(project, f) for f in CHAPTER_FIELDS.values()})
        initial["co_builders"] = list(project.co_builders.values_list("pk", flat=True))
        return initial


def upload_kind_choices(user) -> list[tuple[str, str]]:
    allowed = document_kinds_for(user)
    if allowed is None:
        return [(k, label) for k, label in DocumentKind.choices if k not in ISSUED_KINDS]
    return [(k, label) for k, label in DocumentKind.choices if k in allowed]


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="文档类型",
        error_messages={"invalid_choice": "您不能上传该类型的文档。", "required": "请选择文档类型。"},
    )
    file = forms.FileField(
        label="文件",
        error_messages={
            "required": "请选择要上传的文件。",
            "empty": "文件是空文件。",
            "invalid": "未收到文件，请重新选择。",
        },
    )
    title = forms.CharField(label="标题（可选）", max_length=200, required=False)
    has_sharing_chapter = forms.BooleanField(label="含信息资源共享开放分析篇", required=False)
    has_security_chapter = forms.BooleanField(label="含项目系统安全分析篇", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "请选择…"), *upload_kind_choices(user)]


class ProjectFilterForm(forms.Form):
    q = forms.CharField(
        label="关键词",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "项目名称或编号"}),
    )
    state = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *ProjectState.choices], widget=PlainSelect
    )
    year = forms.IntegerField(
        label="年度",
        required=False,
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"placeholder": "如 2027"}),
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
