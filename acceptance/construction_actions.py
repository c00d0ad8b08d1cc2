"""The construction-watch actions (API.md, *Actions*: progress_report, supervision_report, rate_risk,
report_delay, escalate, answer_escalation, close_escalation, score_supervisor), registered with the project in
AcceptanceConfig.ready() beside this app's other actions."""

from django.urls import reverse

from core.enums import Role
from projects.actions import ActionSpec, form_with_project
from projects.checks import CheckContext
from projects.enums import ProjectState

from . import construction as c
from .construction_forms import (
    AnswerEscalationForm,
    CloseEscalationForm,
    DelayReportForm,
    EscalateForm,
    ProgressReportForm,
    RiskRatingForm,
    ScoreSupervisorForm,
    SupervisionReportForm,
)
from .models import Escalation

DEPARTMENT, BDC, SUPERVISOR = (
    frozenset({Role.DEPARTMENT}),
    frozenset({Role.BDC}),
    frozenset({Role.SUPERVISOR}),
)


def _page(anchor: str):
    return lambda project: reverse("projects:detail", kwargs={"pk": project.pk}) + f"#{anchor}"


def _supervised(project) -> bool:
    return CheckContext.shared(project).supervisor is not None


def _open_escalations(project, *statuses) -> bool:
    return Escalation.objects.filter(project=project, status__in=statuses).exists()


def _escalation_record(e) -> dict:
    return {
        "id": e.pk,
        "number": e.number,
        "status": e.status,
        "outcome": e.outcome,
        "items": [{"text": i.text, "owner": i.owner, "due_on": i.due_on} for i in e.items.all()],
    }


def _escalated(project, record) -> dict | None:
    """The 督办单 a step opened or joined, if any (the latest open one)."""
    e = Escalation.objects.filter(project=project, status=Escalation.Status.OPEN).order_by("-number").first()
    return _escalation_record(e) if e else None


