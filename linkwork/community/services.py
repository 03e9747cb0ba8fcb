"""Writes for the community app: registering and closing interests, recording grants."""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from linkwork.audit.services import record_event
from linkwork.community.models import (
    ContactBy,
    ContactMethod,
    Grant,
    Interest,
    InterestStatus,
    RecordedOnBehalf,
)
from linkwork.directory.models import Asset, Organisation, Publication, TaxonomyTerm, Vocabulary
from linkwork.errors import Conflict, InvalidInput
from linkwork.notifications.services import send, send_sms
from linkwork.places.models import Area, AreaType
from linkwork.places.selectors import (
    InvalidPostcode,
    UnknownPostcode,
    neighbourhood_of_lsoa,
    postcode_point,
)

UK_PHONE = re.compile(r"^(?:\+44|0)\d{9,10}$")
CONTACT_FIELDS = ("contact_by", "contact_times", "contact_name", "contact_method", "contact_detail")


def _activity(code: str, errors: dict[str, str]) -> TaxonomyTerm | None:
    if not code:
        return None
    term = TaxonomyTerm.objects.filter(code=code, vocabulary=Vocabulary.ACTIVITY).first()
    if term is None:
        errors["activity"] = gettext("Choose an activity from the list.")
    return term


def _place(
    postcode: str, neighbourhood_code: str, errors: dict[str, str]
) -> tuple[str, Area | None, Area | None]:
    """(normalised postcode, LSOA, neighbourhood) from a postcode, or a chosen neighbourhood."""
    if postcode.strip():
        try:
            normalised, _, lsoa = postcode_point(postcode)
        except (InvalidPostcode, UnknownPostcode) as error:
            errors["postcode"] = str(error)
            return "", None, None
        return normalised, lsoa, neighbourhood_of_lsoa(lsoa)
    if neighbourhood_code:
        area = Area.objects.filter(
            code=neighbourhood_code, area_type=AreaType.NEIGHBOURHOOD
        ).first()
        if area is None:
            errors["neighbourhood"] = gettext("Choose an area from the list.")
        return "", None, area
    errors["postcode"] = gettext("Enter your postcode, or choose your area from the list.")
    return "", None, None


def _contact_errors(values: dict[str, str]) -> dict[str, str]:
    errors = {}
    if values["contact_by"] not in ContactBy.values:
        errors["contact_by"] = gettext("Say who may contact you.")
    if values["contact_method"] not in ContactMethod.values:
        errors["contact_method"] = gettext("Say how you would like to be contacted.")
    detail = values["contact_detail"]
    if not detail:
        errors["contact_detail"] = gettext(
            "Enter the phone number or email address to contact you on."
        )
    elif values["contact_method"] == ContactMethod.EMAIL:
        try:
            validate_email(detail)
        except ValidationError:
            errors["contact_detail"] = gettext(
                "Enter an email address in the correct format, like name@example.com."
            )
    elif values["contact_method"] in (ContactMethod.PHONE, ContactMethod.TEXT) and not (
        UK_PHONE.match(re.sub(r"[\s()-]", "", detail))
    ):
        errors["contact_detail"] = gettext(
            "Enter a UK phone number, like 01204 123456 or 07700 900123."
        )
    return errors


@transaction.atomic
def register_interest(
    *,
    activity_code: str = "",
    description: str = "",
    community_of_interest: str = "",
    postcode: str = "",
    neighbourhood_code: str = "",
    consent_to_contact: bool = False,
    contact: dict[str, str] | None = None,
    on_behalf: bool = False,
    by: AbstractBaseUser | None,
) -> Interest:
    """Record that someone would join an activity that does not exist nearby.

    Says what (an activity type and/or words) and where (a postcode, whose LSOA and
    neighbourhood are stored, or a neighbourhood). Contact details are kept only with
    consent to be contacted, and then who may contact them and how are required.
    """
    errors: dict[str, str] = {}
    description = description.strip()
    activity = _activity(activity_code.strip(), errors)
    if activity is None and not description and "activity" not in errors:
        errors["activity"] = gettext("Choose an activity, or describe what you would like to do.")
    if len(description) > 1000:
        errors["description"] = gettext("Describe it in 1000 characters or fewer.")
    postcode, lsoa, neighbourhood = _place(postcode, neighbourhood_code.strip(), errors)
    values = {field: str((contact or {}).get(field) or "").strip() for field in CONTACT_FIELDS}
    if consent_to_contact:
        errors |= _contact_errors(values)
    else:
        values = dict.fromkeys(CONTACT_FIELDS, "")  # no consent: nothing kept
    if errors:
        raise InvalidInput(errors)
    interest = Interest.objects.create(
        activity=activity,
        description=description,
        community_of_interest=re.sub(r"\s+", " ", community_of_interest).strip()[:200],
        postcode=postcode,
        lsoa=lsoa,
        neighbourhood=neighbourhood,
        consent_to_contact=consent_to_contact,
        consented_at=timezone.now() if consent_to_contact else None,
        recorded_on_behalf=RecordedOnBehalf.LINK_WORKER if on_behalf else RecordedOnBehalf.SELF,
        recorded_by=by if by is not None and by.is_authenticated else None,
        **values,
    )
    record_event(by=by, action="interest_registered", object_type="interest", object_id=interest.pk)
    return interest


