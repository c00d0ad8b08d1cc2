"""Amounts of money: 万元 with at most two decimals, as Decimal, never float."""

from decimal import Decimal, InvalidOperation

from .errors import InvalidInput

MAX_AMOUNT = Decimal("999999999999.99")  # what a DecimalField(max_digits=14, decimal_places=2) holds
CENT = Decimal("0.01")


def money_parse(value, label: str) -> Decimal:
    """An amount as a person typed it (a string or a number, thousands separators allowed), or a Chinese
    refusal naming the field. Signs are the caller's business (a change may reduce an amount)."""
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError, AttributeError):
        raise InvalidInput(f"{label}须为金额（万元），如 120.50。") from None
    if not amount.is_finite() or abs(amount) > MAX_AMOUNT:
        raise InvalidInput(f"{label}超出可登记的金额范围（万元）。")
    if amount != amount.quantize(CENT):
        raise InvalidInput(f"{label}最多两位小数（万元）。")
    return amount.quantize(CENT)
