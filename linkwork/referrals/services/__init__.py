"""Every write of casework: keyword-only, with `by=`, atomic, audited, notifying.

Notices to groups and referrers never carry personal data: they say something
happened and link to Linkwork, where permissions decide what is shown. One module per
sub-concept; this package re-exports their names, so callers import from here.
"""

from linkwork.referrals.services.casework import (
    accept_referral,
    assign_referral,
    complete_follow_up,
    record_conversation,
    record_unmet_need,
    referrer_saw_the_end,
    reschedule_follow_up,
    save_plan,
    transition_referral,
    withdraw_consent,
)
from linkwork.referrals.services.connections import (
    INSTRUCTIONS,
    accept_connection,
    connect_instead,
    propose_connection,
    record_group_feedback,
    record_register,
    send_connection,
    transition_connection,
    withdraw_connection,
)
from linkwork.referrals.services.intake import (
    PERSON_FIELDS,
    create_referral,
    eligibility_flags,
    receiving_service,
    resolve_person,
)
from linkwork.referrals.services.notes import (
    can_close_without_answer,
    close_without_answer,
    no_answer_summary,
    record_case_note,
    unanswered_attempts,
)
from linkwork.referrals.services.reminders import (
    ESCALATE_AFTER_WORKING_DAYS,
    ConnectionReminderReport,
    send_connection_reminders,
)
from linkwork.referrals.services.session_reminders import (
    agree_to_session_reminder,
    send_session_reminders,
)

__all__ = [
    "agree_to_session_reminder",
    "send_session_reminders",
    "PERSON_FIELDS",
    "resolve_person",
    "receiving_service",
    "eligibility_flags",
    "create_referral",
    "transition_referral",
    "assign_referral",
    "record_conversation",
    "save_plan",
    "withdraw_consent",
    "record_unmet_need",
    "complete_follow_up",
    "reschedule_follow_up",
    "referrer_saw_the_end",
    "accept_referral",
    "propose_connection",
    "INSTRUCTIONS",
    "send_connection",
    "accept_connection",
    "withdraw_connection",
    "transition_connection",
    "record_group_feedback",
    "record_register",
    "connect_instead",
    "record_case_note",
    "unanswered_attempts",
    "can_close_without_answer",
    "close_without_answer",
    "no_answer_summary",
    "ESCALATE_AFTER_WORKING_DAYS",
    "ConnectionReminderReport",
    "send_connection_reminders",
]
