"""What a report covers (`InsightScope`: level, period, area, category) with its SQL
aggregates fetched once, and each demand measure published as one suppressed table."""

import datetime as dt
import gc
import operator
import weakref
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from linkwork.directory.models import TaxonomyTerm, Vocabulary
from linkwork.disclosure import (
    DisclosureRule,
    PublishedTable,
    active_rule,
    suppress_table,
)
from linkwork.errors import InvalidInput
from linkwork.insight import queries
from linkwork.insight.geography import AreaInfo, areas_at_level, parse_area, parse_level
from linkwork.insight.queries import DemandCounts, SupplyCounts
from linkwork.periods import Period, parse_period
from linkwork.places.models import Area
from linkwork.places.selectors import lsoas_of

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
        """Run the three statements a gap report needs side by side, each on a connection
        of its own: people referred, demand's need (unmet needs, waiting lists, interests)
        and supply; meanwhile look up the areas and categories, then publish the tables
        of whichever demand part is in first while the other is still being counted.

        Each takes tens to hundreds of milliseconds for a whole ICB's LSOAs, so a report
        waits for the slowest rather than for the sum; reading `supply_counts` waits for
        supply. Only on PostgreSQL outside a transaction: another connection could not
        see a transaction's uncommitted rows (so tests, which run in one, fetch one after
        the other, demand in one statement), and SQLite gains nothing. Each is fetched
        once.
        """
        if self._supply_pending is not None or {"demand_counts", "supply_counts"} & set(
            self.__dict__
        ):
            return
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            return
        level, period, area_ids = self.level, self.period, self.area_ids

        def demand_part(part: str) -> Callable[[], DemandCounts]:
            return lambda: queries.demand_counts(level, period, area_ids, part)

        pool = ThreadPoolExecutor(max_workers=3, thread_name_prefix="insight-fetch")
        referred = pool.submit(_on_own_connection, demand_part("referred"))
        need = pool.submit(_on_own_connection, demand_part("need"))
        self._supply_pending = pool.submit(_on_own_connection, self._fetch_supply, collect=True)
        pool.shutdown(wait=False)  # the threads end when their statements have been fetched
        self.areas, self.categories  # noqa: B018 — looked up while the statements run
        # Whichever part is in first is published first, while the other is still in the
        # database (England's LSOAs: either may be; publishing people referred is the
        # heaviest Python of a report, about a second).
        done, _ = wait((referred, need), return_when=FIRST_COMPLETED)
        for part in (referred, need) if referred in done else (need, referred):
            if part is need:
                self.published.publish_need(need.result())
            else:
                self.published.publish_referred(referred.result())
        self.__dict__["demand_counts"] = referred.result().merged(need.result())

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


def _on_own_connection(fetch: Callable[[], object], *, collect: bool = False) -> object:
    """`fetch()` in a worker thread, on that thread's own connection, closed after.

    `collect`: then collect the youngest generation, while the report waits for another
    statement. A gap report pauses the cyclic GC (`gaps`), and the 50,000 tuples of a
    whole ICB's supply figures would otherwise all be walked by the first collection
    after it, on the report's time; walked here, those holding only numbers (all of
    them) stop being tracked. Once per report: each collection brings the next full one
    nearer.
    """
    try:
        return fetch()
    finally:
        connections.close_all()  # only this thread's: Django's connections are per thread
        if collect:
            gc.collect(0)


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
        """The non-zero counts of the areas and categories in scope (see `_publish`)."""
        areas, terms = self.scope.areas, self.scope.categories
        return {key: n for key, n in counts.items() if n and key[0] in areas and key[1] in terms}

    @cached_property
    def people(self) -> PublishedTable:
        """People referred for anything, by area (one column, "people")."""
        counts = self.scope.demand_counts.people
        areas = self.scope.areas
        return _publish(
            {(a, "people"): n for a, n in counts.items() if a in areas}, self.scope.rule
        )

    def _measure(self, name: str, counts: DemandCounts | None = None) -> PublishedTable:
        # Filtered once (in scope, non-zero), so straight to the table.
        cells = self._in_scope(getattr(counts or self.scope.demand_counts, name))
        return suppress_table(cells, self.scope.rule)

    NEED_MEASURES = ("unmet", "waitlisted", "interests")

    def publish_need(self, counts: DemandCounts) -> None:
        """Publish the tables of need (what a gap's score is made of) from `counts`, the
        scope's own need, before its people referred are in (see `fetch_aggregates`)."""
        for name in self.NEED_MEASURES:
            self.__dict__[name] = self._measure(name, counts)

    def publish_referred(self, counts: DemandCounts) -> None:
        """Publish people referred from `counts`, the scope's own people referred, before
        its need is in (see `fetch_aggregates`)."""
        self.__dict__["referred"] = self._measure("referred", counts)

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
