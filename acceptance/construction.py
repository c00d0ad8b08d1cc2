"""Construction under watch (issue 13): the baseline fixed at 合同备案 and changed only through an approved change,
the supervisor's 四控三管 reports and the department's score of the supervisor (laohekou-2024 第十九、二十条), the
department's progress and budget-execution reports (zhaoyuan-2021 第十一条, fangchenggang-2022 第二十三条,
gongshu-draft 五(四)), delay and loss reports (wendeng-2021 第十八条, zhaoyuan-2021 第二十二条, fangchenggang-2022
第二十四条), the reviewing body's monthly risk rating, and the 督办单 they open. Each write is one function in one
transaction under the project's lock, writing its timeline entry."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.enums import Role
from core.errors import Conflict, InvalidInput, NotPermitted
from core.timeline import timeline_append
from core.workdays import add_workdays, chinese_date
from projects.actions import actor_allowed
from projects.enums import DocumentKind, ProjectState
from projects.locks import project_lock

from .models import (
    Baseline,
    ChangeRequest,
    DelayReport,
    Escalation,
    EscalationItem,
    ProgressReport,
    RiskRating,
    SupervisionReport,
    SupervisorAssignment,
    SupervisorScore,
)
from .variance import percent_overall, variance_compute

# 四控 (进度、质量、成本、变更控制) and 三管 (合同、文档、安全): laohekou-2024 第二十条.
SUPERVISION_ITEMS = (
    ("schedule", "进度控制"),
    ("quality", "质量控制"),
    ("cost", "成本控制"),
    ("change", "变更控制"),
    ("contract", "合同管理"),
    ("document", "文档管理"),
    ("security", "安全管理"),
)
SUPERVISION_RATINGS = (("good", "良好"), ("fair", "一般"), ("poor", "较差"))

# The published rubric of the monthly risk rating: what each grade means, read against five aspects.
RISK_ASPECTS = "进度、成本、质量、监理发现的问题、变更"
RISK_RUBRIC = (
    (5, "低风险", "进度、成本与基线一致，监理未发现问题，无待审变更"),
    (4, "较低风险", "偏差轻微（滞后不足15天或成本偏差在合同金额5%以内），监理发现的问题已整改"),
    (3, "中等风险", "出现明显偏差或监理评为“一般”的事项，须说明原因和措施"),
    (2, "较高风险", "滞后超过30天、超支或监理评为“较差”，须督办"),
    (1, "高风险", "工程严重逾期或投资重大损失，可能暂停或终止，须督办"),
)
RATING_COMMENT_REQUIRED = 3  # 1–3 need a comment
RATING_ESCALATES = 2  # 1–2 open a 督办单

WATCH_STATES = frozenset(
    {
        ProjectState.CONSTRUCTION,
        ProjectState.SUSPENDED,
        ProjectState.PRELIMINARY_ACCEPTANCE,
        ProjectState.FINAL_ACCEPTANCE,
        ProjectState.RECTIFYING,
    }
)
SCORE_STATES = frozenset(
    {
        ProjectState.PRELIMINARY_ACCEPTANCE,
        ProjectState.FINAL_ACCEPTANCE,
        ProjectState.RECTIFYING,
        ProjectState.EVALUATION,
    }
)
ESCALATION_STATES = WATCH_STATES

DEFAULT_ESCALATION_WORKDAYS = 10
DEFAULT_VARIANCE_DAYS = 30


def _settings(project, name: str, default: int) -> int:
    from projects.checks import CheckContext

    return CheckContext(project).oversight_value(name, default)


def _lock(project, by, name: str, label: str, states) -> object:
    if not actor_allowed(project, name, by):
        raise NotPermitted(f"无权{label}。")
    locked = project_lock(project.pk, by)
    if locked.state not in states:
        raise Conflict(f"项目当前状态为“{locked.get_state_display()}”，不能{label}。")
    return locked


def _stored(locked, by, kind: str, file, title: str):
    from .services import _stored as stored

    return stored(locked, by, kind, file, title) if file else None


def baseline_current(project) -> Baseline | None:
    return Baseline.objects.filter(project=project).order_by("-number").first()


# ---- the baseline ------------------------------------------------------------------------------------


def baseline_fix(project, data: dict, by) -> Baseline:
    """Baseline 1, fixed at 合同备案 inside the transition's transaction (no other path creates one)."""
    return Baseline.objects.create(
        project=project,
        number=1,
        contract_amount=data["contract_amount"],
        planned_completion_on=data.get("planned_completion_on"),
        milestones=list(data.get("milestones") or []),
        reason="合同备案时确定",
        set_by=by,
    )


