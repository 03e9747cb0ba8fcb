"""The link worker's casework: the pages (queue, caseload, case page) and the case page's
actions, each its own small POST URL. Re-exported here for the URL table."""

from linkwork.referrals.views.casework.actions import (
    accept,
    complete_follow_up,
    connect_instead,
    conversation,
    plan,
    propose_connection,
    record_attendance,
    record_unmet_need,
    send_connection,
    transition,
    withdraw_connection,
    withdraw_consent,
)
from linkwork.referrals.views.casework.notes import add_case_note, close_without_answer
from linkwork.referrals.views.casework.pages import (
    caseload,
    follow_ups,
    referral_detail,
    triage_queue,
)

__all__ = [
    "accept",
    "add_case_note",
    "close_without_answer",
    "caseload",
    "complete_follow_up",
    "follow_ups",
    "connect_instead",
    "conversation",
    "plan",
    "propose_connection",
    "record_attendance",
    "record_unmet_need",
    "referral_detail",
    "send_connection",
    "transition",
    "triage_queue",
    "withdraw_connection",
    "withdraw_consent",
]
