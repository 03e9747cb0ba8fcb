"""Postcode parsing: the one place that knows what a UK postcode looks like."""

import re

from django.utils.translation import gettext

# The shape of a UK postcode (outward code, then inward code: digit and two letters).
POSTCODE_PATTERN = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})$")


class InvalidPostcode(ValueError):
    pass


def normalise_postcode(raw: str) -> str:
    """'bl26lt ' -> 'BL2 6LT'. Raises InvalidPostcode for anything not shaped like one."""
    match = POSTCODE_PATTERN.match(re.sub(r"\s+", " ", (raw or "").strip().upper()))
    if not match:
        raise InvalidPostcode(
            gettext("%(postcode)s is not a valid UK postcode.") % {"postcode": repr(raw.strip())}
        )
    return f"{match.group(1)} {match.group(2)}"
