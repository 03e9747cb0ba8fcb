"""Gaps: where demand outruns supply, scored and ranked, each with its evidence in words."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from linkwork.bulk import no_cyclic_gc
from linkwork.directory.models import Vocabulary
from linkwork.disclosure import (
    publish_count,
)
from linkwork.insight import queries
from linkwork.insight.evidence import GapFacts, gap_evidence
from linkwork.insight.selectors.scope import (
    InsightScope,
    Key,
    _cell,
    _protecting,
)

# --- Gaps -------------------------------------------------------------------------------


@dataclass(slots=True)
class GapRow:
    """One area × category where people asked for something. (Read-only by convention:
    slots, not frozen, because reports build tens of thousands of these.)

    Counts of people (published; None = withheld, named in `suppressed`):
      demand     people who asked: referred with this need (need categories), or who
                 registered interest in this activity (activity types)
      unmet      people with an unmet need in this category
      waitlisted people put on a waiting list by a listing in this category
      interests  open interests in this activity type ("would join if it existed")
      need       unmet + waitlisted + interests, totalled unrounded, then published
    Supply (not about people, exact): listings serving the area in this category
      (`supply`), of them open (`open_listings`) and full/paused/waiting list
      (`closed_listings`), open sessions a week, and stale listings.
    score = imd_weight × need ÷ (open sessions a week + 1); None when need is withheld.
    """

    area_code: str
    area_name: str
    category: str
    category_name: str
    vocabulary: str
    demand: int | None
    unmet: int | None
    waitlisted: int | None
    interests: int | None
    need: int | None
    supply: int
    open_listings: int
    closed_listings: int
    open_sessions_per_week: float
    stale_listings: int
    imd_weight: float
    score: float | None
    suppressed: tuple[str, ...]
    # What `evidence` is written from, (scope, key): the facts and the words are made when
    # first read, so a report of thousands of rows writes them only for the rows read.
    source: tuple["InsightScope", Key] = field(repr=False, compare=False)
    _evidence: str | None = field(default=None, repr=False, compare=False)

    @property
    def facts(self) -> GapFacts:
        return _gap_facts(*self.source, self)

    @property
    def evidence(self) -> str:
        """The gap in words, every number a published figure (see evidence.py)."""
        if self._evidence is None:
            self._evidence = gap_evidence(self.facts, self.source[0].rule)
        return self._evidence


PEOPLE_FIELDS = ("demand", "unmet", "waitlisted", "interests", "need", "score")


def gap_score(need: int | None, open_sessions_per_week: float, imd_weight: float) -> float | None:
    """Unmet demand per open session a week (+1, so no provision at all scores highest
    rather than dividing by zero), weighted by deprivation. From published counts only."""
    if need is None:
        return None
    return round(imd_weight * need / (open_sessions_per_week + 1), 2)


def _top_reason(scope: InsightScope, key: Key) -> tuple[str, int] | None:
    table = scope.published.unmet_by_reason
    best = None
    for reason in queries.UNMET_REASONS:
        value = _cell(table, key, reason)
        if value and (best is None or value > best[1]):
            best = (reason, value)
    return best


def _gap_keys(scope: InsightScope) -> set[Key]:
    counts = scope.demand_counts
    keys: set[Key] = set()
    for measure in (counts.referred, counts.unmet, counts.waitlisted, counts.interests):
        keys.update(key for key, n in measure.items() if n)
    areas, terms = scope.areas, scope.categories
    keys = {key for key in keys if key[0] in areas and key[1] in terms}
    if scope.category is not None:
        keys = {key for key in keys if key[1] == scope.category.id}
    return keys


def _gap_rows(scope: InsightScope, keys: Iterable[Key]) -> Iterable[GapRow]:
    """The rows of `keys`. A whole ICB's LSOAs make 15,000 of them, so everything a row
    reads is looked up once here, and only what its fields and ranking need is worked
    out: the evidence's facts wait until read (`GapRow.facts`)."""
    areas, categories, rule = scope.areas, scope.categories, scope.rule
    published, raw = scope.published, scope.demand_counts
    referred, unmet_cells = published.referred.cells, published.unmet.cells
    waitlisted_cells, interest_cells = published.waitlisted.cells, published.interests.cells
    raw_unmet, raw_waitlisted, raw_interests = raw.unmet, raw.waitlisted, raw.interests
    local_supply, wide_supply = scope.supply_counts
    activity, nothing = Vocabulary.ACTIVITY, (0,) * 7
    for key in keys:
        area, category = areas[key[0]], categories[key[1]]
        unmet = unmet_cells.get(key, 0)
        waitlisted = waitlisted_cells.get(key, 0)
        interests = interest_cells.get(key, 0)
        demand = interests if category.vocabulary == activity else referred.get(key, 0)
        # Totalled unrounded, then published.
        need = publish_count(
            raw_unmet.get(key, 0) + raw_waitlisted.get(key, 0) + raw_interests.get(key, 0),
            rule,
        )
        # Local and borough-wide supply added up here rather than through `supply_for`
        # (same sums), which would make an object per row that the row does not keep.
        mine, wide = local_supply.get(key, nothing), wide_supply.get(key[1], nothing)
        open_sessions = round((mine[4] + wide[4]) / 52, 2)
        score = gap_score(need, open_sessions, area.imd_weight)
        values = (demand, unmet, waitlisted, interests, need, score)
        yield GapRow(
            area.code,
            area.name,
            category.code,
            category.name,
            category.vocabulary,
            demand,
            unmet,
            waitlisted,
            interests,
            need,
            mine[0] + wide[0],
            mine[1] + wide[1],
            mine[2] + wide[2],
            open_sessions,
            mine[6] + wide[6],
            area.imd_weight,
            score,
            ()
            if None not in values
            else tuple(
                [name for name, value in zip(PEOPLE_FIELDS, values, strict=True) if value is None]
            ),
            (scope, key),
        )


def _gap_facts(scope: InsightScope, key: Key, row: GapRow) -> GapFacts:
    published = scope.published
    demand_table = (
        published.interests if row.vocabulary == Vocabulary.ACTIVITY else published.referred
    )
    tables = {
        "demand": demand_table,
        "unmet": published.unmet,
        "waitlisted": published.waitlisted,
        "interests": published.interests,
    }
    return GapFacts(
        area_name=row.area_name,
        category_name=row.category_name,
        vocabulary=row.vocabulary,
        period_words=scope.period.words,
        demand=row.demand,
        unmet=row.unmet,
        top_unmet_reason=_top_reason(scope, key) if row.unmet else None,
        waitlisted=row.waitlisted,
        interests=row.interests,
        supply=scope.supply_for(key),
        hidden_to_protect=frozenset(n for n, table in tables.items() if _protecting(table, *key)),
    )


def _rank_key(row: GapRow) -> tuple:
    # Biggest score first; withheld scores after every published one.
    return (
        row.score is None,
        -(row.score or 0),
        -(row.need or 0),
        -(row.demand or 0),
        row.area_name,
        row.category_name,
    )


def gaps(scope: InsightScope, *, limit: int | None = None) -> list[GapRow]:
    """Every area × category in scope where anyone asked for something in the period,
    biggest gap first (see `GapRow` for the score). `limit` keeps the top rows."""
    with no_cyclic_gc():
        scope.fetch_aggregates()
        rows = sorted(_gap_rows(scope, _gap_keys(scope)), key=_rank_key)
    return rows[:limit] if limit is not None else rows
