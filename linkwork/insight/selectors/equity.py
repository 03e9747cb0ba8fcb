"""Equity: referral, connection and improvement rates per 1,000 residents by IMD
decile, age band, sex and ethnicity."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_noop

from linkwork.disclosure import (
    publish_rate,
)
from linkwork.errors import InvalidInput
from linkwork.insight import queries
from linkwork.insight.selectors.scope import (
    InsightScope,
    _cell,
    _publish,
)
from linkwork.outcomes import evaluation
from linkwork.outcomes.models import Response
from linkwork.outcomes.scoring import IMPROVED
from linkwork.periods import Period
from linkwork.places.models import AGE_BANDS

# --- Equity -----------------------------------------------------------------------------


@dataclass(frozen=True)
class EquityRow:
    """One group of residents (an IMD decile, age band, sex or recorded ethnicity).

    population: residents (census/ONS estimates; None when not loaded for the group);
    referred / connected / improved: published counts of people referred in the period,
    of them who went to a group at least once, and whose outcome measure improved;
    *_rate: per 1,000 residents, from the published count (None when the count is
    withheld or there is no population figure)."""

    group: str
    label: str
    population: int | None
    referred: int | None
    referral_rate: float | None
    connected: int | None
    connection_rate: float | None
    improved: int | None
    improvement_rate: float | None
    suppressed: tuple[str, ...]


@dataclass(frozen=True)
class EquityReport:
    dimension: str
    label: str
    period: Period
    rows: list[EquityRow]
    total: EquityRow
    outcomes_available: bool  # False while no outcome questionnaire has been recorded


EQUITY_MEASURES = ("referred", "connected", "improved")
RATE_NAMES = {
    "referred": "referral_rate",
    "connected": "connection_rate",
    "improved": "improvement_rate",
}


def improved_people(period: Period) -> set[int] | None:
    """Ids of people referred in the period whose latest paired questionnaire improved on
    at least one measure — the evaluation room's rule (linkwork.outcomes.evaluation:
    each publisher's change threshold; contact measures such as GP visits left out).
    None when no questionnaire has been recorded at all (improvement not reported)."""
    if not Response.objects.exists():
        return None
    latest: dict[int, object] = {}
    for episode in evaluation.load_episodes(period, None):  # oldest first
        if episode.questionnaire_changes:
            latest[episode.person_id] = episode
    return {
        person
        for person, episode in latest.items()
        if any(
            change.verdict == IMPROVED
            for key, change in episode.changes.items()
            if key not in evaluation.CONTACT_MEASURES
        )
    }


def _equity_groups(dimension: str, found: Iterable[str]) -> list[tuple[str, str]]:
    if dimension == "imd_decile":
        labels = {"1": gettext_noop("1 (most deprived)"), "10": gettext_noop("10 (least deprived)")}
        listed = [(str(d), labels.get(str(d), str(d))) for d in range(1, 11)]
    elif dimension == "age_band":
        listed = [(band, band) for band in AGE_BANDS]
    elif dimension == "sex":
        listed = [
            ("female", gettext_noop("Female")),
            ("male", gettext_noop("Male")),
            ("other", gettext_noop("Other")),
        ]
    else:
        listed = [(group, group) for group in sorted(set(found) - {queries.NOT_KNOWN})]
    return [
        *listed,
        (
            queries.NOT_KNOWN,
            gettext_noop("Not known") if dimension != "ethnicity" else gettext_noop("Not recorded"),
        ),
    ]


def equity(scope: InsightScope, dimension: str) -> EquityReport:
    """Referral, connection and outcome-improvement rates per 1,000 residents by
    `dimension` ("imd_decile", "age_band", "sex", "ethnicity"), against the population."""
    if dimension not in queries.DIMENSIONS:
        raise InvalidInput({"dimension": f"Choose one of: {', '.join(queries.DIMENSIONS)}."})
    improved = improved_people(scope.period)
    counts = queries.equity_counts(dimension, scope.period, scope.lsoa_ids, AGE_BANDS, improved)
    population = queries.population_by(dimension, scope.lsoa_ids)
    groups = _equity_groups(dimension, counts)
    tables = {
        measure: _publish({(group, measure): n[i] for group, n in counts.items()}, scope.rule)
        for i, measure in enumerate(EQUITY_MEASURES)
    }

    def row(group: str, label: str, raw: tuple, cells: dict, residents: int | None) -> EquityRow:
        values: dict[str, object] = {}
        for i, measure in enumerate(EQUITY_MEASURES):
            cell = None if measure == "improved" and improved is None else cells[measure]
            rate = None
            if cell is not None and residents:
                rate = publish_rate(raw[i], residents, rule=scope.rule)
            values[measure], values[RATE_NAMES[measure]] = cell, rate
        withheld = tuple(m for m in EQUITY_MEASURES if cells[m] is None)
        return EquityRow(
            group=group, label=label, population=residents, suppressed=withheld, **values
        )

    rows = [
        row(
            group,
            label,
            counts.get(group, (0, 0, 0)),
            {m: _cell(tables[m], group, m) for m in EQUITY_MEASURES},
            population.get(group),
        )
        for group, label in groups
    ]
    total_raw = tuple(sum(n[i] for n in counts.values()) for i in range(3))
    total_cells = {m: (tables[m].grand_total if tables[m].rows else 0) for m in EQUITY_MEASURES}
    total = row(
        "all", gettext_noop("Everyone"), total_raw, total_cells, sum(population.values()) or None
    )
    return EquityReport(
        dimension=dimension,
        label=queries.DIMENSIONS[dimension].label,
        period=scope.period,
        rows=rows,
        total=total,
        outcomes_available=improved is not None,
    )