@transaction.atomic
def close_interest(*, interest: Interest, reason: str, by: AbstractBaseUser | None) -> Interest:
    """Close an open interest (a group started, the person withdrew): it stops counting."""
    interest = Interest.objects.select_for_update().get(pk=interest.pk)
    if interest.status != InterestStatus.OPEN:
        raise Conflict("This interest is already closed.", current_state=interest.status)
    if not reason.strip():
        raise InvalidInput({"reason": "Say why the interest is closed."})
    interest.status = InterestStatus.CLOSED
    interest.closed_at = timezone.now()
    interest.closed_reason = reason.strip()[:200]
    interest.save(update_fields=["status", "closed_at", "closed_reason"])
    record_event(by=by, action="interest_closed", object_type="interest", object_id=interest.pk)
    return interest


def _money(raw: Any, errors: dict[str, str]) -> Decimal | None:
    try:
        amount = Decimal(str(raw).replace(",", "").replace("£", "").strip())
    except (InvalidOperation, ValueError):
        errors["amount"] = "Enter the amount in pounds, like 500 or 1250.50."
        return None
    if not amount.is_finite() or amount <= 0 or amount >= Decimal("100000000"):
        errors["amount"] = "Enter an amount more than £0 and less than £100,000,000."
        return None
    if amount != amount.quantize(Decimal("0.01")):
        errors["amount"] = "Enter the amount to the nearest penny."
        return None
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def record_grant(
    *,
    organisation: Organisation | None,
    amount: Any,
    funder: str,
    purpose: str,
    period_start: dt.date | None,
    period_end: dt.date | None = None,
    asset: Asset | None = None,
    achieved: str = "",
    by: AbstractBaseUser | None,
) -> Grant:
    """Record funding given to a group, so it can be seen beside the load the group carries."""
    errors: dict[str, str] = {}
    if organisation is None:
        errors["organisation"] = "Choose the group that received the grant."
    value = _money(amount, errors)
    if not funder.strip():
        errors["funder"] = "Enter who gave the grant."
    if not purpose.strip():
        errors["purpose"] = "Say what the grant is for."
    if period_start is None:
        errors["period_start"] = "Enter the date the grant starts."
    elif period_end is not None and period_end < period_start:
        errors["period_end"] = "The end date must be the same as or after the start date."
    if asset is not None and organisation is not None and asset.organisation_id != organisation.pk:
        errors["asset"] = "Choose one of this group's own listings."
    if errors:
        raise InvalidInput(errors)
    grant = Grant.objects.create(
        organisation=organisation,
        asset=asset,
        amount=value,
        funder=funder.strip()[:200],
        purpose=purpose.strip(),
        period_start=period_start,
        period_end=period_end,
        achieved=achieved.strip(),
        recorded_by=by if by is not None and by.is_authenticated else None,
    )
    record_event(
        by=by,
        action="grant_recorded",
        object_type="grant",
        object_id=grant.pk,
        summary=f"organisation={organisation.pk} amount={value}",
    )
    return grant


def tell_interested_person(*, interest: Interest, subject: str, body: str) -> bool:
    """Send one message to the person behind an interest, by the channel they chose,
    when they consented to contact. Nobody sees their details: Linkwork sends it. A
    phone-call preference cannot be met by a message: False, and a worker calls."""

    if not interest.consent_to_contact or not interest.contact_detail:
        return False
    if interest.contact_method == ContactMethod.EMAIL:
        return send(to=[interest.contact_detail], subject=subject, body=body) == 1
    if interest.contact_method == ContactMethod.TEXT:
        number = re.sub(r"[\s()-]", "", interest.contact_detail)
        return send_sms(to=[number], body=f"{subject}. {body}") == 1
    return False


def _listing_message(asset: Asset) -> tuple[str, str]:
    url = settings.SITE_URL.rstrip("/") + reverse("asset-detail", args=[asset.pk])
    return (
        f"A group you might like: {asset.name}",
        (
            "You told us you would join an activity like this if it existed near you. "
            f"{asset.name} may be what you were looking for: {url}\n\n"
            "You do not need to reply. We will not contact you about this again."
        ),
    )


@transaction.atomic
def close_interest_answered(
    *, interest: Interest, reason: str, asset_id: int | None = None, by: AbstractBaseUser
) -> tuple[Interest, bool]:
    """Close an interest (it stops counting), optionally because a published listing
    answers it: the listing is sent to the person by their channel (with consent).
    Returns the interest and whether the person was told."""
    asset = None
    if asset_id is not None:
        asset = Asset.objects.filter(pk=asset_id, publication=Publication.PUBLISHED).first()
        if asset is None:
            raise InvalidInput({"asset_id": "No published listing has this id."})
    interest = close_interest(interest=interest, reason=reason, by=by)
    told = False
    if asset is not None:
        interest.answered_by = asset
        interest.save(update_fields=["answered_by"])
        told = tell_interested_person(
            interest=interest,
            **dict(zip(("subject", "body"), _listing_message(asset), strict=True)),
        )
        record_event(
            by=by,
            action="interest_answered",
            object_type="interest",
            object_id=interest.pk,
            summary=f"asset={asset.pk} told={told}",
        )
    return interest, told
