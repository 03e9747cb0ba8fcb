"""The other outcomes a link worker records at the end: money the person was helped to, and
counts (each optional, each checked)."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from linkwork.audit.services import record_event
from linkwork.errors import Conflict, InvalidInput
from linkwork.outcomes.models import OtherOutcomes
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Referral


def _money(field: str, value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").replace("£", "").strip())
    except InvalidOperation:
        raise InvalidInput({field: "Enter an amount in pounds, like 250 or 1200.50."}) from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("100000000"):
        raise InvalidInput({field: "Enter an amount of 0 or more, in pounds."})
    return amount.quantize(Decimal("0.01"))


def _count(field: str, value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 999:
        raise InvalidInput({field: "Enter a whole number of contacts, 0 or more."})
    return value


@transaction.atomic
def save_other_outcomes(
    *, referral: Referral, values: dict[str, Any], by: AbstractBaseUser
) -> OtherOutcomes:
    """Income, debt, grants (pounds), volunteering and groups (yes/no), GP and A&E contacts
    in the last 3 months (baseline and follow-up). Only the fields given are changed; an
    empty value clears a field (not recorded is not the same as zero)."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status in t.TURNED_AWAY:
        raise Conflict(
            f"This referral was {referral.status}: no outcomes can be recorded on it.",
            current_state=referral.status,
        )
    unknown = set(values) - set(OtherOutcomes.PERSONAL_DATA_FIELDS)
    if unknown:
        raise InvalidInput(dict.fromkeys(sorted(unknown), "Not an outcome Linkwork records."))
    clean: dict[str, Any] = {}
    for field, value in values.items():
        if field in OtherOutcomes.MONEY_FIELDS:
            clean[field] = _money(field, value)
        elif field in OtherOutcomes.CONTACT_FIELDS:
            clean[field] = _count(field, value)
        elif value is None or isinstance(value, bool):
            clean[field] = value
        else:
            raise InvalidInput({field: "Answer yes or no."})
    outcomes, _ = OtherOutcomes.objects.update_or_create(
        referral=referral, defaults={**clean, "updated_by": by}
    )
    record_event(
        by=by,
        action="other_outcomes_saved",
        object_type="referral",
        object_id=referral.pk,
        summary="fields=" + ",".join(sorted(clean)),
    )
    return outcomes
