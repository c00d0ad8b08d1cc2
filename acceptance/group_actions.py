"""The acceptance group's actions (API.md, *Actions*): form the group, each expert's opinion, the organiser's
conclusion (which issues the 竣工验收意见函), and the department's report on each rectification item. Each is a
form whose fields the API describes, and the service in acceptance.group it calls."""

from datetime import date

from django import forms
from django.urls import reverse

from core.enums import Role
from projects.actions import ActionSpec, form_with_project
from projects.checks import CheckContext
from projects.enums import AcceptanceConclusion, ProjectState

from . import group as services
from .models import RectificationItem

FINAL = frozenset({ProjectState.FINAL_ACCEPTANCE})


def _page(project) -> str:
    return reverse("projects:detail", kwargs={"pk": project.pk}) + "#acceptance-group"


class FormGroupForm(forms.Form):
    """One pair of fields per party the policy names: its unit (`party:<code>`) and its representative
    (`name:<code>`)."""

    def __init__(self, *args, project, **kwargs):
        from reviews.enums import ExpertField

        super().__init__(*args, **kwargs)
        self.parties = project.policy.acceptance_parties
        for party in self.parties:
            note = "（须参加）" if party.required else "（参加的填写）"
            self.fields[f"party:{party.code}"] = forms.CharField(
                label=f"{party.label}：单位名称",
                max_length=200,
                required=False,
                help_text=f"{party.article}{note}",
            )
            self.fields[f"name:{party.code}"] = forms.CharField(
                label=f"{party.label}：代表姓名", max_length=64, required=False
            )
        self.fields["fields"] = forms.MultipleChoiceField(
            label="另须覆盖的专家领域",
            choices=ExpertField.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text="按项目建设内容确定的领域自动覆盖；此处可增加。",
        )

    def clean(self):
        data = super().clean()
        for party in self.parties:
            unit = (data.get(f"party:{party.code}") or "").strip()
            name = (data.get(f"name:{party.code}") or "").strip()
            if unit and not name:
                self.add_error(f"name:{party.code}", f"请填写{party.label}代表的姓名。")
            if name and not unit:
                self.add_error(f"party:{party.code}", f"请填写{party.label}的单位名称。")
        data["_representatives"] = self.representatives(data)
        return data

    def representatives(self, d) -> dict[str, tuple[str, str]]:
        return {
            p.code: (d[f"party:{p.code}"].strip(), d[f"name:{p.code}"].strip())
            for p in self.parties
            if (d.get(f"party:{p.code}") or "").strip()
        }


MET_CHOICES = [("met", "满足"), ("unmet", "不满足")]


class OpinionForm(forms.Form):
    """One choice per acceptance condition (`condition:<code>`) with a comment, then the overall opinion."""

    recommendation = forms.ChoiceField(
        label="建议结论",
        choices=AcceptanceConclusion.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择建议结论。"},
    )
    opinion = forms.CharField(
        label="总体意见",
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写总体意见。"},
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.conditions = project.policy.acceptance_conditions
        for c in self.conditions:
            self.fields[f"condition:{c.code}"] = forms.ChoiceField(
                label=f"{c.label}（{c.article}）",
                choices=MET_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": f"请就“{c.label}”作出判断。"},
            )
            self.fields[f"comment:{c.code}"] = forms.CharField(
                label=f"{c.label}：意见",
                max_length=4000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 1}),
            )
        self.order_fields(
            [*(n for c in self.conditions for n in (f"condition:{c.code}", f"comment:{c.code}"))]
        )

    def clean(self):
        data = super().clean()
        for c in self.conditions:
            if (
                data.get(f"condition:{c.code}") == "unmet"
                and not (data.get(f"comment:{c.code}") or "").strip()
            ):
                self.add_error(f"comment:{c.code}", f"“{c.label}”判断为不满足的，请写明理由。")
        data["_conditions"] = {
            c.code: (data.get(f"condition:{c.code}") == "met", data.get(f"comment:{c.code}") or "")
            for c in self.conditions
            if data.get(f"condition:{c.code}")
        }
        return data


def items_parse(text: str) -> list[dict]:
    """Rectification items typed one a line, "整改内容 | 责任单位 | YYYY-MM-DD" → [{"text", "owner", "due_on"}]."""
    found = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        if len(parts) != 3 or not all(parts):
            raise forms.ValidationError(
                f"整改事项第{number}行“{line[:30]}”格式不对：请写成“整改内容 | 责任单位 | YYYY-MM-DD”。"
            )
        try:
            due = date.fromisoformat(parts[2])
        except ValueError:
            raise forms.ValidationError(
                f"整改事项第{number}行的整改期限“{parts[2]}”不是 YYYY-MM-DD 格式的日期。"
            ) from None
        found.append({"text": parts[0][:2000], "owner": parts[1][:200], "due_on": due})
    return found


