"""Reads of casework, each scoped to the viewer; reads of a person's record are audited.

One module per sub-concept; this package re-exports their names, so callers import from here.
"""

from linkwork.referrals.selectors.case import assets_to_connect, case_file, case_timeline
from linkwork.referrals.selectors.closure import (
    SNOMED,
    closure_summary,
    feedback_request_of,
    person_feedback_for_case_worker,
    person_feedback_for_referrer,
    reopen_until,
)
from linkwork.referrals.selectors.groups import (
    connection_for_group,
    connections_visible_to,
    group_inbox,
    open_alternatives,
    register_assets,
    register_for,
    shared_with_group,
    shown_to_group,
)
from linkwork.referrals.selectors.queues import (
    caseload,
    follow_up_counts,
    follow_ups_due,
    link_workers_by_service,
    overdue_first_contact,
    triage_counts,
    triage_queue,
)
from linkwork.referrals.selectors.referrers import (
    referrals_made_by,
    referrer_counts,
    referring_organisation,
    social_prescribing_services,
)
from linkwork.referrals.selectors.visibility import _searched as _searched
from linkwork.referrals.selectors.visibility import (
    audit_listed,
    is_case_worker,
    referral_for,
    referrals_visible_to,
    search_visible,
)

__all__ = [
    "referrals_visible_to",
    "search_visible",
    "referral_for",
    "is_case_worker",
    "audit_listed",
    "triage_queue",
    "triage_counts",
    "caseload",
    "overdue_first_contact",
    "follow_ups_due",
    "follow_up_counts",
    "link_workers_by_service",
    "case_file",
    "case_timeline",
    "assets_to_connect",
    "SNOMED",
    "closure_summary",
    "reopen_until",
    "feedback_request_of",
    "person_feedback_for_referrer",
    "person_feedback_for_case_worker",
    "connections_visible_to",
    "group_inbox",
    "shared_with_group",
    "open_alternatives",
    "connection_for_group",
    "shown_to_group",
    "register_assets",
    "register_for",
    "referring_organisation",
    "social_prescribing_services",
    "referrals_made_by",
    "referrer_counts",
]
