"""The forms of the construction-watch actions (issue 13). Each takes the project: its choices (the reporting
periods, the baseline's milestones, the open 督办单) are the project's."""

from django import forms

from projects.checks import CheckContext

from .construction.common import period_choices
from .construction.escalation import RATING_COMMENT_REQUIRED, RISK_ASPECTS, RISK_RUBRIC
from .construction.supervision import SUPERVISION_ITEMS, SUPERVISION_RATINGS
from .models import DelayReport, Escalation

MONEY = {"max_digits": 14, "decimal_places": 2}
TEXT = {"widget": forms.Textarea(attrs={"rows": 2}), "max_length": 4000}


def _attachment(label: str) -> forms.FileField:
    return forms.FileField(label=label, required=False, help_text="可选；作为项目文档的一个版本保存。")


class SupervisionReportForm(forms.Form):
    period = forms.ChoiceField(
        label="报告期", error_messages={"invalid_choice": "报告期不在本项目的建设期内。"}
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = period_choices(project, "supervision_report_months")
        for code, label in SUPERVISION_ITEMS:
            self.fields[f"finding:{code}"] = forms.CharField(
                label=f"{label}：监理意见",
                error_messages={"required": f"请填写{label}的监理意见。"},
                **TEXT,
            )
            self.fields[f"rating:{code}"] = forms.ChoiceField(
                label=f"{label}：评价",
                choices=SUPERVISION_RATINGS,
                error_messages={
                    "required": f"请选择{label}的评价。",
                    "invalid_choice": f"{label}的评价无效。",
                },
            )
        self.fields["issues"] = forms.CharField(label="发现的问题", required=False, **TEXT)
        self.fields["follow_up"] = forms.CharField(label="以往问题的跟踪整改情况", required=False, **TEXT)
        self.fields["file"] = _attachment("监理报告附件")

    def clean(self):
        data = super().clean()
        data["items"] = {
            code: {"finding": data.get(f"finding:{code}", ""), "rating": data.get(f"rating:{code}", "")}
            for code, _ in SUPERVISION_ITEMS
        }
        return data


class ScoreSupervisorForm(forms.Form):
    score = forms.DecimalField(
        label="评分（分）",
        min_value=0,
        max_value=100,
        decimal_places=2,
        max_digits=5,
        error_messages={
            "required": "请填写评分。",
            "min_value": "评分不能低于0分。",
            "max_value": "评分不能高于100分。",
        },
    )
    comment = forms.CharField(
        label="评价意见", error_messages={"required": "请填写对监理单位服务的评价意见。"}, **TEXT
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["score"].widget.attrs["data-unit"] = "分"


class ProgressReportForm(forms.Form):
    period = forms.ChoiceField(
        label="报告期", error_messages={"invalid_choice": "报告期不在本项目的建设期内。"}
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = period_choices(project, "progress_report_months")
        baseline = CheckContext.shared(project).baseline
        self.milestones = list(baseline.milestones) if baseline else []
        for index, m in enumerate(self.milestones, start=1):
            self.fields[f"milestone:{index}"] = forms.IntegerField(
                label=f"{m['name']}（计划{m['due_on']}）完成（%）",
                min_value=0,
                max_value=100,
                error_messages={"required": f"请填写“{m['name']}”的完成百分比（0至100）。"},
            )
        if not self.milestones:
            self.fields["percent_done"] = forms.IntegerField(
                label="总体完成（%）",
                min_value=0,
                max_value=100,
                error_messages={"required": "请填写总体完成百分比。"},
            )
        self.fields["paid_amount"] = forms.DecimalField(
            label="累计已支付（万元）",
            min_value=0,
            error_messages={
                "required": "请填写累计已支付金额（万元）。",
                "min_value": "累计支付金额不能为负数。",
            },
            **MONEY,
        )
        self.fields["problems"] = forms.CharField(label="存在问题", required=False, **TEXT)
        self.fields["next_steps"] = forms.CharField(label="下步计划", required=False, **TEXT)
        self.fields["users_opinion"] = forms.CharField(label="项目使用单位意见", required=False, **TEXT)
        self.fields["supervisor_opinion"] = forms.CharField(label="监理单位意见", required=False, **TEXT)
        self.fields["file"] = _attachment("报告附件")

    def clean(self):
        data = super().clean()
        data["percents"] = [data.get(f"milestone:{i}") or 0 for i in range(1, len(self.milestones) + 1)]
        return data


def _rubric() -> str:
    return "；".join(f"{n}级 {name}：{text}" for n, name, text in RISK_RUBRIC)


class RiskRatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="风险评级",
        coerce=int,
        choices=[(str(n), f"{n}级 — {name}") for n, name, _ in RISK_RUBRIC],
        help_text=f"评级规程：对照{RISK_ASPECTS}评定。{_rubric()}。1至3级须写明说明；1、2级将自动开具督办单。",
        error_messages={"required": "请选择风险评级。", "invalid_choice": "风险评级须为1至5级。"},
    )
    comment = forms.CharField(label="评级说明", required=False, **TEXT)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        rating = data.get("rating")
        if (
            rating is not None
            and rating <= RATING_COMMENT_REQUIRED
            and not (data.get("comment") or "").strip()
        ):
            self.add_error(
                "comment", "评级为1至3级的，须写明评级说明（进度、成本、质量、监理发现、变更情况）。"
            )
        return data


class DelayReportForm(forms.Form):
    kind = forms.ChoiceField(
        label="情形", choices=DelayReport.Kind.choices, error_messages={"required": "请选择情形。"}
    )
    description = forms.CharField(label="情况说明", error_messages={"required": "请填写情况说明。"}, **TEXT)
    days_late = forms.IntegerField(label="预计逾期（天）", required=False, min_value=0)
    loss_amount = forms.DecimalField(label="损失金额（万元）", required=False, min_value=0, **MONEY)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)


class EscalateForm(forms.Form):
    reason = forms.CharField(label="督办事由", error_messages={"required": "请填写督办事由。"}, **TEXT)
    items = forms.CharField(
        label="督办事项",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text="每行一项。",
        error_messages={"required": "请至少列出一项督办事项。"},
    )
    owner = forms.ChoiceField(label="责任单位")
    workdays = forms.IntegerField(
        label="办理期限（工作日）",
        min_value=1,
        max_value=60,
        required=False,
        help_text="自开具之日起算，当日不计入；不填按本级设定（默认10个工作日）。",
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        ctx = CheckContext.shared(project)
        owners = [project.organisation.name]
        if ctx.supervisor is not None:
            owners.append(ctx.supervisor.organisation.name)
        if ctx.contract_filing is not None:
            owners.append(ctx.contract_filing.supplier)
        self.fields["owner"].choices = [(o, o) for o in dict.fromkeys(owners)]

    def clean_items(self):
        lines = [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError("请至少列出一项督办事项。")
        return lines


class _EscalationChoice(forms.Form):
    statuses: tuple[str, ...] = ()

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        field = forms.ModelChoiceField(
            label="督办单",
            queryset=Escalation.objects.filter(project=project, status__in=self.statuses).order_by("-number"),
            empty_label="请选择督办单…",
            error_messages={
                "required": "请选择督办单。",
                "invalid_choice": "该督办单不存在或已不在可办理状态。",
            },
        )
        field.label_from_instance = lambda e: (
            f"{e.title}（{e.get_trigger_display()}，{e.get_status_display()}）"
        )
        self.fields = {"escalation": field, **self.fields}


class AnswerEscalationForm(_EscalationChoice):
    statuses = (Escalation.Status.OPEN,)
    answer = forms.CharField(label="答复", error_messages={"required": "请填写对督办事项的答复。"}, **TEXT)


class CloseEscalationForm(_EscalationChoice):
    statuses = (Escalation.Status.OPEN, Escalation.Status.ANSWERED)
    outcome = forms.ChoiceField(
        label="办结结论",
        choices=Escalation.Outcome.choices,
        widget=forms.RadioSelect,
        help_text="暂停、终止将同时办理项目的暂停或终止，督办单即为其理由。",
        error_messages={"required": "请选择办结结论。"},
    )
    note = forms.CharField(label="办结意见", error_messages={"required": "请填写办结意见。"}, **TEXT)
