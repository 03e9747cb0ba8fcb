"""Reads for neighbourhood intelligence: demand, supply, gaps, equity, load and investment.

How to use (views, API, CSV):

    scope = insight_scope(level="neighbourhood", period="2025-Q1", area="E01004817",
                          category="need-money-debt")   # raw query values; 422 naming a field
    rows = gaps(scope)                                    # list[GapRow], ranked
    report = demand(scope)                                # DemandReport
    listings = supply(scope)                              # list[SupplyRow]
    table = equity(scope, "imd_decile")                   # EquityReport
    groups = group_load(scope)                            # list[GroupLoadRow]
    values = measure_by_area(scope, "gap_score")          # list[AreaValue], for the map

One `InsightScope` caches its SQL aggregates, so a page that shows gaps, demand and the
map from one scope runs each aggregate once.

Disclosure control: every count of people returned here has been through
`linkwork.insight.suppression` (0 stays 0; 1–7 is None; 8+ is rounded to the nearest 5;
totals from unrounded values). The counts of each measure are published as one table over
the areas in scope × every category (`suppress_table`), so a cell reads the same in a gap
row, a demand row and a total, and no total gives a withheld cell away. Rates and scores
are computed from published counts and are None when their count is withheld. Each row
names its withheld fields in `suppressed`. Counts that are not about people (listings,
sessions, places, grants in pounds, residents from the census) are shown as they are.
No person-level data leaves this module: the queries return counts only.

Areas: `level` is "lsoa" or "neighbourhood"; `area` (any area code: LSOA, neighbourhood,
ward, local authority...) limits the report to areas of that level equal to or inside it.
"""

import datetime as dt
import operator
import weakref
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from linkwork.bulk import no_cyclic_gc
from linkwork.directory.models import Organisation, TaxonomyTerm, Vocabulary
from linkwork.errors import InvalidInput
from linkwork.insight import queries
from linkwork.insight.evidence import GapFacts, gap_evidence
from linkwork.insight.geography import AreaInfo, areas_at_level, parse_area, parse_level
from linkwork.insight.periods import Period, parse_period
from linkwork.insight.queries import DemandCounts, SupplyCounts
from linkwork.insight.suppression import (
    DisclosureRule,
    PublishedTable,
    active_rule,
    publish_count,
    publish_rate,
    suppress_table,
)
from linkwork.places.models import AGE_BANDS, Area

Key = tuple[int, int]
NO_SUPPLY = SupplyCounts()  # shared: supply figures are never changed once made
CATEGORY_VOCABULARIES = (Vocabulary.NEED.value, Vocabulary.ACTIVITY.value)


@dataclass(frozen=True)
class Category:
    """A need category or activity type (a TaxonomyTerm)."""

    id: int
    code: str
    name: str
    vocabulary: str  # "need" or "activity"