def baseline_rebase(*, project, change: ChangeRequest, by) -> Baseline | None:
    """A new baseline from an approved change that proposes one; the old one stays, with its values, and the
    timeline entry keeps them too. Called only from `change_request_decide`."""
    if not change.rebaselines:
        return None
    old = baseline_current(project)
    if old is None:
        raise Conflict("项目尚未在合同备案时确定基线，不能调整基线。")
    new = Baseline.objects.create(
        project=project,
        number=old.number + 1,
        contract_amount=(
            change.new_contract_amount if change.new_contract_amount is not None else old.contract_amount
        ),
        planned_completion_on=change.new_planned_completion_on or old.planned_completion_on,
        milestones=change.new_milestones if change.new_milestones is not None else old.milestones,
        reason=change.description,
        change=change,
        approved_by=by,
        set_by=by,
    )
    timeline_append(
        project=project,
        action="acceptance.baseline.rebase",
        label=f"调整项目基线（第{new.number}版）",
        actor=by,
        comment=change.description,
        data={
            "change": change.pk,
            "baseline": new.pk,
            "old": _baseline_values(old),
            "new": _baseline_values(new),
        },
    )
    return new


def _baseline_values(b: Baseline) -> dict:
    return {
        "number": b.number,
        "contract_amount": b.contract_amount,
        "planned_completion_on": b.planned_completion_on,
        "milestones": b.milestones,
    }


# ---- supervision -------------------------------------------------------------------------------------


def supervision_report_submit(
    *, project, by, period: str, items: dict, issues: str = "", follow_up: str = "", file=None
) -> SupervisionReport:
    """The assigned supervisor's periodic report: a finding and a rating for each of 四控三管."""
    missing = [label for code, label in SUPERVISION_ITEMS if not (items.get(code) or {}).get("finding")]
    if missing:
        raise InvalidInput(f"请填写{'、'.join(missing)}的监理意见。")
    with transaction.atomic():
        locked = _lock(project, by, "supervision_report", "报送监理报告", WATCH_STATES)
        assignment = (
            SupervisorAssignment.objects.filter(project=locked, ended_at__isnull=True).order_by("-id").first()
        )
        if assignment is None or assignment.organisation_id != by.organisation_id:
            raise NotPermitted("只有本项目现任监理单位的人员可以报送监理报告。")
        version = _stored(locked, by, DocumentKind.SUPERVISION_REPORT, file, f"监理报告（{period}）")
        report = SupervisionReport.objects.create(
            project=locked,
            assignment=assignment,
            period=period,
            items=items,
            issues=(issues or "").strip(),
            follow_up=(follow_up or "").strip(),
            document_version=version,
            by=by,
        )
        poor = [label for code, label in SUPERVISION_ITEMS if items[code].get("rating") == "poor"]
        timeline_append(
            project=locked,
            action="acceptance.supervision.report",
            label=f"报送监理报告（{period}）",
            actor=by,
            comment=report.issues,
            data={"report": report.pk, "period": period, "poor": poor},
            documents=[version.as_record()] if version else [],
        )
    return report


def supervisor_score(*, project, by, score, comment: str) -> SupervisorScore:
    """The department scores the supervisor's service once the project is built (laohekou-2024 第二十条)."""
    if not (comment or "").strip():
        raise InvalidInput("请填写对监理单位服务的评价意见。")
    score = Decimal(score).quantize(Decimal("0.01"))
    if not Decimal(0) <= score <= Decimal(100):
        raise InvalidInput("评分须在0至100分之间。")
    with transaction.atomic():
        locked = _lock(project, by, "score_supervisor", "对监理单位打分", SCORE_STATES)
        assignment = (
            SupervisorAssignment.objects.select_related("organisation")
            .filter(project=locked, ended_at__isnull=True)
            .order_by("-id")
            .first()
        )
        if assignment is None:
            raise Conflict("本项目没有监理单位，无须打分。")
        if SupervisorScore.objects.filter(assignment=assignment).exists():
            raise Conflict(f"已对{assignment.organisation.name}打分，不能重复打分。")
        record = SupervisorScore.objects.create(
            project=locked,
            assignment=assignment,
            organisation=assignment.organisation,
            score=score,
            comment=comment.strip(),
            by=by,
        )
        timeline_append(
            project=locked,
            action="acceptance.supervisor.score",
            label=f"对监理单位服务打分：{score}分",
            actor=by,
            comment=record.comment,
            data={"organisation": assignment.organisation.name, "score": score, "score_id": record.pk},
        )
    return record


