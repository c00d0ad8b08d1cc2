"""The review's actions (API.md, *Actions*: review): each a form and the service it calls, registered with the
project in ReviewsConfig.ready(). The review pages and the API both take them through
`projects.actions.project_action`."""

from django import forms
from django.urls import reverse

from core.enums import OrganisationKind, Role
from core.errors import NotFound
from core.models import Letter, Organisation
from projects.actions import ActionSpec
from projects.checks import CheckContext
from projects.enums import ProjectState

from . import issuing, services
from .forms import (
    ConsolidateForm,
    DeclineForm,
    DrawForm,
    ParticipationForm,
    PreReviewForm,
    ScoreForm,
    score_service_data,
)
from .models import AgencyInvitation, OutsideDecision, PanelMember, ReviewOpinion
from .selectors import panel_overview

BDC = frozenset({Role.BDC})
OPEN = frozenset({ProjectState.DECLARED, ProjectState.REVIEWING})
INVITABLE = (
    OrganisationKind.POLICE,
    OrganisationKind.SECRECY,
    OrganisationKind.DEVELOPMENT,
    OrganisationKind.FINANCE,
)


def _review_page(project) -> str:
    return reverse("reviews:review", kwargs={"pk": project.pk})


def _project_page(anchor: str):
    return lambda project: reverse("projects:detail", kwargs={"pk": project.pk}) + f"#{anchor}"


# ---- pre-review ------------------------------------------------------------------------------------------


def _prereview(project, data, by):
    passed = data.get("passed")
    return services.prereview_record(
        project=project,
        by=by,
        opinion=data["opinion"],
        outcome=data.get("outcome") or None,
        passed=None if passed in (None, "") else passed,
    )


def _prereview_record(pre) -> dict:
    letter = getattr(pre, "letter", None)
    pre.project.refresh_from_db(fields=["state"])
    return {
        "id": pre.pk,
        "passed": pre.passed,
        "outcome": pre.outcome,
        "outcome_label": pre.get_outcome_display(),
        "opinion": pre.opinion,
        "letter": _letter_record(letter) if letter else None,
        "project_state": pre.project.state,
    }


def _prereview_done(pre) -> str:
    letter = getattr(pre, "letter", None)
    said = f"已记录预审意见（{pre.get_outcome_display()}）"
    if letter:
        said += f"，预审意见书 {letter.number} 已编号"
    pre.project.refresh_from_db(fields=["state"])
    if pre.project.state != ProjectState.DECLARED:
        said += f"；项目已转为“{pre.project.get_state_display()}”"
    return said + "。"


# ---- the agencies that take part ---------------------------------------------------------------------------


class InviteForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="参与审核部门",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="（本办法要求的全部部门）",
        error_messages={"invalid_choice": "所选部门不在可邀请范围内。"},
        help_text="留空则邀请本项目适用的管理办法要求参与审核的全部部门。",
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            jurisdiction_id=project.organisation.jurisdiction_id, kind__in=INVITABLE
        ).order_by("id")


def _invite(project, data, by):
    if data["organisation"] is not None:
        return [services.agency_invite(project=project, by=by, organisation=data["organisation"])]
    return services.agencies_invite_required(project=project, by=by)


class AgencyRecordForm(ParticipationForm):
    invitation = forms.ModelChoiceField(
        label="邀请记录",
        queryset=AgencyInvitation.objects.none(),
        error_messages={"required": "请选择邀请记录。", "invalid_choice": "该邀请记录不属于本项目。"},
    )
    field_order = ["invitation", "participated", "note"]

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitation"].queryset = AgencyInvitation.objects.filter(project=project).select_related(
            "organisation"
        )
        self.fields["invitation"].label_from_instance = lambda i: i.organisation.name


def _record_agency(project, data, by):
    return services.agency_participation_record(
        invitation=data["invitation"], by=by, participated=data["participated"], note=data["note"]
    )


# ---- the panel ----------------------------------------------------------------------------------------------


def _draw(project, data, by):
    return services.expert_panel_draw(
        project=project,
        by=by,
        size=data["size"],
        fields=data["fields"],
        excluded_organisations=DrawForm.excluded_from(data),
    )


class ReplaceForm(DeclineForm):
    member = forms.ModelChoiceField(
        label="谢绝或回避的专家",
        queryset=PanelMember.objects.none(),
        required=False,
        empty_label="（无：只补抽空缺席位）",
        error_messages={"invalid_choice": "该专家不在本项目的评审专家组中。"},
    )
    field_order = ["member", "reason", "replace"]

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = PanelMember.objects.filter(
            project=project, active=True
        ).select_related("expert__user")
        self.fields["member"].label_from_instance = lambda m: str(m.expert)
        self.fields["reason"].required = False
        self.fields["replace"].initial = True

    def clean(self):
        data = super().clean()
        if data.get("member") is not None and not (data.get("reason") or "").strip():
            self.add_error("reason", "请填写专家谢绝或回避的原因。")
        return data


