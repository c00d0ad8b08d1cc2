"""Cost and schedule variance against the baseline fixed at 合同备案 — pure functions of a baseline and a
report's figures, so the page, the API and the 督办 trigger compute them the same way.

- cost variance (万元) = earned value − money paid, the earned value being the baseline's contract amount times
  the share of the work done: negative means more has been paid than the work done is worth;
- schedule variance (days) = how many days the project is behind: the most days past the due date of any
  milestone (or of the planned completion) not yet complete on the day of the report; 0 when on time."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Variance:
    earned: Decimal
    paid: Decimal
    cost: Decimal  # 万元; negative: paid beyond the work done
    schedule_days: int  # days behind; 0: on time
    late: tuple[str, ...] = ()  # the milestones behind

    @property
    def cost_label(self) -> str:
        if self.cost < 0:
            return f"超支 {-self.cost:.2f} 万元"
        if self.cost > 0:
            return f"+{self.cost:.2f} 万元（支付低于完成量）"
        return "0.00 万元"

    @property
    def schedule_label(self) -> str:
        return f"滞后 {self.schedule_days} 天" if self.schedule_days > 0 else "按期"


def percent_overall(milestones: list[dict], percents: list[int] | None, fallback=None) -> Decimal:
    """The share of the work done, in percent: the milestones' mean, or `fallback` without milestones."""
    if milestones and percents:
        return (Decimal(sum(percents)) / len(percents)).quantize(CENT, ROUND_HALF_UP)
    return Decimal(fallback or 0).quantize(CENT, ROUND_HALF_UP)


def variance_compute(
    *,
    amount: Decimal,
    planned_completion_on,
    milestones: list[dict],
    percents,
    percent: Decimal,
    paid,
    on: date,
) -> Variance:
    """The variance of a report on `on` (its work `percent` done overall, each milestone's `percents`, `paid`
    万元 paid so far) against a baseline (`amount`, `planned_completion_on`, `milestones`)."""
    earned = (Decimal(amount) * Decimal(percent) / 100).quantize(CENT, ROUND_HALF_UP)
    paid = Decimal(paid).quantize(CENT, ROUND_HALF_UP)
    behind, late = 0, []
    for milestone, done in zip(milestones, percents or [], strict=False):
        due = date.fromisoformat(milestone["due_on"])
        if done < 100 and on > due:
            behind = max(behind, (on - due).days)
            late.append(milestone["name"])
    if planned_completion_on is not None and Decimal(percent) < 100 and on > planned_completion_on:
        behind = max(behind, (on - planned_completion_on).days)
    return Variance(earned=earned, paid=paid, cost=earned - paid, schedule_days=behind, late=tuple(late))


def report_variance(report, baseline) -> Variance:
    """A progress report's variance against `baseline` (the one in force when it was filed, or today's)."""
    names = [m["name"] for m in baseline.milestones]
    reported = {m["name"]: m.get("percent", 0) for m in report.milestones}
    percents = [int(reported.get(n, 0)) for n in names]
    percent = (
        percent_overall(baseline.milestones, percents, report.percent_done) if names else report.percent_done
    )
    return variance_compute(
        amount=baseline.contract_amount,
        planned_completion_on=baseline.planned_completion_on,
        milestones=baseline.milestones,
        percents=percents,
        percent=percent,
        paid=report.paid_amount,
        on=report.reported_on,
    )
