"""The API's search results as plain values (`search_service_rows`): the ranking of
`selectors.search_assets` and the page's columns in one statement, no model objects.

The ranked statement (selectors `_ranked_parts`) becomes a common table expression, and
the page's rows are joined to their asset, organisation, term codes and first physical
location's postcode. Values are converted as the ORM would (SQLite hands back dates as
text and booleans as integers), with the fields' own converters.
"""

from dataclasses import dataclass
from functools import cache

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.utils import timezone

from linkwork.directory.models import (
    Asset,
    AssetLocation,
    Location,
    LocationType,
    Organisation,
    TaxonomyTerm,
    default_freshness_period,
)
from linkwork.directory.search_candidates import published_candidates
from linkwork.directory.selectors.search import AssetFilters, _ranked_parts

# What a search result of the API shows (directory/api.py `service_row_out`), as
# (key, model, field name): the asset's columns and its organisation's name.
SERVICE_ROW_FIELDS = (
    *((name, Asset, name) for name in ("id", "name", "description", "kind", "organisation_id")),
    ("organisation__name", Organisation, "name"),
    *(
        (name, Asset, name)
        for name in (
            "borough_wide",
            "community_of_interest",
            "referral_method",
            "capacity_status",
            "places",
            "places_period",
            "may_reopen_on",
            "last_verified_at",
            "created_at",
            "publication",
        )
    ),
)
ASSET, ORGANISATION = Asset._meta.db_table, Organisation._meta.db_table
_AGGREGATE = {"sqlite": "GROUP_CONCAT(tt.code, ',')", "postgresql": "STRING_AGG(tt.code, ',')"}
# An asset's term codes (codes are slugs: no commas), and the postcode of its first
# physical location (`Asset.place`).
_TERM_CODES = (
    "(SELECT {agg} FROM "  # noqa: S608 (no values in the text)
    f"{Asset.terms.through._meta.db_table} t JOIN {TaxonomyTerm._meta.db_table} tt "
    f"ON tt.id = t.taxonomyterm_id WHERE t.asset_id = {ASSET}.id)"
)
_PLACE_POSTCODE = (
    f"(SELECT l.postcode FROM {AssetLocation._meta.db_table} al "  # noqa: S608
    f"JOIN {Location._meta.db_table} l ON l.id = al.location_id "
    f"WHERE al.asset_id = {ASSET}.id AND l.location_type = %s "
    "ORDER BY al.id LIMIT 1)"
)


@dataclass
class ServiceRows:
    """A page of search results as plain values: each row has the keys of
    SERVICE_ROW_FIELDS, its `categories` (term codes, sorted), `postcode` (its first
    physical location's, or None), `stale` and `distance_km`."""

    rows: list[dict]
    total: int


@cache
def _columns(alias: str) -> tuple[str, list[tuple[str, object, list]]]:
    """The select list for SERVICE_ROW_FIELDS on database `alias`, and each column's
    (key, expression, converters) as the ORM's compiler would apply them."""
    connection = connections[alias]
    sql, columns = [], []
    for key, model, name in SERVICE_ROW_FIELDS:
        table = ASSET if model is Asset else ORGANISATION
        column = model._meta.get_field(name).get_col(table)
        sql.append(f"{table}.{connection.ops.quote_name(column.target.column)}")
        converters = connection.ops.get_db_converters(column)
        converters += column.get_db_converters(connection)
        columns.append((key, column, converters))
    return ", ".join(sql), columns


def search_service_rows(filters: AssetFilters, *, offset: int = 0, limit: int = 20) -> ServiceRows:
    """`search_assets` for the API: the same ranking and page, with each row's columns,
    terms and place, in one statement."""
    try:
        candidates = published_candidates(filters)
        ctes, ranked, params = _ranked_parts(
            None, filters, offset=offset, limit=limit, numbered=True, candidates=candidates
        )
    except EmptyResultSet:
        return ServiceRows(rows=[], total=0)
    connection = connections[candidates.alias]
    select, columns = _columns(candidates.alias)
    sql = (
        f"WITH {', '.join(ctes)}, ranked_page(id, relevance, km, total, n) AS ({ranked}) "  # noqa: S608
        f"SELECT p.km, p.total, {select}, "
        f"{_TERM_CODES.format(agg=_AGGREGATE[connection.vendor])}, {_PLACE_POSTCODE} "
        f"FROM ranked_page p JOIN {ASSET} ON {ASSET}.id = p.id "
        f"LEFT JOIN {ORGANISATION} ON {ORGANISATION}.id = {ASSET}.organisation_id "
        "ORDER BY p.n"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, LocationType.PHYSICAL.value])
        found = cursor.fetchall()
        if found:
            total = found[0][1]
        elif not offset:
            total = 0
        else:  # past the last page: the first page's first row carries the total
            ctes, ranked, params = _ranked_parts(
                None, filters, offset=0, limit=1, candidates=candidates
            )
            cursor.execute(f"WITH {', '.join(ctes)} {ranked}", params)
            first = cursor.fetchone()
            total = first[3] if first else 0
    stale_from = timezone.now() - default_freshness_period()
    rows = []
    for km, _, *values in found:
        row = {}
        for (key, column, converters), value in zip(columns, values, strict=False):
            for converter in converters:
                value = converter(value, column, connection)
            row[key] = value
        codes, postcode = values[-2:]
        since = row["last_verified_at"] or row["created_at"]
        row["stale"] = since is not None and since <= stale_from
        row["categories"] = sorted(codes.split(",")) if codes else []
        row["postcode"] = postcode
        row["distance_km"] = round(km, 2) if km is not None else None
        rows.append(row)
    return ServiceRows(rows=rows, total=total)