class InsightScope:
    """What a report covers: one level, one period, optionally one area and category.

    Build it with `insight_scope(...)`. Its aggregates are computed once, on first use.
    """

    def __init__(
        self,
        *,
        level: str,
        period: Period,
        area: Area | None = None,
        category: Category | None = None,
        rule: DisclosureRule | None = None,
    ) -> None:
        self.level = level
        self.period = period
        self.area = area
        self.category = category
        self.rule = rule or active_rule()

    @cached_property
    def areas(self) -> dict[int, AreaInfo]:
        """{area id: AreaInfo} for the areas of the level in scope."""
        return areas_at_level(self.level, within=self.area)

    @cached_property
    def categories(self) -> dict[int, Category]:
        terms = TaxonomyTerm.objects.filter(vocabulary__in=CATEGORY_VOCABULARIES)
        rows = terms.order_by("vocabulary", "name").values_list("id", "code", "name", "vocabulary")
        # Needs first ("need" sorts after "activity"), then activity types.
        ordered = sorted(rows, key=lambda row: (row[3] != Vocabulary.NEED, row[2]))
        return {pk: Category(pk, code, name, vocabulary) for pk, code, name, vocabulary in ordered}

    @cached_property
    def lsoa_ids(self) -> list[int] | None:
        """The LSOAs in scope (None: every LSOA of the deployment)."""
        if self.area is None:
            return None
        from linkwork.places.selectors import lsoas_of

        return list(lsoas_of(self.area).values_list("id", flat=True))

    @cached_property
    def area_ids(self) -> list[int] | None:
        """The areas the SQL is limited to (None: the whole deployment)."""
        return None if self.area is None else list(self.areas)

    @cached_property
    def demand_counts(self) -> DemandCounts:
        return queries.demand_counts(self.level, self.period, self.area_ids)

    @cached_property
    def supply_counts(self) -> tuple[dict[Key, tuple[int, ...]], dict[int, tuple[int, ...]]]:
        """Raw supply figures (see `queries.supply_counts`); read them with `supply_for`."""
        if self._supply_pending is not None:  # being fetched beside demand: wait for it
            return self._supply_pending.result()
        return self._fetch_supply()

    _supply_pending: Future | None = None

    def _fetch_supply(self) -> tuple[dict[Key, tuple[int, ...]], dict[int, tuple[int, ...]]]:
        stale_before = timezone.now() - dt.timedelta(days=settings.LISTING_STALE_AFTER_DAYS)
        return queries.supply_counts(self.level, stale_before, self.area_ids)

    def fetch_aggregates(self) -> None:
        """Start the supply statement on a second connection, then fetch demand.

        The two are independent and each takes a few hundred milliseconds for a whole
        ICB's LSOAs, so a report needing both waits for the slower rather than for the
        sum, and publishes demand (suppression) while supply is still running; reading
        `supply_counts` waits for it. Only on PostgreSQL outside a transaction: a second
        connection could not see a transaction's uncommitted rows (so tests, which run in
        one, fetch one after the other), and SQLite gains nothing. Each is fetched once.
        """
        if self._supply_pending is not None or {"demand_counts", "supply_counts"} & set(
            self.__dict__
        ):
            return
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            return
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="insight-supply")
        self._supply_pending = pool.submit(_on_own_connection, self._fetch_supply)
        pool.shutdown(wait=False)  # the thread ends when the statement has been fetched
        self.demand_counts  # noqa: B018 — fetched here, while supply runs

    @cached_property
    def published(self) -> "PublishedDemand":
        return PublishedDemand(self)

    @cached_property
    def borough_wide_supply(self) -> dict[int, SupplyCounts]:
        """{term id: what borough-wide listings offer}: they serve every area."""
        return {term: SupplyCounts.from_row(row) for term, row in self.supply_counts[1].items()}

    def supply_for(self, key: Key) -> SupplyCounts:
        local, borough_wide = self.supply_counts
        row, wide = local.get(key), borough_wide.get(key[1])
        if row is None:
            return self.borough_wide_supply[key[1]] if wide else NO_SUPPLY
        # One object, not two: a report reads thousands of these.
        return SupplyCounts.from_row(map(operator.add, row, wide) if wide else row)


def _on_own_connection(fetch: Callable[[], object]) -> object:
    """`fetch()` in a worker thread, on that thread's own connection, closed after."""
    try:
        return fetch()
    finally:
        connections.close_all()  # only this thread's: Django's connections are per thread


def insight_scope(
    *,
    level: str | None = None,
    period: str | None = None,
    area: str | None = None,
    category: str | None = None,
) -> InsightScope:
    """A scope from raw query values. Unknown area code, unknown category, bad period or
    level: InvalidInput naming each bad field (422 in the API)."""
    errors: dict[str, str] = {}
    parsed: dict[str, object] = {}
    for name, parse in (
        ("area", lambda: parse_area(area)),
        ("period", lambda: parse_period(period)),
        ("category", lambda: parse_category(category)),
    ):
        try:
            parsed[name] = parse()
        except InvalidInput as error:
            errors.update(error.errors)
    try:
        parsed["level"] = parse_level(level, parsed.get("area"))  # type: ignore[arg-type]
    except InvalidInput as error:
        errors.update(error.errors)
    if errors:
        raise InvalidInput(errors)
    return InsightScope(**parsed)  # type: ignore[arg-type]


