"""Reads of the funding app, scoped to the viewer.

Funders (GRANT_RECORD in the funding organisation; admins everywhere) see their rounds
in every state; everyone signed in sees rounds once they open; the public sees a round
once it is decided. Applications: the applying group, the funder, and the round's panel
(submitted ones only). No read here reaches a person: load figures are published ones.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Avg, Count, Q, QuerySet, Sum

from linkwork.accounts.permissions import (
    has_permission,
    memberships_of,
    organisations_with_permission,
)
from linkwork.accounts.roles import DEPLOYMENT_WIDE_ROLES, ROLES, Perm
from linkwork.directory.models import Organisation
from linkwork.funding.models import (
    Application,
    ApplicationStatus,
    Payment,
    Round,
    RoundStatus,
    Statement,
    Tariff,
)
from linkwork.funding.services import access

User = AbstractBaseUser | AnonymousUser
PUBLIC_STATES = (RoundStatus.DECIDED, RoundStatus.CLOSED)
ZERO = Decimal("0.00")


def _is_deployment_wide(user: User, perm: Perm) -> bool:

    return any(
        role in DEPLOYMENT_WIDE_ROLES and perm in ROLES[role].permissions
        for role, _ in memberships_of(user)
    )


def funder_organisations(user: User) -> QuerySet[Organisation]:
    """The organisations the user may fund from (admins: their own organisation)."""
    return Organisation.objects.filter(
        pk__in=organisations_with_permission(user, Perm.GRANT_RECORD)
    ).order_by("name")


def rounds_visible_to(user: User) -> QuerySet[Round]:
    """Funders: their own rounds in any state (admins: all). Anyone signed in: rounds
    that have opened. Anonymous visitors: decided and closed rounds."""
    rows = Round.objects.select_related("funder", "panel")
    if not user.is_authenticated:
        return rows.filter(status__in=PUBLIC_STATES)
    if _is_deployment_wide(user, Perm.GRANT_RECORD):
        return rows
    own = organisations_with_permission(user, Perm.GRANT_RECORD)
    return rows.filter(~Q(status=RoundStatus.DRAFT) | Q(funder_id__in=own))


def round_for(user: User, pk: int) -> Round:
    """One round the viewer may see (DoesNotExist otherwise: 404)."""
    return rounds_visible_to(user).get(pk=pk)


def applications_visible_to(user: User) -> QuerySet[Application]:
    """The group's own applications; the funder's rounds' submitted ones; the panel's
    rounds' submitted ones. Drafts stay with the group."""
    rows = Application.objects.select_related("round", "round__funder", "organisation", "priority")
    if not user.is_authenticated:
        return rows.none()
    own_groups = organisations_with_permission(user, Perm.GRANT_APPLY)
    visible = Q(organisation_id__in=own_groups)
    sent = ~Q(status=ApplicationStatus.DRAFT)
    if _is_deployment_wide(user, Perm.GRANT_RECORD):
        visible |= sent
    else:
        funders = organisations_with_permission(user, Perm.GRANT_RECORD)
        visible |= sent & Q(round__funder_id__in=funders)
    panels = organisations_with_permission(user, Perm.PANEL_DECIDE)
    if panels:
        visible |= (
            sent
            & ~Q(round__status=RoundStatus.DRAFT)
            & (Q(round__panel_id__in=panels) | Q(round__panel=None))
        )
    return rows.filter(visible)


def application_for(user: User, pk: int) -> Application:
    return applications_visible_to(user).get(pk=pk)


@dataclass(frozen=True)
class PotSummary:
    pot: Decimal
    awarded: Decimal
    remaining: Decimal
    paid: Decimal
    applications: int
    asked: Decimal


def pot_summary(round: Round) -> PotSummary:
    """The pot, awarded, what is left, paid out; submitted applications and asked for."""
    sent = round.applications.exclude(status=ApplicationStatus.DRAFT)
    figures = sent.aggregate(
        n=Count("id"),
        asked=Sum("amount"),
        awarded=Sum("decision_amount", filter=Q(status=ApplicationStatus.AWARDED)),
    )
    paid = Payment.objects.filter(application__round=round).aggregate(t=Sum("amount"))["t"]
    awarded = figures["awarded"] or ZERO
    return PotSummary(
        pot=round.pot,
        awarded=awarded,
        remaining=round.pot - awarded,
        paid=paid or ZERO,
        applications=figures["n"],
        asked=figures["asked"] or ZERO,
    )


