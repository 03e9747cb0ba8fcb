"""Every write of the funding app (rounds, applications, tariffs and statements)."""

from linkwork.funding.services.applications import save_application, submit_application
from linkwork.funding.services.awards import (
    decide_application,
    paid_total,
    record_payment,
    report_on_grant,
)
from linkwork.funding.services.panel import declare_conflict, is_conflicted, score_application
from linkwork.funding.services.rounds import (
    awarded_total,
    create_round,
    snapshot_priorities,
    transition_round,
)
from linkwork.funding.services.tariffs import (
    approve_statement,
    bring_statements_up_to_date,
    compute_month,
    compute_statements,
    create_tariff,
    mark_statement_paid,
    people_started,
)

__all__ = [
    "approve_statement",
    "awarded_total",
    "bring_statements_up_to_date",
    "compute_month",
    "compute_statements",
    "create_round",
    "create_tariff",
    "declare_conflict",
    "decide_application",
    "is_conflicted",
    "mark_statement_paid",
    "paid_total",
    "people_started",
    "record_payment",
    "report_on_grant",
    "save_application",
    "score_application",
    "snapshot_priorities",
    "submit_application",
    "transition_round",
]
