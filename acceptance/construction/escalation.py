"""Risk and 督办: delay and loss reports (wendeng-2021 第十八条, zhaoyuan-2021 第二十二条, fangchenggang-2022
第二十四条), the reviewing body's monthly risk rating against its published rubric, and the 督办单 they open,
answered by the department and closed by the reviewing body (暂停 and 终止 through the project's transitions)."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.errors import Conflict, InvalidInput
from core.timeline import timeline_append
from core.workdays import add_workdays, chinese_date
from projects.enums import ProjectState

from ..models import DelayReport, Escalation, EscalationItem, RiskRating
from .common import DEFAULT_ESCALATION_WORKDAYS, ESCALATION_STATES, _lock, _settings

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
