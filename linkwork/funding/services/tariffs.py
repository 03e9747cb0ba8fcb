"""Funding that follows the person: tariffs and their monthly statements.

Statements are computed for a whole month in a fixed number of queries, however many
groups (bench/funding_statements.py): one aggregate of people who started, one read of
what this quarter already owes each group, one of the pot used, one of this month's
statements, then bulk writes. Approved and paid statements are never recomputed.
"""

# ruff: noqa: S608 — the SQL text holds only table names; values are %s parameters.

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection as db
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from linkwork.accounts.permissions import has_permission
from linkwork.accounts.roles import Perm
from linkwork.audit.services import record_event
from linkwork.directory.models import Asset, Organisation
from linkwork.errors import Conflict, InvalidInput
from linkwork.funding.models import GroupSize, SizeBand, Statement, StatementStatus, Tariff
from linkwork.funding.services.money import PENNY, parse_money
from linkwork.insight.queries import run_sql
from linkwork.referrals import transitions as referral_transitions
from linkwork.referrals.models import Connection, ConnectionEvent, Referral

ZERO = Decimal("0.00")


def _text(value: str | None) -> str:
    return (value or "").strip()


@transaction.atomic
def create_tariff(
    *,
    funder: Organisation,
    name: str,
    rate: Any,
    starts: dt.date | None,
    ends: dt.date | None = None,
    size_bands: list[str] | tuple = (),
    cap_per_quarter: Any = None,
    pot: Any = None,
    by: AbstractBaseUser,
) -> Tariff:
    """£ `rate` per person who starts at a group, from `starts` (to `ends`), optionally
    only for some size bands, capped per group per quarter and by a pot."""
    errors: dict[str, str] = {}
    if not _text(name):
        errors["name"] = "Give the tariff a name."
    rate_value = parse_money(rate, "rate", errors)
    cap = parse_money(cap_per_quarter, "cap_per_quarter", errors, required=False)
    pot_value = parse_money(pot, "pot", errors, required=False)
    if starts is None:
        errors["starts"] = "Enter the date the tariff starts."
    elif ends is not None and ends < starts:
        errors["ends"] = "The end date must be on or after the start date."
    bands = list(dict.fromkeys(size_bands))
    if any(b not in SizeBand.values for b in bands):
        errors["size_bands"] = f"Size bands are: {', '.join(SizeBand.values)}."
    if errors:
        raise InvalidInput(errors)
    tariff = Tariff.objects.create(
        funder=funder,
        name=_text(name)[:200],
        rate=rate_value,
        starts=starts,
        ends=ends,
        size_bands=bands,
        cap_per_quarter=cap,
        pot=pot_value,
        created_by=by,
    )
    record_event(
        by=by,
        action="funding_tariff_created",
        object_type="funding_tariff",
        object_id=tariff.pk,
        summary=f"funder={funder.pk} rate={rate_value}",
    )
    return tariff


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(first, dt.time.min, tzinfo=tz),
        dt.datetime.combine(following, dt.time.min, tzinfo=tz),
    )


