"""An indicator's actual value read against its target, as a pure function: met or not, and the completion
rate where both are numbers.

- ≥ 目标值 (more is better: 数量、质量、效益、满意度): met when actual ≥ target; rate = actual ÷ target × 100.
- ≤ 目标值 (less is better: 成本、时效 such as 办理时长): met when actual ≤ target; rate = target ÷ actual × 100
  (100 or more when met; none when the actual is 0).
- 定性: the evaluator judges it 达成 or 未达成; no rate."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .enums import Direction

HUNDRED = Decimal(100)


def number_parse(text: str) -> Decimal | None:
    """A number as typed (full-width digits and a trailing % allowed), or None when the text is not one."""
    cleaned = (text or "").strip().translate(str.maketrans("０１２３４５６７８９．－", "0123456789.-"))
    cleaned = cleaned.rstrip("%％").replace(",", "").strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


@dataclass(frozen=True)
class Comparison:
    actual_value: Decimal | None
    met: bool
    rate: Decimal | None


def _rate(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if denominator == 0:
        return None
    return (numerator / denominator * HUNDRED).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def indicator_compare(
    *, direction: str, target_value: Decimal | None, actual: str, judged_met=None
) -> Comparison:
    """`judged_met` is the evaluator's 达成/未达成 for a qualitative indicator (ignored for a numeric one)."""
    if direction == Direction.QUALITATIVE:
        return Comparison(number_parse(actual), bool(judged_met), None)
    value = number_parse(actual)
    if value is None or target_value is None:
        raise ValueError("实际完成值须为数字")
    if direction == Direction.AT_MOST:
        met = value <= target_value
        return Comparison(value, met, _rate(target_value, value) if value else None)
    return Comparison(value, value >= target_value, _rate(value, target_value))
