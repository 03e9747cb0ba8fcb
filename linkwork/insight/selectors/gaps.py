"""Gaps: where demand outruns supply, scored and ranked, each with its evidence in words."""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import overload

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


def _gap_rows(scope: InsightScope, keys: Iterable[Key]) -> "GapRows":
    """The rows of `keys`, ranked, each built when first read (`GapRows`). A whole ICB's
    LSOAs make 15,000 of them (England's 600,000), and a page or an API call reads a few
    dozen: so only what the ranking needs is worked out for every key here.

    The rank is (withheld need last; biggest score, need, demand first; then area and
    category name), rows that tie in the keys' order. Worked out in three groups, each
    sorted on its own and put one after the other in that order: rows with a published
    need (scored), rows with none (score 0), rows whose need is withheld (no score).
    Only the scored ones need their supply. Within the two big groups (most rows: people
    referred and nothing else) the rank is one integer, -demand then the names' places
    in name order, so sorting compares integers rather than tuples of strings."""
    build = _RowBuilder(scope)
    referred, interest_cells = build.referred, build.interest_cells
    by_area, by_category, local = build.by_area, build.by_category, build.local
    nothing, per_week = build.nothing, build.per_week
    keys = list(keys)
    wanted = set(keys)
    # Need is totalled unrounded, then published: only keys with any need (a missing one
    # is 0, published 0), all at once.
    raw = scope.demand_counts
    totals: dict[Key, int] = {}
    for table in (raw.unmet, raw.waitlisted, raw.interests):
        for key, n in table.items():
            if n and key in wanted:
                totals[key] = totals.get(key, 0) + n
    need_of = dict(zip(totals, publish_counts(totals.values(), scope.rule), strict=True)).get
    # Names' places in name order (equal names share one): the rank's integer.
    area_names = {name: i for i, name in enumerate(sorted({a[1] for a in by_area.values()}))}
    category_names = {
        name: i for i, name in enumerate(sorted({c[1] for c in by_category.values()}))
    }
    span = len(category_names)
    area_place = {pk: area_names[a[1]] * span for pk, a in by_area.items()}
    category_place = {pk: category_names[c[1]] for pk, c in by_category.items()}
    per_demand = len(area_names) * span  # above any area and category place
    activity = {pk for pk, c in by_category.items() if c[3]}
    interest_of, referred_of = interest_cells.get, referred.get
    groups: tuple[tuple[list, list], ...] = (([], []), ([], []), ([], []))
    scored, none, withheld = groups
    for key in keys:
        area, category = key
        demand = (interest_of if category in activity else referred_of)(key, 0) or 0
        rank = area_place[area] + category_place[category] - demand * per_demand
        need = need_of(key, 0)
        if need is None:
            withheld[0].append(key)
            withheld[1].append(rank)
        elif not need:
            # Score 0: the supply cannot move the rank, so it is not looked up.
            none[0].append(key)
            none[1].append(rank)
        else:
            sessions = local(key, nothing)[4] + by_category[category][4][4]
            open_sessions = per_week.get(sessions)
            if open_sessions is None:
                open_sessions = per_week[sessions] = round(sessions / 52, 2)
            # gap_score, inline; the row recomputes it the same way when it is built.
            score = round(by_area[area][2] * need / (open_sessions + 1), 2)
            scored[0].append(key)
            scored[1].append((-score, -need, rank))
    ranked: list[Key] = []
    for group, ranks in groups:
        # Sorting positions by rank is stable: rows that tie stay in the keys' order.
        ranked.extend([group[i] for i in sorted(range(len(group)), key=ranks.__getitem__)])
    needs = [need_of(key, 0) for key in ranked[: len(scored[0])]]
    needs.extend([0] * len(none[0]))
    needs.extend([None] * len(withheld[0]))
    return GapRows(build, ranked, needs)


