"""The API search's candidates (selectors `candidates_of`) without the ORM on every request.

Building and compiling the filtered QuerySet was most of a search request's Python
(issue 19). The SQL depends only on which filters are set and how many codes each
list holds (the filters' shape); only the values change. So the first search of each
shape compiles through the ORM, as every search did, and keeps the SQL; later ones of
that shape reuse it with their own values, put in the order the SQL takes them by
`_values` below. That order is checked on the first search of each shape, against the
values the ORM itself put in: a shape whose values do not match is never kept, and
goes on compiling through the ORM.
"""

from django.db import connections

from linkwork.directory.models import Asset, CapacityStatus, Publication, Schedule
from linkwork.directory.search import SQLITE_MATCHES, _postgres_query, _sqlite_query, words
from linkwork.directory.selectors.search import (
    TIMES_OF_DAY,
    AssetFilters,
    Candidates,
    _filtered,
    candidates_of,
    published_assets,
    stale_before,
)

_kept: dict[tuple, tuple[str, list[str]] | None] = {}


def _shape(filters: AssetFilters, alias: str) -> tuple:
    return (
        alias,
        bool(words(filters.text)) if filters.text else False,
        len(set(filters.categories)),
        len(set(filters.activity_types)),
        filters.weekday is not None,
        filters.time_of_day in TIMES_OF_DAY,
        bool(filters.time_of_day),
        filters.free_only,
        len(filters.accessibility),
        bool(filters.language),
        bool(filters.community),
        filters.open_only,
        filters.include_stale,
        bool(filters.modified_after),
    )


def _values(filters: AssetFilters, alias: str, stale_from: object) -> list:
    """The values `_filtered(published_assets())` and the text match put in the SQL, in
    its order, prepared for the database as the ORM prepares them."""
    connection = connections[alias]
    field = Asset._meta.get_field

    def like(value: str) -> str:  # contains / icontains: %value%, with % and _ escaped
        return f"%{connection.ops.prep_for_like_query(value)}%"

    terms = words(filters.text) if filters.text else []
    postgres = connection.vendor == "postgresql"
    values: list = [_postgres_query(terms)] if terms and postgres else []  # the relevance
    values.append(Publication.PUBLISHED.value)
    for codes in (filters.categories, filters.activity_types):
        if codes:  # EXISTS (SELECT 1 ... IN (codes)): each code once, in order
            values += [1, *dict.fromkeys(codes)]
    if filters.weekday is not None or filters.time_of_day:
        values.append(1)  # EXISTS (SELECT 1 FROM the schedules ...)
    if filters.weekday is not None:
        values.append(filters.weekday)
    if filters.time_of_day in TIMES_OF_DAY:
        opens_at = Schedule._meta.get_field("opens_at")
        values += [
            opens_at.get_db_prep_value(t, connection) for t in TIMES_OF_DAY[filters.time_of_day]
        ]
    # free_only: a boolean column is its own condition, with no value.
    values += [like(f",{code},") for code in filters.accessibility]
    if filters.language:
        values.append(like(f",{filters.language.lower()},"))
    if filters.community:
        values.append(like(filters.community))
    if filters.open_only:
        values.append(CapacityStatus.OPEN.value)
    if not filters.include_stale:
        values.append(field("last_verified_at").get_db_prep_value(stale_from, connection))
    if filters.modified_after:
        values.append(field("updated_at").get_db_prep_value(filters.modified_after, connection))
    if terms and postgres:
        values.append(_postgres_query(terms))  # the match
    return values


def published_candidates(filters: AssetFilters) -> Candidates:
    """`candidates_of(_filtered(published_assets(), filters), filters)`, compiled by the
    ORM once per shape of filters."""
    alias = published_assets().db
    shape = _shape(filters, alias)
    kept = _kept.get(shape)
    if kept is not None:
        sql, columns = kept
        terms = words(filters.text) if filters.text else []
        matches = None
        if terms and connections[alias].vendor != "postgresql":
            matches = (SQLITE_MATCHES, [_sqlite_query(terms)])
        values = _values(filters, alias, stale_before())
        return Candidates(sql, values, list(columns), matches, bool(terms), alias)
    stale_from = stale_before()
    found = candidates_of(_filtered(published_assets(), filters, stale_from=stale_from), filters)
    if shape not in _kept:  # checked once: kept if the values land where the ORM put them
        try:
            same = _values(filters, alias, stale_from) == list(found.params)
        except Exception:  # noqa: BLE001 (a shape this module does not know: never kept)
            same = False
        _kept[shape] = (found.sql, list(found.columns)) if same else None
    return found
