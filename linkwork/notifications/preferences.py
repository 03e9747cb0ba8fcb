"""Who hears about what, how often and how: each person's notification preferences.

Reads (`preferences_of`, `frequency_for`) and the one write (`set_preferences`). A kind
with no stored choice takes the default: members of community groups get a weekly
digest of everything except new referrals (groups said they were "overwhelmed with
scattergun emails"); everyone else hears immediately. Safety messages are fixed.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from linkwork.accounts.permissions import roles_of
from linkwork.accounts.roles import Role
from linkwork.audit.services import record_event
from linkwork.errors import InvalidInput
from linkwork.notifications.models import (
    FIXED_KINDS,
    Channel,
    Frequency,
    Kind,
    NotificationPreference,
    SmsNumber,
)

UK_MOBILE = re.compile(r"^(?:\+44|0)7\d{9}$")


@dataclass(frozen=True)
class Preference:
    kind: str
    label: str
    frequency: str
    channel: str
    # Fixed kinds (safety) are always immediate and cannot be changed.
    fixed: bool
    # No stored choice: the default applies.
    is_default: bool


def sms_available() -> bool:
    """Text messages need GOV.UK Notify with an SMS template (or the test outbox)."""
    return bool(getattr(settings, "SMS_BACKEND", ""))


def default_frequency(user: AbstractBaseUser, kind: str) -> str:
    if kind in FIXED_KINDS or kind == Kind.NEW_REFERRAL:
        return Frequency.IMMEDIATELY
    if Role.GROUP in roles_of(user):
        return Frequency.WEEKLY
    return Frequency.IMMEDIATELY


def _stored(user: AbstractBaseUser) -> dict[str, NotificationPreference]:
    return {p.kind: p for p in NotificationPreference.objects.filter(user=user)}


def preferences_of(user: AbstractBaseUser) -> list[Preference]:
    """Every kind of message, with the person's choice or the default."""
    stored = _stored(user)
    rows = []
    for kind in Kind:
        choice = stored.get(kind.value)
        fixed = kind in FIXED_KINDS
        rows.append(
            Preference(
                kind=kind.value,
                label=kind.label,
                frequency=Frequency.IMMEDIATELY
                if fixed
                else (choice.frequency if choice else default_frequency(user, kind)),
                channel=choice.channel if choice else Channel.EMAIL,
                fixed=fixed,
                is_default=choice is None,
            )
        )
    return rows


def frequency_for(user: AbstractBaseUser, kind: str) -> tuple[str, str]:
    """(frequency, channel) for one kind; text messages only while SMS is available and
    the person has a number, else email."""
    choice = NotificationPreference.objects.filter(user=user, kind=kind).first()
    if kind in FIXED_KINDS:
        frequency = Frequency.IMMEDIATELY
    else:
        frequency = choice.frequency if choice else default_frequency(user, kind)
    channel = choice.channel if choice else Channel.EMAIL
    if channel == Channel.SMS and not (sms_available() and sms_number_of(user)):
        channel = Channel.EMAIL
    return frequency, channel


def sms_number_of(user: AbstractBaseUser) -> str:
    row = SmsNumber.objects.filter(user=user).first()
    return row.number if row else ""


def _check(
    changes: list[dict[str, str]], sms_number: str | None, has_number: bool
) -> dict[str, str]:
    errors: dict[str, str] = {}
    for index, change in enumerate(changes):
        kind, frequency = change.get("kind", ""), change.get("frequency", "")
        channel = change.get("channel") or Channel.EMAIL
        where = f"preferences.{index}"
        if kind not in Kind.values:
            errors[f"{where}.kind"] = (
                f"Unknown kind of message; choose one of {', '.join(Kind.values)}."
            )
            continue
        if frequency not in Frequency.values:
            errors[f"{where}.frequency"] = "Choose immediately, daily, weekly or never."
        elif kind in FIXED_KINDS and frequency != Frequency.IMMEDIATELY:
            errors[f"{where}.frequency"] = (
                "Urgent safety messages are always sent immediately; this cannot be changed."
            )
        if channel not in Channel.values:
            errors[f"{where}.channel"] = "Choose email or sms."
        elif channel == Channel.SMS and not sms_available():
            errors[f"{where}.channel"] = "Text messages are not available here; choose email."
        elif channel == Channel.SMS and not (has_number or sms_number):
            errors[f"{where}.channel"] = "Give a mobile number to get text messages."
    if sms_number and not UK_MOBILE.match(re.sub(r"[\s()-]", "", sms_number)):
        errors["sms_number"] = "Enter a UK mobile number, like 07700 900123."
    return errors


@transaction.atomic
def set_preferences(
    *,
    user: AbstractBaseUser,
    changes: list[dict[str, str]],
    sms_number: str | None = None,
    by: AbstractBaseUser,
) -> list[Preference]:
    """Store the person's choices for the kinds given (others keep theirs). Every change is
    checked first; nothing is saved if one is wrong (InvalidInput naming each field).
    `sms_number` "" removes the number (and text-message choices fall back to email)."""
    has_number = bool(sms_number_of(user)) and sms_number != ""
    errors = _check(changes, sms_number, has_number)
    if errors:
        raise InvalidInput(errors)
    if sms_number is not None:
        number = re.sub(r"[\s()-]", "", sms_number)
        if number:
            SmsNumber.objects.update_or_create(user=user, defaults={"number": number})
        else:
            SmsNumber.objects.filter(user=user).delete()
            NotificationPreference.objects.filter(user=user, channel=Channel.SMS).update(
                channel=Channel.EMAIL
            )
    for change in changes:
        NotificationPreference.objects.update_or_create(
            user=user,
            kind=change["kind"],
            defaults={
                "frequency": change["frequency"],
                "channel": change.get("channel") or Channel.EMAIL,
            },
        )
    record_event(
        by=by,
        action="notification_preferences_changed",
        object_type="user",
        object_id=user.pk,
        summary=" ".join(f"{c['kind']}={c['frequency']}" for c in changes)[:200],
    )
    return preferences_of(user)
