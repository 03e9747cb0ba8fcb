"""Forms that help: the checks every form and the API share, with GOV.UK-style messages
that name the field and show what is wanted.

Phone numbers are checked with `phonenumbers` (Google's libphonenumber metadata, kept
offline in the package): UK numbers by default, others when written with their +code.
"""

import re

import phonenumbers
from django.utils.translation import gettext, gettext_noop

PHONE_EXAMPLE = "like 01632 960 001 or 07700 900 982"
# Marked for the catalogues, translated when given (gettext below).
PHONE_MESSAGE = gettext_noop("Enter a phone number, like 01632 960 001 or 07700 900 982")
# Ofcom keeps these ranges for drama and examples; libphonenumber calls them invalid,
# but they are what fictional people (the demo, tests, guidance) are given.
OFCOM_FICTION_PREFIXES = ("+447700900", "+441632960")


def _parsed(raw: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(raw, "GB")
    except phonenumbers.NumberParseException:
        return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if phonenumbers.is_valid_number(number) or (
        e164.startswith(OFCOM_FICTION_PREFIXES) and len(e164) == 13
    ):
        return number
    return None


def phone_error(raw: str | None, *, required: bool = False) -> str | None:
    """What is wrong with a phone number as typed, or None. Blank is fine unless required."""
    text = (raw or "").strip()
    if not text:
        return gettext(PHONE_MESSAGE) if required else None
    if any(ch.isalpha() for ch in text) or _parsed(text) is None:
        return gettext(PHONE_MESSAGE)
    return None


def format_phone(raw: str | None) -> str:
    """The number written one way everywhere: national format for UK numbers
    ("07700 900982"), international for others; blank or unparseable as given."""
    text = (raw or "").strip()
    number = _parsed(text) if text else None
    if number is None:
        return text
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 44
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def too_long_message(label: str, limit: int) -> str:
    """The GOV.UK wording for text past its maximum length."""
    return f"{label} must be {limit:,} characters or fewer"


# Django's own wording for a few errors, and the GOV.UK wording that names the field.
_DJANGO_TOO_LONG = re.compile(
    r"Ensure this value has at most ([\d,]+) characters? \(it has ([\d,]+)\)\."
)
_DJANGO_TOO_SHORT = re.compile(
    r"Ensure this value has at least ([\d,]+) characters? \(it has ([\d,]+)\)\."
)


def govuk_message(message: str, label: str = "") -> str:
    """A form error as GOV.UK writes it, naming the field: "Why? must be 10,000
    characters or fewer" rather than Django's "Ensure this value has at most ..."."""
    text = str(message)
    name = str(label or "This").rstrip("?: ").strip() or "This"
    if found := _DJANGO_TOO_LONG.fullmatch(text):
        return f"{name} must be {found.group(1)} characters or fewer (you have {found.group(2)})"
    if found := _DJANGO_TOO_SHORT.fullmatch(text):
        return f"{name} must be {found.group(1)} characters or more"
    return text