# ---- the department's progress and budget-execution report --------------------------------------------


def progress_report_submit(
    *,
    project,
    by,
    period: str,
    percents: list[int],
    percent_done=None,
    paid_amount,
    problems: str = "",
    next_steps: str = "",
    users_opinion: str = "",
    supervisor_opinion: str = "",
    file=None,
) -> ProgressReport:
    """A report of the work done per milestone and the money paid (万元), with the variance against the baseline
    in force; a schedule variance past the jurisdiction's threshold opens a 督办单."""
    paid = Decimal(paid_amount)
    if paid < 0:
        raise InvalidInput("累计支付金额不能为负数。")
    with transaction.atomic():
        locked = _lock(project, by, "progress_report", "报送进度和预算执行报告", WATCH_STATES)
        baseline = baseline_current(locked)
        if baseline is None:
            raise Conflict("项目尚未在合同备案时确定基线，不能报送进度报告。")
        today = timezone.localdate()
        percent = percent_overall(baseline.milestones, percents, percent_done)
        variance = variance_compute(
            amount=baseline.contract_amount,
            planned_completion_on=baseline.planned_completion_on,
            milestones=baseline.milestones,
            percents=percents,
            percent=percent,
            paid=paid,
            on=today,
        )
        # Where the regulation asks a 绩效评价报告 of this report (fangchenggang-2022 第二十三条: its check on
        # progress_report), the attachment is filed as one; elsewhere as a 进度和预算执行报告.
        kind = (
            DocumentKind.PERFORMANCE_REPORT
            if locked.policy.checks_for("progress_report")
            else DocumentKind.PROGRESS_REPORT
        )
        version = _stored(locked, by, kind, file, f"进度和预算执行报告（{period}）")
        report = ProgressReport.objects.create(
            project=locked,
            baseline=baseline,
            period=period,
            reported_on=today,
            milestones=[
                {**m, "percent": p} for m, p in zip(baseline.milestones, percents or [], strict=False)
            ],
            percent_done=percent,
            paid_amount=paid,
            problems=(problems or "").strip(),
            next_steps=(next_steps or "").strip(),
            users_opinion=(users_opinion or "").strip(),
            supervisor_opinion=(supervisor_opinion or "").strip(),
            cost_variance=variance.cost,
            schedule_variance_days=variance.schedule_days,
            document_version=version,
            by=by,
        )
        timeline_append(
            project=locked,
            action="acceptance.progress.report",
            label=f"报送进度和预算执行报告（{period}）",
            actor=by,
            comment=report.problems,
            data={
                "report": report.pk,
                "period": period,
                "percent_done": percent,
                "paid_amount": paid,
                "baseline": baseline.number,
                "cost_variance": variance.cost,
                "schedule_variance_days": variance.schedule_days,
            },
            documents=[version.as_record()] if version else [],
        )
        threshold = _settings(locked, "schedule_variance_days", DEFAULT_VARIANCE_DAYS)
        if variance.schedule_days > threshold:
            late = "、".join(variance.late) or "计划完工"
            _escalation_open(
                locked,
                by=by,
                trigger=Escalation.Trigger.VARIANCE,
                reason=f"{period}进度报告显示进度滞后{variance.schedule_days}天（{late}），超过本级设定的{threshold}天督办阈值。",
                items=[("说明滞后原因，提出追赶进度的措施和时间表", locked.organisation.name)],
            )
    return report


# ---- delay and loss, risk ratings, 督办 ----------------------------------------------------------------


def delay_report_submit(
    *, project, by, kind: str, description: str, days_late=None, loss_amount=None
) -> DelayReport:
    """工程严重逾期、投资重大损失, reported by the department; the report opens a 督办单."""
    if kind not in DelayReport.Kind.values:
        raise InvalidInput("请选择情形：工程严重逾期或投资重大损失。")
    if not (description or "").strip():
        raise InvalidInput("请填写情况说明。")
    with transaction.atomic():
        locked = _lock(
            project,
            by,
            "report_delay",
            "报告严重逾期或重大损失",
            {ProjectState.CONSTRUCTION, ProjectState.SUSPENDED},
        )
        report = DelayReport.objects.create(
            project=locked,
            kind=kind,
            description=description.strip(),
            days_late=days_late,
            loss_amount=loss_amount,
            by=by,
        )
        timeline_append(
            project=locked,
            action="acceptance.delay.report",
            label=f"报告{report.get_kind_display()}",
            actor=by,
            comment=report.description,
            data={"report": report.pk, "kind": kind, "days_late": days_late, "loss_amount": loss_amount},
        )
        _escalation_open(
            locked,
            by=by,
            trigger=Escalation.Trigger.DELAY,
            reason=f"建设单位报告{report.get_kind_display()}：{report.description}",
            items=[("提出整改措施，说明恢复进度或挽回损失的安排", locked.organisation.name)],
        )
    return report