def applications_for_funder(round: Round) -> list[Application]:
    """Submitted applications with their score totals, best scored first."""
    rows = (
        round.applications.exclude(status=ApplicationStatus.DRAFT)
        .select_related("organisation", "priority")
        .annotate(
            score_total=Sum("scores__score"),
            score_mean=Avg("scores__score"),
            scorers=Count("scores", distinct=True),
            paid=Sum("payments__amount", distinct=True),
        )
    )
    return sorted(rows, key=lambda a: (-(a.score_total or 0), a.organisation.name))


def scores_of(application: Application) -> list:
    """Every panel member's score and comment (for the funder; names are panel members')."""
    return list(application.scores.select_related("member").order_by("member__full_name"))


def is_funder(user: User, round: Round) -> bool:
    return access.is_funder(user, round)


def is_panel_member(user: User, round: Round) -> bool:
    return access.is_panel_member(user, round)


def applying_organisations(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        pk__in=organisations_with_permission(user, Perm.GRANT_APPLY)
    ).order_by("name")


def tariffs_visible_to(user: User) -> QuerySet[Tariff]:
    rows = Tariff.objects.select_related("funder")
    if _is_deployment_wide(user, Perm.GRANT_RECORD):
        return rows
    return rows.filter(funder_id__in=organisations_with_permission(user, Perm.GRANT_RECORD))


def statements_visible_to(user: User) -> QuerySet[Statement]:
    """Funders: their tariffs' statements; groups: their own. Nobody else."""
    rows = Statement.objects.select_related("tariff", "organisation")
    if not user.is_authenticated:
        return rows.none()
    if _is_deployment_wide(user, Perm.GRANT_RECORD):
        return rows
    funders = organisations_with_permission(user, Perm.GRANT_RECORD)
    groups = organisations_with_permission(user, Perm.GRANT_APPLY)
    return rows.filter(Q(tariff__funder_id__in=funders) | Q(organisation_id__in=groups))


def can_see_statements(user: User) -> bool:
    return has_permission(user, Perm.GRANT_RECORD) or has_permission(user, Perm.GRANT_APPLY)


def awarded_and_paid_by_organisation(
    organisation_ids: list[int] | None = None,
) -> dict[int, tuple[Decimal, Decimal]]:
    """{organisation id: (awarded, paid)} from rounds and tariffs, for the load view.
    Tariffs count approved and paid statements as awarded, paid ones as paid."""
    totals: dict[int, list[Decimal]] = {}
    awards = Application.objects.filter(status=ApplicationStatus.AWARDED)
    statements = Statement.objects.exclude(status="due")
    payments = Payment.objects.all()
    if organisation_ids is not None:
        awards = awards.filter(organisation_id__in=organisation_ids)
        statements = statements.filter(organisation_id__in=organisation_ids)
        payments = payments.filter(application__organisation_id__in=organisation_ids)
    for org, amount in (
        awards.values_list("organisation_id").annotate(t=Sum("decision_amount")).order_by()
    ):
        totals.setdefault(org, [ZERO, ZERO])[0] += amount
    for org, amount in (
        payments.values_list("application__organisation_id").annotate(t=Sum("amount")).order_by()
    ):
        totals.setdefault(org, [ZERO, ZERO])[1] += amount
    for org, status, amount in (
        statements.values_list("organisation_id", "status").annotate(t=Sum("amount_due")).order_by()
    ):
        totals.setdefault(org, [ZERO, ZERO])[0] += amount
        if status == "paid":
            totals[org][1] += amount
    return {org: (a, p) for org, (a, p) in totals.items()}


def latest_statements_of_group(user: User) -> list[Statement]:
    """The group's statements for the latest month that has any (for the group's home)."""
    rows = Statement.objects.select_related("tariff", "organisation").filter(
        organisation_id__in=organisations_with_permission(user, Perm.GRANT_APPLY)
    )
    latest = rows.order_by("-month").values_list("month", flat=True).first()
    return list(rows.filter(month=latest)) if latest else []
