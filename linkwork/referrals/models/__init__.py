"""Casework: people, referrals, what-matters conversations, plans, connections to assets,
unmet needs and follow-ups. Referrals are never deleted; every change is recorded.

One module per sub-concept; this package re-exports every name, so callers (and
Django, which finds the models here) import from `linkwork.referrals.models`."""

from linkwork.referrals.models.casework import (
    ANSWERED_CONTACT,
    CASE_NOTE_MAX_LENGTH,
    UNANSWERED_ATTEMPTS,
    CaseNote,
    CaseNoteKind,
    Conversation,
    FollowUp,
    FollowUpCancelled,
    FollowUpKind,
    FollowUpQuerySet,
    Plan,
    UnmetNeed,
    UnmetReason,
)
from linkwork.referrals.models.connections import (
    BACKGROUND_NEEDS_MAX_LENGTH,
    SHAREABLE_FIELDS,
    Connection,
    ConnectionEvent,
)
from linkwork.referrals.models.feedback import (
    FeedbackNotSent,
    FeedbackRequest,
)
from linkwork.referrals.models.people import (
    ContactMethod,
    NotDuplicate,
    Person,
    PersonMerge,
)
from linkwork.referrals.models.referral import (
    Referral,
    ReferralCriteria,
    ReferralEvent,
    Source,
    Urgency,
)

__all__ = [
    "ContactMethod",
    "Person",
    "PersonMerge",
    "NotDuplicate",
    "Source",
    "Urgency",
    "Referral",
    "ReferralEvent",
    "ReferralCriteria",
    "Conversation",
    "Plan",
    "UnmetReason",
    "UnmetNeed",
    "FollowUpKind",
    "FollowUpCancelled",
    "FollowUpQuerySet",
    "FollowUp",
    "CaseNoteKind",
    "UNANSWERED_ATTEMPTS",
    "ANSWERED_CONTACT",
    "CASE_NOTE_MAX_LENGTH",
    "CaseNote",
    "SHAREABLE_FIELDS",
    "BACKGROUND_NEEDS_MAX_LENGTH",
    "Connection",
    "ConnectionEvent",
    "FeedbackNotSent",
    "FeedbackRequest",
]
