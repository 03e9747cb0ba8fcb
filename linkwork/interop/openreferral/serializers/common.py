"""What every ORUK record shares: the profile's constants, ids, timestamps, the paged envelope."""

import math
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from linkwork.directory.models import (
    CapacityStatus,
)

VERSION = "HSDS-UK-3.0"

PROFILE_URL = "https://openreferraluk.org/"

OPENAPI_URL = "https://openreferraluk.org/specifications/3.0/openapi.json"

COUNTRY = "GB"

# ONS statistical geography codes (E01012345...) have a published linked-data URI.
GSS_CODE = re.compile(r"^[EWSN]\d{8}$")

GSS_URI = "http://statistics.data.gov.uk/id/statistical-geography/{code}"

# Community languages Django's own list does not name.
LANGUAGE_NAMES = {
    "gu": "Gujarati",
    "ku": "Kurdish",
    "ps": "Pashto",
    "so": "Somali",
    "ti": "Tigrinya",
    "zh": "Chinese",
}

CAPACITY_ALERTS = {
    CapacityStatus.WAITLIST: "Waiting list: new people join a waiting list.",
    CapacityStatus.FULL: "Full: not taking new people at the moment.",
    CapacityStatus.PAUSED: "Paused: not running at the moment.",
}

Record = dict[str, Any]


def compact(fields: Record) -> Record:
    """Leave out what is empty: the schema types these fields as strings, uuids or uris."""
    return {key: value for key, value in fields.items() if value is not None and value != ""}


def derived_id(owner: uuid.UUID, *parts: object) -> str:
    """A stable id for something Linkwork keeps as a field rather than a row."""
    return str(uuid.uuid5(owner, ":".join(str(part) for part in parts)))


def _id(value: uuid.UUID | None) -> str | None:
    return str(value) if value else None


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def page(contents: list[Record], *, total: int, page_number: int, per_page: int) -> Record:
    """The paged envelope every list endpoint returns."""
    total_pages = math.ceil(total / per_page)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page_number,
        "size": len(contents),
        "first_page": page_number == 1,
        "last_page": page_number >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def api_details() -> Record:
    return {"version": VERSION, "profile": PROFILE_URL, "openapi_url": OPENAPI_URL}