def _replace(project, data, by):
    """An expert declines (with the reason), and/or the empty seats are drawn again from the original draw."""
    if data["member"] is not None:
        services.panel_member_decline(member=data["member"], by=by, reason=data["reason"])
        if not data["replace"]:
            return data["member"]
    return services.panel_replacement_draw(project=project, by=by)


def _draw_record(draw) -> dict:
    if isinstance(draw, PanelMember):
        return {"id": draw.pk, "expert": str(draw.expert), "active": draw.active}
    return {
        "id": draw.pk,
        "kind": draw.kind,
        "seed": draw.seed,
        "size": draw.size,
        "result": list(draw.result),
        "verify_url": reverse("reviews:draw_detail", kwargs={"pk": draw.pk}),
    }


# ---- scores and the opinion -------------------------------------------------------------------------------


def _score(project, data, by):
    return services.score_sheet_submit(
        project=project, by=by, **score_service_data(project.policy.review_criteria, data)
    )


def _waiting(project):
    return [r.member for r in panel_overview(project, invitations=False)["active_rows"] if r.sheet is None]


def _consolidate(project, data, by):
    absences = {
        int(name.split("_", 1)[1]): value
        for name, value in data.items()
        if name.startswith("absent_") and value
    }
    return services.review_opinion_consolidate(
        project=project, by=by, conclusion=data["conclusion"], summary=data["summary"], absences=absences
    )


class IssueForm(forms.Form):
    opinion = forms.IntegerField(
        label="评审意见", required=False, widget=forms.HiddenInput, help_text="缺省为最新的评审意见"
    )
    replaces = forms.ModelChoiceField(
        label="更正的原件",
        queryset=Letter.objects.none(),
        required=False,
        empty_label="（首次出具）",
        error_messages={"invalid_choice": "要更正的评审意见文件不存在。"},
        help_text="出具更正件时选择所更正的原件，并填写更正原因。",
    )
    reason = forms.CharField(label="更正原因", max_length=500, required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaces"].queryset = Letter.objects.filter(
            project=project, kind=Letter.Kind.REVIEW_OPINION, status=Letter.Status.READY
        ).order_by("id")
        self.fields["replaces"].label_from_instance = lambda letter: letter.number


def _issue(project, data, by):
    opinions = ReviewOpinion.objects.filter(project=project).order_by("-issued_at", "-id")
    opinion = opinions.filter(pk=data["opinion"]).first() if data.get("opinion") else opinions.first()
    if opinion is None:
        raise NotFound("评审意见不存在：请先汇总评审意见。")
    return issuing.review_opinion_issue(
        opinion=opinion, by=by, replaces=data["replaces"], reason=data["reason"]
    )


def _letter_record(letter) -> dict:
    letter.refresh_from_db(fields=["status", "queued_at"])  # as it stands after the commit (and the publish)
    return {
        "id": letter.pk,
        "number": letter.number,
        "status": letter.status,
        "status_label": letter.status_text,
        "title": letter.title,
    }


# ---- a decision taken outside the platform ---------------------------------------------------------------


