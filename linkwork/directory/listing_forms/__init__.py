"""The listing form in sections, for a group to say everything its asset page shows.

One page of sections (about, sessions, cost, where and online, first visit,
safeguarding, referrals and contact), then "check your answers". Sessions are rows
of a formset: "Add another session" and "Remove" are ordinary buttons and
checkboxes, so it all works without JavaScript. Each session row is checked by the
same rules as the API (directory/schedules.py), so the messages match.

The package holds one module per part (sessions, details) and re-exports their names.
"""

from linkwork.directory.listing_forms.details import (
    COST_CHOICES,
    ListingDetailsForm,
    details_initial,
)
from linkwork.directory.listing_forms.sessions import (
    PATTERNS,
    SESSION_FIELDS,
    TIME_FORMATS,
    BaseSessionFormSet,
    FirstSessionFormSet,
    SessionForm,
    SessionFormSet,
    session_initial,
)

__all__ = [
    "TIME_FORMATS",
    "PATTERNS",
    "SESSION_FIELDS",
    "SessionForm",
    "BaseSessionFormSet",
    "SessionFormSet",
    "FirstSessionFormSet",
    "session_initial",
    "COST_CHOICES",
    "ListingDetailsForm",
    "details_initial",
]