def risk_rate(*, project, by, rating: int, comment: str = "") -> RiskRating:
    """The reviewing body's risk rating of a project under construction for this month; 1–2 opens a 督办单."""
    rating = int(rating)
    if rating not in range(1, 6):
        raise InvalidInput("风险评级须为1（高风险）至5（低风险）。")
    if rating <= RATING_COMMENT_REQUIRED and not (comment or "").strip():
        raise InvalidInput(
            "评级为1至3级的，须写明评级说明（依据评级规程的进度、成本、质量、监理发现、变更情况）。"
        )
    with transaction.atomic():
        locked = _lock(project, by, "rate_risk", "风险评级", {ProjectState.CONSTRUCTION})
        month = timezone.localdate().strftime("%Y-%m")
        record = RiskRating.objects.create(
            project=locked, month=month, rating=rating, comment=(comment or "").strip(), by=by
        )
        timeline_append(
            project=locked,
            action="acceptance.risk.rate",
            label=f"风险评级：{rating}级（{month}）",
            actor=by,
            comment=record.comment,
            data={"rating": rating, "month": month, "rating_id": record.pk},
        )
        if rating <= RATING_ESCALATES:
            _escalation_open(
                locked,
                by=by,
                trigger=Escalation.Trigger.RATING,
                reason=f"{month}风险评级为{rating}级：{record.comment}",
                items=[("针对评级所列问题提出整改措施并答复", locked.organisation.name)],
            )
    return record


def _escalation_open(
    locked, *, by, trigger: str, reason: str, items, workdays: int | None = None
) -> Escalation:
    """A 督办单 with its items, each due `workdays` working days after today (the day itself not counted). With
    one still open, the new items join it instead (one 督办单 at a time per project)."""
    workdays = workdays or _settings(locked, "escalation_workdays", DEFAULT_ESCALATION_WORKDAYS)
    due = add_workdays(timezone.localdate(), workdays)
    escalation = (
        Escalation.objects.select_for_update()
        .filter(project=locked, status=Escalation.Status.OPEN)
        .order_by("-number")
        .first()
    )
    joined = escalation is not None
    if escalation is None:
        number = (Escalation.objects.filter(project=locked).aggregate(n=Max("number"))["n"] or 0) + 1
        escalation = Escalation.objects.create(
            project=locked, number=number, trigger=trigger, reason=reason, opened_by=by
        )
    else:
        escalation.reason = f"{escalation.reason}\n{reason}"
        escalation.save(update_fields=["reason"])
    made = [
        EscalationItem.objects.create(escalation=escalation, text=t, owner=o, due_on=due) for t, o in items
    ]
    timeline_append(
        project=locked,
        action="acceptance.escalation.open",
        label=f"{'追加督办事项：' if joined else '开具'}{escalation.title}",
        actor=by,
        comment=reason,
        data={
            "escalation": escalation.pk,
            "number": escalation.number,
            "trigger": trigger,
            "items": [{"text": i.text, "owner": i.owner, "due_on": i.due_on} for i in made],
        },
    )
    return escalation


def escalation_open(*, project, by, reason: str, items, workdays: int | None = None) -> Escalation:
    """The reviewing body's own 督办单 (escalate)."""
    if not (reason or "").strip():
        raise InvalidInput("请填写督办事由。")
    if not items:
        raise InvalidInput("请至少列出一项督办事项。")
    if workdays is not None and not 1 <= int(workdays) <= 60:
        raise InvalidInput("办理期限须为1至60个工作日。")
    with transaction.atomic():
        locked = _lock(project, by, "escalate", "开具督办单", ESCALATION_STATES)
        return _escalation_open(
            locked,
            by=by,
            trigger=Escalation.Trigger.MANUAL,
            reason=reason.strip(),
            items=items,
            workdays=workdays,
        )


