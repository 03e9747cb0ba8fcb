"""Pounds as Decimal, to the penny: parsed once, the same for pages and the API."""

from decimal import Decimal, InvalidOperation
from typing import Any

PENNY = Decimal("0.01")
LIMIT = Decimal("100000000")


def parse_money(
    raw: Any, field: str, errors: dict[str, str], *, required: bool = True
) -> Decimal | None:
    """The amount in `raw` ("250", "1,250.50", "£300", Decimal), or None with a message
    for `field` in `errors`. Floats are refused: money never passes through binary."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            errors[field] = "Enter an amount in pounds, like 500 or 1250.50."
        return None
    if isinstance(raw, float):
        errors[field] = 'Give money as a string of pounds and pence, like "250.00".'
        return None
    try:
        amount = Decimal(str(raw).replace(",", "").replace("£", "").strip())
    except (InvalidOperation, ValueError):
        errors[field] = "Enter an amount in pounds, like 500 or 1250.50."
        return None
    if not amount.is_finite() or amount <= 0 or amount >= LIMIT:
        errors[field] = "Enter an amount more than £0 and less than £100,000,000."
        return None
    if amount != amount.quantize(PENNY):
        errors[field] = "Enter the amount to the nearest penny."
        return None
    return amount.quantize(PENNY)


def pounds(amount: Decimal | None) -> str | None:
    """Money as the API writes it: a string of pounds and pence ("250.00")."""
    return None if amount is None else f"{Decimal(amount).quantize(PENNY)}"