def parse_category(code: str | None) -> Category | None:
    """The need category or activity type with this code; None when blank."""
    code = (code or "").strip()
    if not code:
        return None
    term = TaxonomyTerm.objects.filter(code=code, vocabulary__in=CATEGORY_VOCABULARIES).first()
    if term is None:
        raise InvalidInput(
            {"category": f"No need category or activity type has the code “{code[:64]}”."}
        )
    return Category(term.pk, term.code, term.name, term.vocabulary)


def categories() -> list[Category]:
    """Every need category, then every activity type: the choices for `category`."""
    return list(InsightScope(level="lsoa", period=parse_period(None)).categories.values())


# --- Published tables -------------------------------------------------------------------


def _publish(counts: Mapping[tuple, int], rule: DisclosureRule) -> PublishedTable:
    # Rows and columns with nothing in them cannot change what is withheld: leave them out
    # (a missing cell is a true 0), so sparse measures publish quickly.
    return suppress_table({key: n for key, n in counts.items() if n}, rule)


def _cell(table: PublishedTable, row: object, column: object) -> int | None:
    return table.cells.get((row, column), 0)


def _protecting(table: PublishedTable, row: object, column: object) -> bool:
    """Withheld only to protect a smaller figure (secondary suppression)."""
    return (row, column) in table.secondary


class PublishedDemand:
    """Each demand measure published as one table: areas in scope × categories."""

    def __init__(self, scope: InsightScope) -> None:
        # A weak reference: the scope holds this (`InsightScope.published`), and a strong
        # one back would make a cycle that only the cyclic GC frees, which `gaps()` pauses
        # (memory grew by a report's aggregates each time). Only reached through its scope.
        self.scope = weakref.proxy(scope)

    def _in_scope(self, counts: Mapping[Key, int]) -> dict[Key, int]:
        areas, terms = self.scope.areas, self.scope.categories
        return {key: n for key, n in counts.items() if key[0] in areas and key[1] in terms}

    @cached_property
    def people(self) -> PublishedTable:
        """People referred for anything, by area (one column, "people")."""
        counts = self.scope.demand_counts.people
        areas = self.scope.areas
        return _publish(
            {(a, "people"): n for a, n in counts.items() if a in areas}, self.scope.rule
        )

    def _measure(self, name: str) -> PublishedTable:
        return _publish(self._in_scope(getattr(self.scope.demand_counts, name)), self.scope.rule)

    @cached_property
    def referred(self) -> PublishedTable:
        return self._measure("referred")

    @cached_property
    def declined(self) -> PublishedTable:
        return self._measure("declined")

    @cached_property
    def returned(self) -> PublishedTable:
        return self._measure("returned")

    @cached_property
    def unmet(self) -> PublishedTable:
        return self._measure("unmet")

    @cached_property
    def waitlisted(self) -> PublishedTable:
        return self._measure("waitlisted")

    @cached_property
    def interests(self) -> PublishedTable:
        return self._measure("interests")

    @cached_property
    def unmet_by_reason(self) -> PublishedTable:
        """Rows: (area id, term id); columns: reasons. A row's total is that cell's unmet
        needs counted once per reason (a person with two reasons counts under both)."""
        areas, terms = self.scope.areas, self.scope.categories
        counts = {
            ((area, term), reason): n
            for (area, term, reason), n in self.scope.demand_counts.unmet_by_reason.items()
            if area in areas and term in terms
        }
        return _publish(counts, self.scope.rule)


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
            area.code, area.name, category.code, category.name, category.vocabulary,
            demand, unmet, waitlisted, interests, need,
            mine[0] + wide[0], mine[1] + wide[1], mine[2] + wide[2], open_sessions,
            mine[6] + wide[6], area.imd_weight, score,
            () if None not in values else
            tuple([name for name, value in zip(PEOPLE_FIELDS, values, strict=True)
                   if value is None]),
            (scope, key),
        )  # fmt: skip


def _gap_facts(scope: InsightScope, key: Key, row: GapRow) -> GapFacts:
    published = scope.published
    demand_table = (
        published.interests if row.vocabulary == Vocabulary.ACTIVITY else published.referred
    )
    tables = {"demand": demand_table, "unmet": published.unmet,
              "waitlisted": published.waitlisted, "interests": published.interests}  # fmt: skip
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