class ConcludeForm(forms.Form):
    conclusion = forms.ChoiceField(
        label="验收结论",
        choices=AcceptanceConclusion.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择验收结论。"},
    )
    summary = forms.CharField(
        label="验收意见",
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写验收意见。"},
    )
    items = forms.CharField(
        label="整改事项",
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="验收不合格的填写，每行一项：整改内容 | 责任单位 | 整改期限（YYYY-MM-DD）。",
    )
    correction_reason = forms.CharField(
        label="更正原因", required=False, max_length=200, help_text="本轮已出具竣工验收意见函、须更正的填写。"
    )

    def clean_items(self):
        return items_parse(self.cleaned_data.get("items", ""))

    def clean(self):
        data = super().clean()
        if data.get("conclusion") == AcceptanceConclusion.FAILED and "items" in data and not data["items"]:
            self.add_error("items", "验收不合格的，须逐项列明整改事项、责任单位和整改期限。")
        if data.get("conclusion") == AcceptanceConclusion.PASSED and data.get("items"):
            self.add_error("items", "验收合格的，不填写整改事项。")
        return data


class ReportForm(forms.Form):
    item = forms.ModelChoiceField(
        label="整改事项",
        queryset=RectificationItem.objects.none(),
        empty_label="请选择整改事项…",
        error_messages={"required": "请选择整改事项。", "invalid_choice": "该整改事项不存在或已报告。"},
    )
    report = forms.CharField(
        label="整改情况",
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写整改情况。"},
    )
    evidence = forms.FileField(label="整改佐证材料", error_messages={"required": "请上传整改佐证材料。"})

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = RectificationItem.objects.filter(
            project=project, reported_on__isnull=True
        )
        self.fields["item"].label_from_instance = lambda i: (
            f"{i.number}. {i.text[:40]}（{i.owner}，{i.due_on:%Y-%m-%d}前）"
        )


def _formed(project) -> bool:
    return CheckContext.shared(project).acceptance_group is not None


def _verdict_record(v) -> dict:
    return {
        "id": v.pk,
        "round": v.round,
        "conclusion": v.conclusion,
        "number": v.letter.number,
        "letter_id": v.letter_id,
        "letter_status": v.letter.status,
        "after_rectification": v.after_rectification,
        "items": [
            {"id": i.pk, "number": i.number, "owner": i.owner, "due_on": i.due_on} for i in v.items.all()
        ],
    }


GROUP_ACTIONS = (
    ActionSpec(
        "draw_acceptance_group",
        "组成验收组",
        FINAL,
        frozenset({Role.BDC}),
        form=form_with_project(FormGroupForm),
        run=lambda project, data, by: services.acceptance_group_form(
            project=project, by=by, representatives=data["_representatives"], fields=data.get("fields") or ()
        ),
        describe=lambda g: {
            "id": g.pk,
            "draw": g.draw_id,
            "formed_on": g.formed_on,
            "members": [
                {"kind": m.kind, "party": m.party_label, "name": m.name, "unit": m.unit}
                for m in g.members.all()
            ],
        },
        repeatable=False,
        ready=lambda project: not _formed(project),
        audit_actions=("acceptance.group.form",),
        back=_page,
        section="acceptance",
        help="从专家库按项目领域和合同金额随机抽取验收专家（回避申报单位、共建单位、承建单位和监理单位），"
        "会同办法规定的单位代表组成验收组。",
    ),
    ActionSpec(
        "acceptance_opinion",
        "提交验收意见",
        FINAL,
        frozenset({Role.EXPERT}),
        form=form_with_project(OpinionForm),
        run=lambda project, data, by: services.acceptance_opinion_submit(
            project=project,
            by=by,
            conditions=data["_conditions"],
            recommendation=data["recommendation"],
            opinion=data["opinion"],
        ),
        describe=lambda o: {
            "id": o.pk,
            "round": o.round,
            "recommendation": o.recommendation,
            "conditions": o.conditions,
        },
        repeatable=False,
        ready=_formed,
        member=lambda project, user: services.expert_member(project, user) is not None,
        audit_actions=("acceptance.opinion.submit",),
        back=_page,
        section="acceptance",
        help="验收组专家逐项判断办法规定的验收条件是否满足，每轮提交一次。",
    ),
    ActionSpec(
        "issue_acceptance_letter",
        "记录验收结论并印发竣工验收意见函",
        FINAL,
        frozenset({Role.BDC}),
        form=form_with_project(lambda data, files, project: ConcludeForm(data, files)),
        run=lambda project, data, by: services.acceptance_conclude(
            project=project,
            by=by,
            conclusion=data["conclusion"],
            summary=data["summary"],
            items=data.get("items") or [],
            reason=data.get("correction_reason") or "",
        ),
        describe=_verdict_record,
        ready=_formed,
        audit_actions=("acceptance.verdict.record",),
        back=_page,
        section="acceptance",
        help="验收结论记录后即编发文字号、生成竣工验收意见函；本轮已出具的，再次记录即为更正件（须写明更正原因）。",
    ),
    ActionSpec(
        "rectification_report",
        "报告整改情况",
        frozenset({ProjectState.RECTIFYING}),
        frozenset({Role.DEPARTMENT}),
        form=form_with_project(ReportForm),
        run=lambda project, data, by: services.rectification_report(
            project=project, by=by, item_id=data["item"].pk, report=data["report"], evidence=data["evidence"]
        ),
        describe=lambda i: {
            "id": i.pk,
            "number": i.number,
            "reported_on": i.reported_on,
            "evidence": i.evidence_id,
        },
        owner_only=True,
        ready=lambda project: any(
            i.reported_on is None for i in CheckContext.shared(project).rectification_items
        ),
        audit_actions=("acceptance.rectification.report",),
        back=_page,
        section="acceptance",
    ),
)
