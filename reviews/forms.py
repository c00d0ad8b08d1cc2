"""The review pages' forms. They check the shape of what was typed; the services decide whether it may be done."""

from django import forms

from core.models import Organisation

from .enums import Conclusion, ExpertField, Grade, PreReviewOutcome

FIELD_ERRORS = {"required": "请至少选择一个专家领域。", "invalid_choice": "所选领域不存在。"}


def _jurisdiction_orgs(jurisdiction_id):
    return Organisation.objects.filter(jurisdiction_id=jurisdiction_id).order_by("kind", "name", "id")


class ExpertForm(forms.Form):
    full_name = forms.CharField(label="姓名", max_length=64, error_messages={"required": "请填写专家姓名。"})
    title = forms.CharField(label="职称", max_length=64, required=False)
    fields = forms.MultipleChoiceField(
        label="领域",
        choices=ExpertField.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages=FIELD_ERRORS,
    )
    employer = forms.ModelChoiceField(
        label="工作单位（本行政区划登记的单位）",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="（不是本行政区划登记的单位）",
        error_messages={"invalid_choice": "所选单位不在本行政区划。"},
    )
    employer_name = forms.CharField(
        label="工作单位名称",
        max_length=128,
        required=False,
        help_text="未登记的单位填写全称，抽取时按名称回避。",
    )
    phone = forms.CharField(label="联系电话", max_length=32, required=False)
    email = forms.EmailField(
        label="电子邮箱", required=False, error_messages={"invalid": "电子邮箱格式不正确。"}
    )
    available = forms.BooleanField(label="可抽取", required=False, initial=True)
    availability_note = forms.CharField(
        label="可抽取情况说明",
        max_length=200,
        required=False,
        help_text="如：2026年12月10日前出差，暂不可抽取。",
    )

    def __init__(self, *args, jurisdiction_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = _jurisdiction_orgs(jurisdiction_id)

    @staticmethod
    def initial_from(expert) -> dict:
        return {
            "full_name": expert.user.full_name,
            "title": expert.title,
            "fields": list(expert.fields),
            "employer": expert.employer_id,
            "employer_name": expert.employer_name,
            "phone": expert.user.phone,
            "email": expert.user.email,
            "available": expert.available,
            "availability_note": expert.availability_note,
        }


class ExpertCreateForm(ExpertForm):
    username = forms.RegexField(
        label="登录名",
        max_length=150,
        regex=r"^[A-Za-z0-9_.@+-]+$",
        error_messages={"required": "请填写登录名。", "invalid": "登录名只能包含字母、数字和 _ . @ + -。"},
        help_text="账号初始密码由系统管理员设置。",
    )
    field_order = ["username", "full_name"]


class ConflictForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="存在利害关系的单位",
        queryset=Organisation.objects.none(),
        empty_label="请选择单位…",
        error_messages={"required": "请选择单位。", "invalid_choice": "所选单位不在本行政区划。"},
    )
    reason = forms.CharField(label="原因", max_length=200, error_messages={"required": "请填写原因。"})

    def __init__(self, *args, jurisdiction_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _jurisdiction_orgs(jurisdiction_id)


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label="姓名或单位", required=False)
    field = forms.ChoiceField(label="领域", choices=[("", "全部领域"), *ExpertField.choices], required=False)
    available = forms.ChoiceField(
        label="可抽取", choices=[("", "全部"), ("yes", "可抽取"), ("no", "暂不可抽取")], required=False
    )

    def filters(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}


