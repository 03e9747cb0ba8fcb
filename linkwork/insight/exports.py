"""CSV-ready tables of the insight selectors: a header row, then one row per line.

Every value is already published (see selectors.py): a withheld count is written `*`
(DESIGN.md §5), numbers without thousands separators so spreadsheets read them as
numbers. `csv_text(rows)` turns any of these into the text of a CSV file.
"""

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from linkwork.csvsafe import Writer, neutralise
from linkwork.disclosure import active_rule
from linkwork.insight.selectors import (
    AreaValue,
    DemandReport,
    EquityReport,
    GapRow,
    GroupLoadRow,
    SupplyRow,
)

WITHHELD = "*"


def _value(value: object) -> str:
    if value is None:
        return WITHHELD
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        # Every digit, never an exponent: `:g` wrote £1,250,000.50 as 1.25e+06.
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    return str(value)


def withheld_note() -> str:
    """What `*` means, for the page or README beside a download (not inside the CSV, so
    every row of the file is data)."""
    rule = active_rule()
    return (
        f"{WITHHELD} = withheld: fewer than {rule.threshold} people, or hidden so that such a "
        f"number cannot be worked out. Counts of people are rounded to the nearest "
        f"{rule.rounding}."
    )


def gaps_csv(rows: Sequence[GapRow]) -> list[list[str]]:
    header = [
        "rank",
        "area_code",
        "area_name",
        "category",
        "category_name",
        "demand",
        "unmet",
        "waitlisted",
        "interests",
        "need",
        "supply",
        "open_listings",
        "closed_listings",
        "open_sessions_per_week",
        "stale_listings",
        "imd_weight",
        "score",
        "evidence",
    ]
    body = [
        [str(rank), *(_value(getattr(row, name)) for name in header[1:])]
        for rank, row in enumerate(rows, start=1)
    ]
    return [header, *body]


def demand_csv(report: DemandReport) -> list[list[str]]:
    reasons = sorted({reason for row in report.rows for reason in row.unmet_by_reason})
    header = [
        "area_code",
        "area_name",
        "category",
        "category_name",
        "referred",
        "declined",
        "returned",
        "unmet",
        *(f"unmet_{reason}" for reason in reasons),
        "waitlisted",
        "interests",
    ]
    body = []
    for row in report.rows:
        by_reason = [_value(row.unmet_by_reason.get(reason, 0)) for reason in reasons]
        body.append(
            [
                _value(row.area_code),
                _value(row.area_name),
                row.category,
                _value(row.category_name),
                _value(row.referred),
                _value(row.declined),
                _value(row.returned),
                _value(row.unmet),
                *by_reason,
                _value(row.waitlisted),
                _value(row.interests),
            ]
        )
    return [header, *body]


def supply_csv(rows: Sequence[SupplyRow]) -> list[list[str]]:
    header = [
        "area_code",
        "area_name",
        "category",
        "category_name",
        "listings",
        "borough_wide_listings",
        "open_listings",
        "closed_listings",
        "sessions_per_week",
        "open_sessions_per_week",
        "open_places_per_week",
        "stale_listings",
    ]
    return [header, *([_value(getattr(row, name)) for name in header] for row in rows)]


def equity_csv(report: EquityReport) -> list[list[str]]:
    header = [
        report.dimension,
        "label",
        "population",
        "referred",
        "referral_rate_per_1000",
        "connected",
        "connection_rate_per_1000",
        "improved",
        "improvement_rate_per_1000",
    ]
    fields = [
        "group",
        "label",
        "population",
        "referred",
        "referral_rate",
        "connected",
        "connection_rate",
        "improved",
        "improvement_rate",
    ]
    body = [[_value(getattr(row, f)) for f in fields] for row in [*report.rows, report.total]]
    return [header, *body]


def group_load_csv(rows: Sequence[GroupLoadRow]) -> list[list[str]]:
    header = [
        "organisation",
        "referrals_received",
        "accepted",
        "attending",
        "grants",
        "grants_total_pounds",
        "unfunded_with_load",
    ]
    fields = [
        "organisation_name",
        "referrals_received",
        "accepted",
        "attending",
        "grants",
        "grants_total",
        "unfunded_with_load",
    ]
    return [header, *([_value(getattr(row, f)) for f in fields] for row in rows)]


def area_values_csv(values: Sequence[AreaValue], measure: str) -> list[list[str]]:
    header = ["area_code", "area_name", measure, "category"]
    body = [
        [_value(v.area_code), _value(v.area_name), _value(v.value), v.category or ""]
        for v in values
    ]
    return [header, *body]


def csv_text(rows: Iterable[Sequence[str]]) -> str:
    out = io.StringIO()
    Writer(out).writerows(rows)
    return out.getvalue()