# --- Demand -----------------------------------------------------------------------------


@dataclass(slots=True)
class DemandRow:
    """Published counts of people for one area × category in the period.

    referred: referred with this need; declined / returned: of them, referrals the service
    declined or returned (their free-text reasons are never published: they are about
    one person); unmet: unmet needs, and `unmet_by_reason` {reason code: count};
    waitlisted: put on a waiting list; interests: open interests in an activity type.
    """

    area_code: str
    area_name: str
    category: str
    category_name: str
    vocabulary: str
    referred: int | None
    declined: int | None
    returned: int | None
    unmet: int | None
    unmet_by_reason: dict[str, int | None]
    waitlisted: int | None
    interests: int | None
    suppressed: tuple[str, ...]


DEMAND_MEASURES = ("referred", "declined", "returned", "unmet", "waitlisted", "interests")


@dataclass(frozen=True)
class DemandReport:
    """rows: every area × category in scope with any demand.
    people_by_area: {area code: people referred for anything} (each person once).
    totals_by_category: {category code: {measure: total over the areas in scope}}.
    totals_by_area: {area code: {measure: total over categories}} — a person referred for
    two needs counts under both, so these count needs, not people.
    total_people: everyone referred in scope (each person once)."""

    level: str
    period: Period
    rows: list[DemandRow]
    people_by_area: dict[str, int | None]
    total_people: int | None
    totals_by_category: dict[str, dict[str, int | None]]
    totals_by_area: dict[str, dict[str, int | None]]


def demand(scope: InsightScope) -> DemandReport:
    """Demand by area × category in the period (see `DemandRow`)."""
    published = scope.published
    tables = {name: getattr(published, name) for name in DEMAND_MEASURES}
    rows = []
    for key in sorted(_gap_keys(scope), key=lambda k: (scope.areas[k[0]].name, k[1])):
        area, category = scope.areas[key[0]], scope.categories[key[1]]
        values = {name: _cell(table, *key) for name, table in tables.items()}
        by_reason = {
            reason: _cell(published.unmet_by_reason, key, reason)
            for reason in queries.UNMET_REASONS
            if scope.demand_counts.unmet_by_reason.get((key[0], key[1], reason))
        }
        rows.append(
            DemandRow(
                area_code=area.code,
                area_name=area.name,
                category=category.code,
                category_name=category.name,
                vocabulary=category.vocabulary,
                unmet_by_reason=by_reason,
                suppressed=tuple(name for name, value in values.items() if value is None),
                **values,
            )
        )
    by_category = {
        category.code: {name: table.column_totals.get(pk, 0) for name, table in tables.items()}
        for pk, category in scope.categories.items()
    }
    by_area = {
        area.code: {name: table.row_totals.get(pk, 0) for name, table in tables.items()}
        for pk, area in scope.areas.items()
    }
    people = published.people
    return DemandReport(
        level=scope.level,
        period=scope.period,
        rows=rows,
        people_by_area={
            area.code: people.row_totals.get(pk, 0) for pk, area in scope.areas.items()
        },
        total_people=people.grand_total if people.rows else 0,
        totals_by_category=by_category,
        totals_by_area=by_area,
    )


# --- Supply -----------------------------------------------------------------------------


@dataclass(slots=True)
class SupplyRow:
    """Published listings serving one area × category now (not about people: exact).

    listings: published listings serving the area by coverage, address or borough-wide
    (borough_wide_listings of them); open_listings taking new people; closed_listings
    full, paused or with a waiting list; sessions_per_week timetabled; open sessions a week
    (a listing with no timetable counts as one); open places a week; stale_listings not
    verified within LISTING_STALE_AFTER_DAYS."""

    area_code: str
    area_name: str
    category: str
    category_name: str
    vocabulary: str
    listings: int
    borough_wide_listings: int
    open_listings: int
    closed_listings: int
    sessions_per_week: float
    open_sessions_per_week: float
    open_places_per_week: int
    stale_listings: int