class DrawForm(forms.Form):
    size = forms.TypedChoiceField(label="抽取人数", coerce=int, choices=())
    fields = forms.MultipleChoiceField(
        label="另须覆盖的领域",
        choices=ExpertField.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="项目所需领域之外另行要求的领域；每个须覆盖的领域至少有一名抽中的专家。",
    )
    bidders = forms.ModelMultipleChoiceField(
        label="投标单位（登记的单位）",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    bidder_names = forms.CharField(
        label="其他投标单位名称",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="每行一个单位全称；这些单位的人员及与其有利害关系的专家回避。",
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        minimum = project.policy.panel_size
        self.fields["size"].choices = [(n, f"{n}名") for n in range(minimum, 16, 2)]
        self.fields["bidders"].queryset = Organisation.objects.filter(
            jurisdiction_id=project.organisation.jurisdiction_id, kind="external"
        ).order_by("name", "id")

    def excluded(self) -> list:
        return self.excluded_from(self.cleaned_data)

    @staticmethod
    def excluded_from(cleaned: dict) -> list:
        """The bidders to leave out: the registered ones and the names typed, one a line."""
        names = [n.strip() for n in (cleaned.get("bidder_names") or "").splitlines() if n.strip()]
        return [*cleaned.get("bidders", []), *names]


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="谢绝或回避原因", max_length=200, error_messages={"required": "请填写原因。"}
    )
    replace = forms.BooleanField(label="同时从剩余候选专家中补抽", required=False, initial=True)


class ParticipationForm(forms.Form):
    participated = forms.TypedChoiceField(
        label="参与情况",
        choices=[("1", "已参与审核"), ("0", "未参与")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        error_messages={"required": "请选择参与情况。"},
    )
    note = forms.CharField(label="说明", max_length=200, required=False)


class ScoreForm(forms.Form):
    """One grade and one comment per criterion of the project's policy, then the overall opinion."""

    opinion = forms.CharField(
        label="总体意见", max_length=8000, widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    recommendation = forms.ChoiceField(
        label="建议结论", choices=Conclusion.choices, widget=forms.RadioSelect, required=False
    )
    correction_reason = forms.CharField(label="更正原因", max_length=200, required=False)

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            # Nested input flattened as API.md asks: one choice field per criterion, named criterion:<code>.
            self.fields[f"criterion:{c.code}"] = forms.ChoiceField(
                label=f"{c.label}：评价", choices=Grade.choices, widget=forms.RadioSelect, required=False
            )
            self.fields[f"comment:{c.code}"] = forms.CharField(
                label=f"{c.label}：意见",
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )

    def rows(self):
        from .selectors import criterion_heading

        return [
            (c, criterion_heading(c.label, c.article), self[f"criterion:{c.code}"], self[f"comment:{c.code}"])
            for c in self.criteria
        ]

    def service_data(self) -> dict:
        return score_service_data(self.criteria, self.cleaned_data)


def score_service_data(criteria, d: dict) -> dict:
    """A score form's cleaned data as `score_sheet_submit` takes it."""
    return {
        "grades": {c.code: d.get(f"criterion:{c.code}") or "" for c in criteria},
        "comments": {c.code: d.get(f"comment:{c.code}") or "" for c in criteria},
        "opinion": d.get("opinion") or "",
        "recommendation": d.get("recommendation") or "",
        "correction_reason": d.get("correction_reason") or "",
    }


class PreReviewForm(forms.Form):
    passed = forms.TypedChoiceField(
        label="预审结论",
        choices=[("1", "通过"), ("0", "不通过")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
        error_messages={"required": "请选择预审结论。"},
    )
    opinion = forms.CharField(
        label="预审意见",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写预审意见。"},
    )

    def __init__(self, *args, project=None, **kwargs):
        """Where the project's regulation names the pre-review's opinions (gongshu-draft 四(二)), the conclusion
        is one of them (`outcome`); `passed=1` still means 预审合格 there."""
        super().__init__(*args, **kwargs)
        outcomes, article = project.policy.prereview_letter if project is not None else ((), "")
        if not outcomes:
            return
        self.fields["outcome"] = forms.ChoiceField(
            label="预审结论",
            choices=[(o, PreReviewOutcome(o).label) for o in outcomes],
            widget=forms.RadioSelect,
            required=False,
            help_text=f"出具预审意见书（{project.policy.cite(article)}）。完善需求方案、拆分、合并：项目退回建设单位修改；"
            "取消：项目不进入评审（不予立项）。",
        )
        self.fields["passed"].required = False
        self.fields["passed"].widget = forms.HiddenInput()
        self.fields["passed"].help_text = "兼容字段：1 即预审合格；请使用“预审结论”。"
        self.order_fields(["outcome", "opinion", "passed"])

    def clean(self):
        data = super().clean()
        if "outcome" in self.fields and not data.get("outcome"):
            if data.get("passed") is True:
                data["outcome"] = PreReviewOutcome.PASS
            else:
                labels = "、".join(label for _, label in self.fields["outcome"].choices)
                self.add_error("outcome", f"请选择预审结论：{labels}。")
        return data


class ConsolidateForm(forms.Form):
    conclusion = forms.ChoiceField(
        label="评审结论",
        choices=Conclusion.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择评审结论。"},
    )
    summary = forms.CharField(
        label="汇总评审意见",
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "请填写汇总的评审意见。"},
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.absent_members = list(members)
        for m in self.absent_members:
            self.fields[f"absent_{m.pk}"] = forms.CharField(
                label=f"专家{m.expert}缺席原因", max_length=200, required=False
            )

    def absences(self) -> dict[int, str]:
        return {m.pk: self.cleaned_data.get(f"absent_{m.pk}") or "" for m in self.absent_members}