CONSTRUCTION_ACTIONS = (
    ActionSpec(
        "supervision_report",
        "报送监理报告",
        c.WATCH_STATES,
        SUPERVISOR,
        form=form_with_project(SupervisionReportForm),
        run=lambda project, data, by: c.supervision_report_submit(
            project=project,
            by=by,
            period=data["period"],
            items=data["items"],
            issues=data["issues"],
            follow_up=data["follow_up"],
            file=data.get("file"),
        ),
        describe=lambda r: {"id": r.pk, "period": r.period, "items": r.items, "issues": r.issues},
        applies=_supervised,
        audit_actions=("acceptance.supervision.report",),
        back=_page("supervision"),
        section="construction",
        help="四控（进度、质量、成本、变更控制）三管（合同、文档、安全），逐项写明监理意见并评价。",
    ),
    ActionSpec(
        "score_supervisor",
        "对监理单位服务打分",
        c.SCORE_STATES,
        DEPARTMENT,
        owner_only=True,
        repeatable=False,
        form=form_with_project(ScoreSupervisorForm),
        run=lambda project, data, by: c.supervisor_score(
            project=project, by=by, score=data["score"], comment=data["comment"]
        ),
        describe=lambda s: {"id": s.pk, "organisation": s.organisation.name, "score": s.score},
        applies=_supervised,
        ready=lambda project: not hasattr(CheckContext.shared(project).supervisor, "score"),
        audit_actions=("acceptance.supervisor.score",),
        back=_page("supervision"),
        section="construction",
        help="项目建设完成后对监理单位服务打分，作为监理费用的结算参考依据，并记入监理单位的服务记录。",
    ),
    ActionSpec(
        "progress_report",
        "报送进度和预算执行报告",
        c.WATCH_STATES,
        DEPARTMENT,
        owner_only=True,
        form=form_with_project(ProgressReportForm),
        run=lambda project, data, by: c.progress_report_submit(
            project=project,
            by=by,
            period=data["period"],
            percents=data["percents"],
            percent_done=data.get("percent_done"),
            paid_amount=data["paid_amount"],
            problems=data["problems"],
            next_steps=data["next_steps"],
            users_opinion=data["users_opinion"],
            supervisor_opinion=data["supervisor_opinion"],
            file=data.get("file"),
        ),
        describe=lambda r: {
            "id": r.pk,
            "period": r.period,
            "percent_done": r.percent_done,
            "paid_amount": r.paid_amount,
            "baseline": r.baseline.number,
            "cost_variance": r.cost_variance,
            "schedule_variance_days": r.schedule_variance_days,
            "escalation": _escalated(r.project, r) if r.schedule_variance_days else None,
        },
        ready=lambda project: CheckContext.shared(project).baseline is not None,
        audit_actions=("acceptance.progress.report",),
        back=_page("reports"),
        section="construction",
        help="逐项填写里程碑完成百分比和累计支付金额，系统对照合同备案时确定的基线计算成本偏差和进度偏差。",
    ),
    ActionSpec(
        "rate_risk",
        "月度风险评级",
        frozenset({ProjectState.CONSTRUCTION}),
        BDC,
        form=form_with_project(RiskRatingForm),
        run=lambda project, data, by: c.risk_rate(
            project=project, by=by, rating=data["rating"], comment=data["comment"]
        ),
        describe=lambda r: {
            "id": r.pk,
            "month": r.month,
            "rating": r.rating,
            "comment": r.comment,
            "escalation": _escalated(r.project, r) if r.rating <= c.RATING_ESCALATES else None,
        },
        audit_actions=("acceptance.risk.rate",),
        back=_page("ratings"),
        section="construction",
    ),
    ActionSpec(
        "report_delay",
        "报告严重逾期或重大损失",
        frozenset({ProjectState.CONSTRUCTION, ProjectState.SUSPENDED}),
        DEPARTMENT,
        owner_only=True,
        form=form_with_project(DelayReportForm),
        run=lambda project, data, by: c.delay_report_submit(
            project=project,
            by=by,
            kind=data["kind"],
            description=data["description"],
            days_late=data["days_late"],
            loss_amount=data["loss_amount"],
        ),
        describe=lambda r: {"id": r.pk, "kind": r.kind, "escalation": _escalated(r.project, r)},
        audit_actions=("acceptance.delay.report",),
        back=_page("escalations"),
        section="construction",
    ),
    ActionSpec(
        "escalate",
        "开具督办单",
        c.ESCALATION_STATES,
        BDC,
        form=form_with_project(EscalateForm),
        run=lambda project, data, by: c.escalation_open(
            project=project,
            by=by,
            reason=data["reason"],
            items=[(text, data["owner"]) for text in data["items"]],
            workdays=data["workdays"],
        ),
        describe=_escalation_record,
        audit_actions=("acceptance.escalation.open",),
        back=_page("escalations"),
        section="construction",
    ),
    ActionSpec(
        "answer_escalation",
        "答复督办单",
        c.ESCALATION_STATES,
        DEPARTMENT,
        owner_only=True,
        form=form_with_project(AnswerEscalationForm),
        run=lambda project, data, by: c.escalation_answer(
            escalation=data["escalation"], by=by, answer=data["answer"]
        ),
        describe=_escalation_record,
        ready=lambda project: _open_escalations(project, Escalation.Status.OPEN),
        audit_actions=("acceptance.escalation.answer",),
        back=_page("escalations"),
        section="construction",
    ),
    ActionSpec(
        "close_escalation",
        "办结督办单",
        c.ESCALATION_STATES,
        BDC,
        form=form_with_project(CloseEscalationForm),
        run=lambda project, data, by: c.escalation_close(
            escalation=data["escalation"], by=by, outcome=data["outcome"], note=data["note"]
        ),
        describe=_escalation_record,
        ready=lambda project: _open_escalations(project, Escalation.Status.OPEN, Escalation.Status.ANSWERED),
        audit_actions=("acceptance.escalation.close",),
        back=_page("escalations"),
        section="construction",
    ),
)
