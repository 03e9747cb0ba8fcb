"""One HSDS 3.0 / ORUK 3.0 service record → the values Linkwork stores, or a reason why not.

Pure: no database. Anything that cannot be stored faithfully raises `RecordRejected`
with a reason a person can act on (the field, the value, what was expected).
"""

from linkwork.interop.imports.parsing.records import (
    IncomingContact,
    IncomingCost,
    IncomingLocation,
    IncomingOrganisation,
    IncomingSchedule,
    IncomingService,
    IncomingTerm,
)
from linkwork.interop.imports.parsing.schedules import BYDAY_PATTERN, TIME_PATTERN
from linkwork.interop.imports.parsing.service import (
    ARCHIVED_STATUSES,
    LANGUAGE_CODE,
    REFERRAL_FORM,
    STATUSES,
    parse_service,
    record_id,
)
from linkwork.interop.imports.parsing.values import MAX_AGE, RecordRejected, clip, midnight, text

__all__ = [
    "MAX_AGE",
    "RecordRejected",
    "text",
    "clip",
    "midnight",
    "IncomingOrganisation",
    "IncomingLocation",
    "IncomingSchedule",
    "IncomingContact",
    "IncomingCost",
    "IncomingTerm",
    "IncomingService",
    "BYDAY_PATTERN",
    "TIME_PATTERN",
    "ARCHIVED_STATUSES",
    "STATUSES",
    "LANGUAGE_CODE",
    "REFERRAL_FORM",
    "record_id",
    "parse_service",
]