def supply(scope: InsightScope) -> list[SupplyRow]:
    """Every area × category in scope that at least one listing serves."""
    borough_wide = scope.borough_wide_supply
    terms = [scope.category.id] if scope.category else list(scope.categories)
    rows = []
    for area_id, area in sorted(scope.areas.items(), key=lambda item: item[1].name):
        for term in terms:
            figures = scope.supply_for((area_id, term))
            if not figures.listings:
                continue
            category = scope.categories[term]
            rows.append(
                SupplyRow(
                    area_code=area.code,
                    area_name=area.name,
                    category=category.code,
                    category_name=category.name,
                    vocabulary=category.vocabulary,
                    listings=figures.listings,
                    borough_wide_listings=borough_wide.get(term, NO_SUPPLY).listings,
                    open_listings=figures.open_listings,
                    closed_listings=figures.closed_listings,
                    sessions_per_week=figures.sessions_per_week,
                    open_sessions_per_week=figures.open_sessions_per_week,
                    open_places_per_week=figures.open_places_per_week,
                    stale_listings=figures.stale_listings,
                )
            )
    return rows


# --- Map --------------------------------------------------------------------------------


MAP_MEASURES = {
    "gap_score": "Gap score (the biggest gap in the area)",
    "need": "Unmet, waiting or interested people",
    "people_referred": "People referred",
    "referral_rate": "People referred per 1,000 residents",
    "referred": "People referred with this need",
    "unmet": "Unmet needs",
    "waitlisted": "People put on a waiting list",
    "interests": "Open interests",
    "listings": "Listings serving the area",
    "open_sessions_per_week": "Open sessions a week",
}


@dataclass(slots=True)
class AreaValue:
    """One area's value of a map measure (None = withheld; `category`: for the gap score
    without a category, the category of the area's biggest gap)."""

    area_code: str
    area_name: str
    value: float | int | None
    category: str | None = None


def measure_by_area(scope: InsightScope, measure: str) -> list[AreaValue]:
    """A value per area in scope, for a choropleth. Measures: MAP_MEASURES. Without a
    category, people measures are totals over categories (needs, not people) and supply
    measures count a listing once per category it is in."""
    if measure not in MAP_MEASURES:
        raise InvalidInput({"measure": f"Choose one of: {', '.join(MAP_MEASURES)}."})
    if measure in ("gap_score", "need"):
        return _gap_measure(scope, measure)
    if measure in ("people_referred", "referral_rate"):
        return _people_measure(scope, measure)
    values: dict[int, float | int | None] = {}
    for area_id in scope.areas:
        terms = [scope.category.id] if scope.category else list(scope.categories)
        if measure in ("listings", "open_sessions_per_week"):
            total = sum(getattr(scope.supply_for((area_id, t)), measure) for t in terms)
            values[area_id] = round(total, 2) if isinstance(total, float) else total
        else:
            table = getattr(scope.published, measure)
            values[area_id] = (
                _cell(table, area_id, scope.category.id)
                if scope.category
                else table.row_totals.get(area_id, 0)
            )
    return [AreaValue(info.code, info.name, values[pk]) for pk, info in _by_name(scope)]


def _by_name(scope: InsightScope) -> list[tuple[int, AreaInfo]]:
    return sorted(scope.areas.items(), key=lambda item: item[1].name)


def _gap_measure(scope: InsightScope, measure: str) -> list[AreaValue]:
    top: dict[str, GapRow] = {}
    for row in gaps(scope):  # ranked: the first row seen for an area is its biggest gap
        top.setdefault(row.area_code, row)
    result = []
    for _, info in _by_name(scope):
        row = top.get(info.code)
        value = getattr(row, "score" if measure == "gap_score" else measure) if row else 0
        result.append(AreaValue(info.code, info.name, value, row.category if row else None))
    return result


def _people_measure(scope: InsightScope, measure: str) -> list[AreaValue]:
    table, raw = scope.published.people, scope.demand_counts.people
    result = []
    for pk, info in _by_name(scope):
        count = table.row_totals.get(pk, 0)
        if measure == "referral_rate":
            rate = (
                None
                if count is None
                else publish_rate(raw.get(pk, 0), info.population or 0, rule=scope.rule)
            )
            result.append(AreaValue(info.code, info.name, rate))
        else:
            result.append(AreaValue(info.code, info.name, count))
    return result


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
RATE_NAMES = {"referred": "referral_rate", "connected": "connection_rate",
              "improved": "improvement_rate"}  # fmt: skip


