"""Writing a whole listing at once: its details, sessions, costs and online option.

The sectioned page form and `POST`/`PATCH /api/v1/services` both end here. Every part
is checked before anything is written, every problem is named by field
(`schedules[0].closes_at`, `cost_options[1].amount`, `online_url`), and it is written
in one transaction, so nothing is half-saved.
"""

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from linkwork.audit.services import record_event
from linkwork.directory import services
from linkwork.directory.models import (
    FREE_KINDS,
    Asset,
    AssetLocation,
    CostKind,
    CostOption,
    Location,
    LocationType,
    Organisation,
    Publication,
    Schedule,
)
from linkwork.directory.schedules import clean_sessions
from linkwork.errors import InvalidInput
from linkwork.public_cache import listings_changed
from linkwork.validation import format_phone, phone_error

SECURE_URL = URLValidator(schemes=["https"])


def cost_in_words(option: CostOption) -> str:
    """ "£2 per session", "Suggested donation: £3", "Free", as people read a cost."""
    amount = ""
    if option.amount is not None and option.amount > 0:
        value = f"{option.amount:.2f}".removesuffix(".00")
        amount = f"£{value}" if option.currency == "GBP" else f"{value} {option.currency}"
    if option.kind == CostKind.FREE or (option.amount == 0 and option.kind != CostKind.DONATION):
        words = gettext("Free")
    elif option.kind == CostKind.PER_SESSION:
        words = gettext("%(amount)s per session") % {"amount": amount} if amount else option.option
    elif option.kind == CostKind.DONATION:
        words = (
            gettext("Suggested donation: %(amount)s") % {"amount": amount}
            if amount
            else gettext("Donations welcome")
        )
    elif option.kind == CostKind.CONCESSION:
        words = (
            gettext("Concessions: %(amount)s") % {"amount": amount}
            if amount
            else gettext("Concessions available")
        )
    else:
        words = f"{option.option}: {amount}" if amount else option.option
    return words + (f" ({option.amount_description})" if option.amount_description else "")


def _kind(raw: dict[str, Any], amount: Decimal | None) -> str:
    """The kind given, or read from the option's words (as HSDS feeds write them)."""
    if raw.get("kind") in CostKind.values:
        return raw["kind"]
    words = str(raw.get("option") or "").lower()
    if amount == 0 or words == "free":
        return CostKind.FREE
    for hint, kind in (("donation", CostKind.DONATION), ("concession", CostKind.CONCESSION)):
        if hint in words:
            return kind
    return CostKind.PER_SESSION if "session" in words or not words else CostKind.OTHER


