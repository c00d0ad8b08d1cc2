"""The department's progress and budget-execution reports (zhaoyuan-2021 第十一条, fangchenggang-2022 第二十三条,
gongshu-draft 五(四)), each with its cost and schedule variance against the baseline in force (`..variance`)."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.errors import Conflict, InvalidInput
from core.timeline import timeline_append

from ..models import Escalation, ProgressReport
from ..variance import percent_overall, variance_compute
from .baseline import baseline_current
from .common import DEFAULT_VARIANCE_DAYS, WATCH_STATES, _lock, _settings, _stored
from .escalation import _escalation_open


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
        # Where the regulation asks a 绩效评价报告 of this report (fangchenggang-2022 第二十三条), the attachment is
        # filed as one; elsewhere as a 进度和预算执行报告.
        kind = locked.policy.progress_report_document
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