def improved_people(period: Period) -> set[int] | None:
    """Ids of people referred in the period whose latest paired questionnaire improved on
    at least one measure — the evaluation room's rule (linkwork.outcomes.evaluation:
    each publisher's change threshold; contact measures such as GP visits left out).
    None when no questionnaire has been recorded at all (improvement not reported)."""
    from linkwork.outcomes import evaluation
    from linkwork.outcomes.models import Response
    from linkwork.outcomes.scoring import IMPROVED

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
        labels = {"1": "1 (most deprived)", "10": "10 (least deprived)"}
        listed = [(str(d), labels.get(str(d), str(d))) for d in range(1, 11)]
    elif dimension == "age_band":
        listed = [(band, band) for band in AGE_BANDS]
    elif dimension == "sex":
        listed = [("female", "Female"), ("male", "Male"), ("other", "Other")]
    else:
        listed = [(group, group) for group in sorted(set(found) - {queries.NOT_KNOWN})]
    return [
        *listed,
        (queries.NOT_KNOWN, "Not known" if dimension != "ethnicity" else "Not recorded"),
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
    total = row("all", "Everyone", total_raw, total_cells, sum(population.values()) or None)
    return EquityReport(
        dimension=dimension,
        label=queries.DIMENSIONS[dimension].label,
        period=scope.period,
        rows=rows,
        total=total,
        outcomes_available=improved is not None,
    )


# --- Load and investment ----------------------------------------------------------------


@dataclass(frozen=True)
class GroupLoadRow:
    """One group (organisation with listings) in the period.

    referrals_received: people sent to its listings; accepted: of them, accepted;
    attending: of them, went at least once (published counts of people). grants_total:
    pounds of grants running in the period, and how many (`grants`): not about people.
    unfunded_with_load: no grant in the period, yet a published (≥ threshold) number of
    people were sent to it — the groups carrying load with no funding."""

    organisation_id: int
    organisation_name: str
    referrals_received: int | None
    accepted: int | None
    attending: int | None
    grants_total: float
    grants: int
    unfunded_with_load: bool
    suppressed: tuple[str, ...]


LOAD_MEASURES = ("referrals_received", "accepted", "attending")


def group_load(scope: InsightScope) -> list[GroupLoadRow]:
    """Load and investment per group: unfunded groups carrying load first, then by load.
    With an area in scope, only people living there count (grants are the group's)."""
    load = queries.group_load_counts(scope.period, scope.lsoa_ids)
    grants = queries.grants_by_organisation(scope.period)
    organisation_ids = set(load) | set(grants)
    names = dict(Organisation.objects.filter(pk__in=organisation_ids).values_list("id", "name"))
    tables = {
        measure: _publish({(org, measure): n[i] for org, n in load.items()}, scope.rule)
        for i, measure in enumerate(LOAD_MEASURES)
    }
    rows = []
    for org in organisation_ids:
        values = {m: _cell(tables[m], org, m) for m in LOAD_MEASURES}
        pounds, count = grants.get(org, (0.0, 0))
        received = values["referrals_received"]
        rows.append(
            GroupLoadRow(
                organisation_id=org,
                organisation_name=names.get(org, ""),
                grants_total=round(pounds, 2),
                grants=count,
                unfunded_with_load=count == 0 and bool(received),
                suppressed=tuple(m for m, v in values.items() if v is None),
                **values,
            )
        )
    rows.sort(
        key=lambda r: (not r.unfunded_with_load, -(r.referrals_received or 0), r.organisation_name)
    )
    return rows


__all__ = [
    "AreaValue",
    "Category",
    "DemandReport",
    "DemandRow",
    "EquityReport",
    "EquityRow",
    "GapRow",
    "GroupLoadRow",
    "InsightScope",
    "MAP_MEASURES",
    "SupplyRow",
    "categories",
    "demand",
    "equity",
    "gap_score",
    "gaps",
    "group_load",
    "insight_scope",
    "measure_by_area",
    "parse_category",
    "supply",
]