def quarter_start(month: dt.date) -> dt.date:
    return dt.date(month.year, 3 * ((month.month - 1) // 3) + 1, 1)


def people_started(month: dt.date) -> dict[int, int]:
    """{organisation id: people whose connection to one of its listings reached
    attended_first in the month}: one aggregate over the connection history."""
    start, end = month_bounds(month)
    t = lambda model: model._meta.db_table  # noqa: E731
    sql = f"""
SELECT a.organisation_id, COUNT(DISTINCT r.person_id)
  FROM {t(ConnectionEvent)} e
  JOIN {t(Connection)} c ON c.id = e.connection_id
  JOIN {t(Asset)} a ON a.id = c.asset_id
  JOIN {t(Referral)} r ON r.id = c.referral_id
 WHERE e.to_status = %s AND e.at >= %s AND e.at < %s AND a.organisation_id IS NOT NULL
 GROUP BY a.organisation_id
"""
    params = [
        referral_transitions.ATTENDED_FIRST,
        db.ops.adapt_datetimefield_value(start),
        db.ops.adapt_datetimefield_value(end),
    ]

    return dict(run_sql(sql, params))


def _applies(tariff: Tariff, month: dt.date) -> bool:
    return tariff.starts <= month_bounds(month)[1].date() - dt.timedelta(days=1) and (
        tariff.ends is None or tariff.ends >= month
    )


@transaction.atomic
def compute_statements(
    *,
    tariff: Tariff,
    month: dt.date,
    by: AbstractBaseUser | None,
    started: dict[int, int] | None = None,
) -> int:
    """This month's statement for every group with people started (and eligible by size
    band). Idempotent: due statements are recomputed, approved or paid ones stay as they
    were, so running it twice never pays twice. Each group's amount is capped by what is
    left of its quarter's cap, then all of them by what is left of the pot (groups in
    the order of their id, so the result is the same every time)."""
    month = month.replace(day=1)
    tariff = Tariff.objects.select_for_update().get(pk=tariff.pk)
    if not _applies(tariff, month):
        return 0
    started = people_started(month) if started is None else started
    if tariff.size_bands:
        eligible = set(
            GroupSize.objects.filter(size_band__in=tariff.size_bands).values_list(
                "organisation_id", flat=True
            )
        )
        started = {org: n for org, n in started.items() if org in eligible}
    # Plain tuples, not model instances: thousands of groups are read on every run.
    columns = ("pk", "organisation_id", "status", *values_fields()[:-1])
    existing = {
        row[1]: dict(zip(columns, row, strict=True))
        for row in Statement.objects.filter(tariff=tariff, month=month).values_list(*columns)
    }
    earlier_in_quarter = dict(
        Statement.objects.filter(tariff=tariff, month__gte=quarter_start(month), month__lt=month)
        .values_list("organisation_id")
        .annotate(total=Sum("amount_due"))
        .order_by()
    )
    pot_used = (
        Statement.objects.filter(tariff=tariff)
        .exclude(month=month)
        .aggregate(t=Sum("amount_due"))["t"]
        or ZERO
    )
    frozen = [s for s in existing.values() if s["status"] != StatementStatus.DUE]
    pot_left = (
        None if tariff.pot is None else tariff.pot - pot_used - sum(s["amount_due"] for s in frozen)
    )
    now = timezone.now()
    new, changed, gone = [], [], []
    due_now = {o for o, s in existing.items() if s["status"] == StatementStatus.DUE}
    for org in sorted(set(started) | due_now):
        statement = existing.get(org)
        if statement is not None and statement["status"] != StatementStatus.DUE:
            continue
        people = started.get(org, 0)
        if people == 0:
            gone.append(statement["pk"])
            continue
        uncapped = (tariff.rate * people).quantize(PENNY)
        due = uncapped
        if tariff.cap_per_quarter is not None:
            due = min(due, max(ZERO, tariff.cap_per_quarter - earlier_in_quarter.get(org, ZERO)))
        if pot_left is not None:
            due = min(due, max(ZERO, pot_left))
            pot_left -= due
        values = {
            "people_started": people,
            "uncapped_amount": uncapped,
            "amount_due": due,
            "capped": due < uncapped,
        }
        if statement is None:
            new.append(
                Statement(
                    tariff=tariff, organisation_id=org, month=month, computed_at=now, **values
                )
            )
        elif any(statement[f] != v for f, v in values.items()):
            changed.append(Statement(pk=statement["pk"], computed_at=now, **values))
    Statement.objects.bulk_create(new, batch_size=1000)
    if changed:
        Statement.objects.bulk_update(changed, list(values_fields()), batch_size=1000)
    if gone:
        Statement.objects.filter(pk__in=gone, status=StatementStatus.DUE).delete()
    record_event(
        by=by,
        action="funding_statements_computed",
        object_type="funding_tariff",
        object_id=tariff.pk,
        summary=f"month={month:%Y-%m} new={len(new)} updated={len(changed)}",
    )
    return len(new) + len(changed)


def values_fields() -> tuple[str, ...]:
    return ("people_started", "uncapped_amount", "amount_due", "capped", "computed_at")


def compute_month(*, month: dt.date, tariffs: list[Tariff], by: AbstractBaseUser | None) -> None:
    """Every tariff's statements for the month, with one count of people started."""
    live = [t for t in tariffs if _applies(t, month.replace(day=1))]
    if not live:
        return
    started = people_started(month.replace(day=1))
    for tariff in live:
        compute_statements(tariff=tariff, month=month, by=by, started=started)


def _own_statement(statement: Statement, by: AbstractBaseUser) -> Statement:

    if not has_permission(by, Perm.GRANT_RECORD, organisation=statement.tariff.funder_id):
        raise Statement.DoesNotExist("Not found.")
    return Statement.objects.select_for_update().get(pk=statement.pk)


@transaction.atomic
def approve_statement(*, statement: Statement, by: AbstractBaseUser) -> Statement:
    """The funder approves what is due; from then on it is not recomputed."""
    statement = _own_statement(statement, by)
    if statement.status != StatementStatus.DUE:
        raise Conflict(
            f"This statement is already {statement.status}.", current_state=statement.status
        )
    statement.status, statement.approved_by, statement.approved_at = (
        StatementStatus.APPROVED,
        by,
        timezone.now(),
    )
    statement.save()
    record_event(
        by=by,
        action="funding_statement_approved",
        object_type="funding_statement",
        object_id=statement.pk,
        summary=f"amount={statement.amount_due}",
    )
    return statement


@transaction.atomic
def mark_statement_paid(*, statement: Statement, reference: str, by: AbstractBaseUser) -> Statement:
    """An approved statement, paid (once)."""
    statement = _own_statement(statement, by)
    if statement.status != StatementStatus.APPROVED:
        raise Conflict(
            "Only an approved statement can be marked paid (and only once).",
            current_state=statement.status,
        )
    if not _text(reference):
        raise InvalidInput({"reference": "Enter the payment reference from your finance system."})
    statement.status, statement.paid_at = StatementStatus.PAID, timezone.now()
    statement.paid_reference = _text(reference)[:100]
    statement.save()
    record_event(
        by=by,
        action="funding_statement_paid",
        object_type="funding_statement",
        object_id=statement.pk,
        summary=f"amount={statement.amount_due}",
    )
    return statement


def bring_statements_up_to_date(*, viewer: AbstractBaseUser, month: dt.date) -> None:
    """Before a month is shown: a funder's tariffs are recomputed (idempotent: approved
    and paid statements never change); for a group, a tariff nobody has worked out for
    the month yet is, once. Months that have not started are left alone."""

    if month > timezone.localdate():
        return
    if has_permission(viewer, Perm.GRANT_RECORD):
        # Imported here: selectors import funding.services (access), a cycle at the top.
        from linkwork.funding.selectors import tariffs_visible_to

        compute_month(month=month, tariffs=list(tariffs_visible_to(viewer)), by=viewer)
    elif has_permission(viewer, Perm.GRANT_APPLY):
        done = Statement.objects.filter(month=month).values("tariff_id")
        fresh = list(Tariff.objects.exclude(pk__in=done))
        if fresh:
            compute_month(month=month, tariffs=fresh, by=viewer)
