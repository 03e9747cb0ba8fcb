"""Gaps: where demand outruns supply, scored and ranked, each with its evidence in words."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from linkwork.bulk import no_cyclic_gc
from linkwork.directory.models import Vocabulary
from linkwork.disclosure import publish_counts
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
# `GapRow.suppressed` for each combination of withheld counts, by bit: demand 1, unmet 2,
# waitlisted 4, interests 8, need 16 (and with need, the score).
SUPPRESSED = tuple(
    tuple(name for bit, name in enumerate(PEOPLE_FIELDS) if mask >> min(bit, 4) & 1)
    for mask in range(32)
)


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
    """The (area, category) cells in scope where anyone asked for something: the non-zero
    cells of the four published tables (each holds exactly the non-zero counts in scope)."""
    published = scope.published
    keys = set(published.referred.cells)
    keys.update(published.unmet.cells, published.waitlisted.cells, published.interests.cells)
    if scope.category is not None:
        keys = {key for key in keys if key[1] == scope.category.id}
    return keys


def _gap_rows(scope: InsightScope, keys: Iterable[Key]) -> list[GapRow]:
    """The rows of `keys`, ranked. A whole ICB's LSOAs make 15,000 of them (England's
    600,000), so this is one pass over the keys with everything a row reads looked up
    once beforehand, tuples rather than objects until the row itself, every row's need
    published in one call, and the ranking's key tuple made beside the row (no function
    per row to sort by). The evidence's facts wait until read (`GapRow.facts`)."""
    areas, categories = scope.areas, scope.categories
    published, raw = scope.published, scope.demand_counts
    referred, unmet_cells = published.referred.cells, published.unmet.cells
    waitlisted_cells, interest_cells = published.waitlisted.cells, published.interests.cells
    raw_unmet, raw_waitlisted = raw.unmet.get, raw.waitlisted.get
    raw_interests = raw.interests.get
    local_supply, wide_supply = scope.supply_counts
    keys = list(keys)
    # Need is totalled unrounded, then published: every row's at once.
    needs = publish_counts(
        [raw_unmet(key, 0) + raw_waitlisted(key, 0) + raw_interests(key, 0) for key in keys],
        scope.rule,
    )
    activity, nothing = Vocabulary.ACTIVITY, (0,) * 7
    # Per category, looked up once: its names, whether demand is interests, the supply of
    # borough-wide listings (which serve every area).
    by_category = {
        pk: (c.code, c.name, c.vocabulary, c.vocabulary == activity, wide_supply.get(pk, nothing))
        for pk, c in categories.items()
    }
    by_area = {pk: (a.code, a.name, a.imd_weight) for pk, a in areas.items()}
    per_week: dict[int, float] = {}  # sessions a year (×52 of a week's) → a week's, rounded
    rows: list[GapRow] = []
    ranks: list[tuple] = []
    add_row, add_rank, local = rows.append, ranks.append, local_supply.get
    for key, need in zip(keys, needs, strict=True):
        area_code, area_name, weight = by_area[key[0]]
        code, name, vocabulary, is_activity, wide = by_category[key[1]]
        unmet = unmet_cells.get(key, 0)
        waitlisted = waitlisted_cells.get(key, 0)
        interests = interest_cells.get(key, 0)
        demand = interests if is_activity else referred.get(key, 0)
        # Local and borough-wide supply added up here rather than through `supply_for`
        # (same sums), which would make an object per row that the row does not keep.
        mine = local(key, nothing)
        sessions = mine[4] + wide[4]
        open_sessions = per_week.get(sessions)
        if open_sessions is None:
            open_sessions = per_week[sessions] = round(sessions / 52, 2)
        # gap_score, inline
        score = None if need is None else round(weight * need / (open_sessions + 1), 2)
        # Which people counts are withheld (score is withheld with need): one shared tuple
        # per combination rather than one made per row.
        suppressed = SUPPRESSED[
            (demand is None)
            | (unmet is None) << 1
            | (waitlisted is None) << 2
            | (interests is None) << 3
            | (need is None) << 4
        ]
        add_row(
            GapRow(
                area_code,
                area_name,
                code,
                name,
                vocabulary,
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
                weight,
                score,
                suppressed,
                (scope, key),
            )
        )
        # Biggest score first; withheld scores after every published one.
        add_rank((score is None, -(score or 0), -(need or 0), -(demand or 0), area_name, name))
    # Sorting positions by rank is stable: rows that tie stay in the keys' order.
    return [rows[i] for i in sorted(range(len(rows)), key=ranks.__getitem__)]


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


def gaps(scope: InsightScope, *, limit: int | None = None) -> list[GapRow]:
    """Every area × category in scope where anyone asked for something in the period,
    biggest gap first (see `GapRow` for the score). `limit` keeps the top rows."""
    with no_cyclic_gc():
        scope.fetch_aggregates()
        rows = _gap_rows(scope, _gap_keys(scope))
    return rows[:limit] if limit is not None else rows