class DecisionForm(forms.Form):
    body = forms.CharField(label="决定机关", max_length=100, help_text="如：招远市人民政府")
    agreed = forms.TypedChoiceField(
        label="决定",
        choices=[("1", "同意建设"), ("0", "不同意建设")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        error_messages={"required": "请选择决定。"},
    )
    decided_on = forms.DateField(label="决定日期", widget=forms.DateInput(attrs={"type": "date"}))
    document_number = forms.CharField(label="文号", max_length=64, required=False)
    file = forms.FileField(label="决定文件", help_text="批复、会议纪要或领导批示的扫描件")

    def clean_decided_on(self):
        from django.utils import timezone

        value = self.cleaned_data["decided_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("决定日期不能晚于今天。")
        return value


def _decision(project, data, by):
    return services.outside_decision_record(
        project=project,
        by=by,
        body=data["body"],
        agreed=data["agreed"],
        decided_on=data["decided_on"],
        document_number=data["document_number"],
        file=data["file"],
    )


def _decision_record(decision: OutsideDecision) -> dict:
    return {
        "id": decision.pk,
        "body": decision.body,
        "agreed": decision.agreed,
        "decided_on": decision.decided_on.isoformat(),
        "document_number": decision.document_number,
    }


def _unbound(cls, **kw):
    def make(project, user, data=None, files=None):
        return cls(data, files, **{k: v(project) if callable(v) else v for k, v in kw.items()})

    return make


REVIEW_ACTIONS = (
    ActionSpec(
        "prereview",
        "预审",
        frozenset({ProjectState.DECLARED}),
        BDC,
        form=_unbound(PreReviewForm, project=lambda p: p),
        run=_prereview,
        describe=_prereview_record,
        done=_prereview_done,
        audit_actions=("reviews.prereview.record",),
        back=_project_page("review"),
        section="review",
    ),
    ActionSpec(
        "invite_agency",
        "邀请部门参与审核",
        OPEN,
        BDC,
        form=_unbound(InviteForm, project=lambda p: p),
        run=_invite,
        describe=lambda rows: {
            "id": rows[0].pk if rows else None,
            "invitations": [{"id": i.pk, "organisation": i.organisation.name} for i in rows],
        },
        done=lambda rows: "已邀请" + "、".join(i.organisation.name for i in rows) + "参与审核。",
        audit_actions=("reviews.agency.invite",),
        back=_review_page,
        section="review",
    ),
    ActionSpec(
        "record_agency",
        "记录部门参与审核情况",
        OPEN,
        BDC,
        form=_unbound(AgencyRecordForm, project=lambda p: p),
        run=_record_agency,
        describe=lambda i: {"id": i.pk, "organisation": i.organisation.name, "participated": i.participated},
        audit_actions=("reviews.agency.participation",),
        back=_review_page,
        section="review",
        ready=lambda project: bool(CheckContext.shared(project).agency_invitations),
    ),
    ActionSpec(
        "draw_panel",
        "抽取评审专家组",
        frozenset({ProjectState.DECLARED}),
        BDC,
        form=_unbound(DrawForm, project=lambda p: p),
        run=_draw,
        describe=_draw_record,
        audit_actions=("reviews.panel.draw",),
        back=_review_page,
        section="review",
    ),
    ActionSpec(
        "replace_expert",
        "专家谢绝与补抽",
        OPEN,
        BDC,
        form=_unbound(ReplaceForm, project=lambda p: p),
        run=_replace,
        describe=_draw_record,
        audit_actions=("reviews.panel.decline", "reviews.panel.replace"),
        back=_review_page,
        section="review",
        ready=lambda project: bool(CheckContext.shared(project).panel),
    ),
    ActionSpec(
        "score",
        "专家评分",
        frozenset({ProjectState.REVIEWING}),
        frozenset({Role.EXPERT}),
        form=lambda project, user, data=None, files=None: ScoreForm(
            data, criteria=project.policy.review_criteria
        ),
        run=_score,
        describe=lambda sheet: {
            "id": sheet.pk,
            "recommendation": sheet.recommendation,
            "supersedes": sheet.supersedes_id,
        },
        repeatable=False,
        audit_actions=("reviews.score.submit", "reviews.score.correct"),
        back=lambda project: reverse("reviews:score", kwargs={"pk": project.pk}),
        section="review",
        help="每位在组专家提交一次；提交后如需更正，须填写更正原因。",
    ),
    ActionSpec(
        "consolidate_opinion",
        "汇总评审意见",
        frozenset({ProjectState.REVIEWING}),
        BDC,
        form=lambda project, user, data=None, files=None: ConsolidateForm(data, members=_waiting(project)),
        run=_consolidate,
        describe=lambda o: {"id": o.pk, "conclusion": o.conclusion, "summary": o.summary},
        repeatable=False,
        audit_actions=("reviews.opinion.consolidate",),
        back=_review_page,
        section="review",
    ),
    ActionSpec(
        "issue_opinion",
        "出具评审意见",
        frozenset({ProjectState.REVIEWING}),
        BDC,
        form=_unbound(IssueForm, project=lambda p: p),
        run=_issue,
        describe=_letter_record,
        audit_actions=("reviews.opinion.number",),
        back=_project_page("letters"),
        section="review",
        done=issuing.review_opinion_issued_message,
        ready=lambda project: CheckContext.shared(project).review_opinion is not None,
    ),
    ActionSpec(
        "record_decision",
        "记录审批决定",
        frozenset({ProjectState.REVIEWING}),
        BDC,
        form=_unbound(DecisionForm),
        run=_decision,
        describe=_decision_record,
        optional=True,
        audit_actions=("reviews.decision.record",),
        back=_project_page("review"),
        section="review",
        help="由平台外的机关作出的决定（如市政府同意建设），连同其文件记入项目档案。",
    ),
)