def escalation_answer(*, escalation: Escalation, by, answer: str) -> Escalation:
    if not (answer or "").strip():
        raise InvalidInput("请填写对督办事项的答复。")
    with transaction.atomic():
        locked = _lock(escalation.project, by, "answer_escalation", "答复督办单", ESCALATION_STATES)
        escalation = Escalation.objects.select_for_update().get(pk=escalation.pk, project=locked)
        if escalation.status != Escalation.Status.OPEN:
            raise Conflict(f"{escalation.title}当前为“{escalation.get_status_display()}”，不能再答复。")
        escalation.status = Escalation.Status.ANSWERED
        escalation.answer, escalation.answered_by, escalation.answered_at = answer.strip(), by, timezone.now()
        escalation.save(update_fields=["status", "answer", "answered_by", "answered_at"])
        late = [i for i in escalation.items.all() if i.due_on < timezone.localdate()]
        timeline_append(
            project=locked,
            action="acceptance.escalation.answer",
            label=f"答复{escalation.title}" + ("（逾期答复）" if late else ""),
            actor=by,
            comment=escalation.answer,
            data={"escalation": escalation.pk, "number": escalation.number, "late_items": len(late)},
        )
    return escalation


OUTCOME_TRANSITIONS = {Escalation.Outcome.SUSPEND: "suspend", Escalation.Outcome.TERMINATE: "terminate"}


def escalation_close(*, escalation: Escalation, by, outcome: str, note: str) -> Escalation:
    """The reviewing body closes a 督办单 with its outcome: 继续, 整改 (a new 督办单 with the rectification as its
    item), 暂停 or 终止 — the last two through the project's transition, with the 督办单 as the reason."""
    if outcome not in Escalation.Outcome.values:
        raise InvalidInput("请选择办结结论：继续、整改、暂停或终止。")
    if not (note or "").strip():
        raise InvalidInput("请填写办结意见。")
    with transaction.atomic():
        locked = _lock(escalation.project, by, "close_escalation", "办结督办单", ESCALATION_STATES)
        escalation = Escalation.objects.select_for_update().get(pk=escalation.pk, project=locked)
        if escalation.status == Escalation.Status.CLOSED:
            raise Conflict(f"{escalation.title}已办结。")
        today = timezone.localdate()
        if escalation.status == Escalation.Status.OPEN:
            due = max(i.due_on for i in escalation.items.all())
            if due >= today:
                raise Conflict(
                    f"{escalation.title}尚未答复，办理期限{chinese_date(due)}未到，不能办结：请等待建设单位答复。"
                )
        escalation.status = Escalation.Status.CLOSED
        escalation.outcome, escalation.close_note = outcome, note.strip()
        escalation.closed_by, escalation.closed_at = by, timezone.now()
        escalation.save(update_fields=["status", "outcome", "close_note", "closed_by", "closed_at"])
        label = Escalation.Outcome(outcome).label
        timeline_append(
            project=locked,
            action="acceptance.escalation.close",
            label=f"办结{escalation.title}：{label}",
            actor=by,
            comment=escalation.close_note,
            data={"escalation": escalation.pk, "number": escalation.number, "outcome": outcome},
        )
        if outcome == Escalation.Outcome.RECTIFY:
            _escalation_open(
                locked,
                by=by,
                trigger=Escalation.Trigger.MANUAL,
                reason=f"{escalation.title}办结为整改：{escalation.close_note}",
                items=[(escalation.close_note, locked.organisation.name)],
            )
        name = OUTCOME_TRANSITIONS.get(outcome)
        if name:
            from projects.services import project_transition

            project_transition(
                project_id=locked.pk,
                name=name,
                by=by,
                data={
                    "comment": f"依{escalation.title}（{escalation.reason.splitlines()[0]}）：{escalation.close_note}"
                },
            )
    return escalation


# ---- reads ---------------------------------------------------------------------------------------------


def period_choices(project, setting: str, today: date | None = None) -> list[tuple[str, str]]:
    """The reporting periods from the contract's signing to today, newest first, as the deadlines count them."""
    from projects.checks import CheckContext
    from projects.deadlines import month_periods

    ctx = CheckContext.shared(project)
    start = ctx.contract_filing.signed_on if ctx.contract_filing else None
    today = today or timezone.localdate()
    if start is None:
        return [(today.strftime("%Y-%m"), f"{today.year}年{today.month}月")]
    months = ctx.oversight_value(setting, 1)
    found = []
    for key, first, last in month_periods(start, today, months):
        label = f"{first.year}年{first.month}月" + (f"至{last.year}年{last.month}月" if months > 1 else "")
        found.append((key, label))
    return list(reversed(found))


def department_role_owner(user, project) -> bool:
    return user.role == Role.DEPARTMENT and project.organisation_id == user.organisation_id