class _RowBuilder:
    """What building a gap row reads, looked up once per report: each area's and
    category's figures, the published cells, the supply (local and borough-wide)."""

    def __init__(self, scope: InsightScope) -> None:
        self.scope = scope
        published = scope.published
        self.referred, self.unmet_cells = published.referred.cells, published.unmet.cells
        self.waitlisted_cells = published.waitlisted.cells
        self.interest_cells = published.interests.cells
        local_supply, wide_supply = scope.supply_counts
        self.local, self.nothing = local_supply.get, (0,) * 7
        activity = Vocabulary.ACTIVITY
        # Per category: its names, whether demand is interests, the supply of borough-wide
        # listings (which serve every area).
        self.by_category = {
            pk: (
                c.code,
                c.name,
                c.vocabulary,
                c.vocabulary == activity,
                wide_supply.get(pk, self.nothing),
            )
            for pk, c in scope.categories.items()
        }
        self.by_area = {pk: (a.code, a.name, a.imd_weight) for pk, a in scope.areas.items()}
        self.per_week: dict[int, float] = {}  # sessions a year (×52 of a week's) → a week's

    def rows(self, keys: Iterable[Key], needs: Iterable[int | None]) -> list[GapRow]:
        scope, by_area, by_category = self.scope, self.by_area, self.by_category
        referred, unmet_cells = self.referred, self.unmet_cells
        waitlisted_cells, interest_cells = self.waitlisted_cells, self.interest_cells
        local, nothing, per_week = self.local, self.nothing, self.per_week
        rows: list[GapRow] = []
        add_row = rows.append
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
            score = None if need is None else round(weight * need / (open_sessions + 1), 2)
            # Which people counts are withheld (score is withheld with need): one shared
            # tuple per combination rather than one made per row.
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
        return rows


class GapRows(Sequence[GapRow]):
    """A report's gap rows, ranked, each built when first read and kept: a page or an API
    call building only the rows it shows; a CSV or the map reads them all, in chunks
    built with the cyclic GC paused (see `gaps`). Compares equal to a list of the same
    rows."""

    CHUNK = 4096

    def __init__(self, build: _RowBuilder, keys: list[Key], needs: list[int | None]) -> None:
        self._build, self._keys, self._needs = build, keys, needs
        self._made: list[GapRow | None] = [None] * len(keys)

    def __len__(self) -> int:
        return len(self._keys)

    def _make(self, start: int, stop: int) -> list[GapRow]:
        made = self._made
        if any(row is None for row in made[start:stop]):
            with no_cyclic_gc():
                built = self._build.rows(self._keys[start:stop], self._needs[start:stop])
            # A row read before keeps its identity (its evidence may be written already).
            made[start:stop] = [
                old or new for old, new in zip(made[start:stop], built, strict=True)
            ]
        return made[start:stop]  # type: ignore[return-value]

    @overload
    def __getitem__(self, index: int) -> GapRow: ...
    @overload
    def __getitem__(self, index: slice) -> list[GapRow]: ...
    def __getitem__(self, index: int | slice) -> GapRow | list[GapRow]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            return self._make(start, stop) if start < stop else []
        position = index + len(self) if index < 0 else index
        if not 0 <= position < len(self):
            raise IndexError("gap row index out of range")
        return self._make(position, position + 1)[0]

    def __iter__(self) -> Iterator[GapRow]:
        for start in range(0, len(self), self.CHUNK):
            yield from self._make(start, start + self.CHUNK)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, GapRows | list | tuple):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<GapRows: {len(self):,} rows>"


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


def gaps(scope: InsightScope, *, limit: int | None = None) -> Sequence[GapRow]:
    """Every area × category in scope where anyone asked for something in the period,
    biggest gap first (see `GapRow` for the score): `GapRows`, each row built when first
    read. `limit` keeps the top rows (a list)."""
    with no_cyclic_gc():
        scope.fetch_aggregates()
        rows = _gap_rows(scope, _gap_keys(scope))
    return rows[:limit] if limit is not None else rows