def clean_cost_options(
    options: Iterable[dict[str, Any]], *, field: str = "cost_options"
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """HSDS cost options (`amount`, `currency`, `option`) as rows, or errors by field."""
    rows, errors = [], {}
    for n, raw in enumerate(options):
        name = f"{field}[{n}]"
        amount = None
        if raw.get("amount") not in (None, ""):
            try:
                amount = Decimal(str(raw["amount"]))
            except InvalidOperation:
                errors[f"{name}.amount"] = "Give the amount in pounds, as 2.50."
                continue
            if not amount.is_finite() or amount < 0:
                errors[f"{name}.amount"] = "The amount cannot be negative."
                continue
            if amount != amount.quantize(Decimal("0.01")) or amount >= Decimal("1000000"):
                errors[f"{name}.amount"] = "Give pounds and pence, under £1,000,000."
                continue
        currency = str(raw.get("currency") or "GBP").upper()
        if len(currency) != 3 or not currency.isalpha():
            errors[f"{name}.currency"] = "Use a three-letter currency code such as GBP."
        if raw.get("kind") not in (None, "", *CostKind.values):
            errors[f"{name}.kind"] = f"Must be one of {', '.join(CostKind.values)}."
        kind = _kind(raw, amount)
        option = str(raw.get("option") or "").strip()[:200] or CostKind(kind).label
        description = str(raw.get("amount_description") or "").strip()[:200]
        rows.append(
            {
                "kind": kind,
                "option": option,
                "amount": amount,
                "currency": currency,
                "amount_description": description,
            }
        )
    return ([] if errors else rows), errors


def clean_online(url: str | None, phone: str | None) -> dict[str, str]:
    """An online option's problems by field: links must be https and well formed."""
    errors = {}
    if url:
        if url.lower().startswith("http:"):
            errors["online_url"] = "Give a secure link that starts with https://."
        else:
            try:
                SECURE_URL(url)
            except ValidationError:
                errors["online_url"] = "Give the full link, as https://meet.example.org/room."
    if phone_error(phone):
        errors["online_phone"] = phone_error(phone)
    return errors


def online_location(asset: Asset) -> Location | None:
    """The listing's online option (an HSDS virtual location), if it has one."""
    link = asset.asset_locations.filter(location__location_type=LocationType.VIRTUAL).first()
    return link.location if link else None


def _set_online(asset: Asset, *, url: str, phone: str) -> None:
    current = online_location(asset)
    if not (url or phone):
        if current is not None:
            current.delete()
        return
    if current is None:
        current = Location.objects.create(location_type=LocationType.VIRTUAL, name="Online")
        AssetLocation.objects.create(asset=asset, location=current)
    current.url, current.phone = url, phone
    current.name = "Online" if url else "By phone"
    current.save()


def _replace(asset: Asset, sessions: list[dict] | None, costs: list[dict] | None) -> None:
    listings_changed()  # bulk writes send no signals
    if sessions is not None:
        asset.schedules.all().delete()
        Schedule.objects.bulk_create([Schedule(asset=asset, **row) for row in sessions])
    if costs is not None:
        asset.cost_options.all().delete()
        CostOption.objects.bulk_create([CostOption(asset=asset, **row) for row in costs])
        # "Free only" keeps meaning free: nothing to pay but, at most, a donation asked.
        asset.is_free = all(row["kind"] in FREE_KINDS for row in costs)
        Asset.objects.filter(pk=asset.pk).update(is_free=asset.is_free)


def _check(
    details: dict[str, Any],
    schedules: list[dict] | None,
    cost_options: list[dict] | None,
) -> tuple[list[dict] | None, list[dict] | None]:
    sessions, errors = clean_sessions(schedules) if schedules is not None else (None, {})
    costs, cost_errors = (
        clean_cost_options(cost_options) if cost_options is not None else (None, {})
    )
    errors.update(cost_errors)
    errors.update(clean_online(details.get("online_url"), details.get("online_phone")))
    if phone_error(details.get("phone")):
        errors["phone"] = phone_error(details.get("phone"))
    elif details.get("phone"):
        details["phone"] = format_phone(details["phone"])
    if errors:
        raise InvalidInput(errors)
    return sessions, costs


def _online_given(details: dict[str, Any], current: Location | None) -> tuple[bool, str, str]:
    """Whether the online option changes, and to what (a part not given is kept)."""
    given = "online_url" in details or "online_phone" in details
    url = details.pop("online_url", current.url if current else "")
    phone = details.pop("online_phone", current.phone if current else "")
    return given, (url or "").strip(), (phone or "").strip()


@transaction.atomic
def update_listing(
    *,
    asset: Asset,
    by: AbstractBaseUser | None,
    schedules: list[dict] | None = None,
    cost_options: list[dict] | None = None,
    **details: Any,
) -> Asset:
    """Change any part of a listing; sessions and costs given replace the old ones."""
    sessions, costs = _check(details, schedules, cost_options)
    given, url, phone = _online_given(details, online_location(asset))
    services.update_asset(asset=asset, by=by, **details)
    _replace(asset, sessions, costs)
    if given:
        _set_online(asset, url=url, phone=phone)
    if sessions is not None or costs is not None or given:
        Asset.objects.filter(pk=asset.pk).update(updated_at=timezone.now())
        parts = [
            name
            for name, changed in (
                ("schedules", sessions is not None),
                ("cost_options", costs is not None),
                ("online", given),
            )
            if changed
        ]
        record_event(
            by=by,
            action="listing_parts_replaced",
            object_type="asset",
            object_id=asset.pk,
            summary="parts=" + ",".join(parts),
        )
    asset.refresh_from_db()
    return asset


@transaction.atomic
def create_listing(
    *,
    organisation: Organisation | None,
    publication: Publication,
    by: AbstractBaseUser | None,
    schedules: list[dict] | None = None,
    cost_options: list[dict] | None = None,
    **details: Any,
) -> Asset:
    """A new listing with its sessions, costs and online option, all or nothing."""
    sessions, costs = _check(details, schedules, cost_options)
    given, url, phone = _online_given(details, None)
    asset = services.create_asset(
        organisation=organisation, publication=publication, by=by, **details
    )
    _replace(asset, sessions, costs)
    if given:
        _set_online(asset, url=url, phone=phone)
    return asset
