"""Pages of the funding app: funders (rounds, decisions, payments, tariffs), groups
(applying, statements, the end-of-grant report), panel members (conflicts, scores) and
the public page of a decided round."""

from linkwork.funding.views.applications import (
    application,
    application_apply,
    application_check,
    application_conflict,
    application_decision,
    application_payment,
    application_report,
    application_score,
)
from linkwork.funding.views.rounds import (
    funding_home,
    public_round,
    round_manage,
    round_new,
    round_payments_csv,
    round_transition,
)
from linkwork.funding.views.statements import (
    statement_approve,
    statement_paid,
    statements,
    statements_csv,
    tariff_new,
)

__all__ = [
    "application",
    "application_apply",
    "application_check",
    "application_conflict",
    "application_decision",
    "application_payment",
    "application_report",
    "application_score",
    "funding_home",
    "public_round",
    "round_manage",
    "round_new",
    "round_payments_csv",
    "round_transition",
    "statement_approve",
    "statement_paid",
    "statements",
    "statements_csv",
    "tariff_new",
]
