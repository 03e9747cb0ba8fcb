"""The one search behind pages, API and ORUK: filters, ranking by distance and
capacity, a page of assets or of plain rows."""

import math
from dataclasses import dataclass, field
from datetime import time, timedelta

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from linkwork.directory.models import (
    Asset,
    AssetLocation,
    CapacityStatus,
    Location,
    Publication,
    Schedule,
)
from linkwork.directory.search import match_text
from linkwork.places.selectors import Point

EARTH_RADIUS_KM = 6371.0088

DEFAULT_WITHIN_KM = 5.0

# Parts of the day for the "time of day" filter: a session counts if it starts in the part.
TIMES_OF_DAY = {
    "morning": (time(0, 0), time(12, 0)),
    "afternoon": (time(12, 0), time(17, 0)),
    "evening": (time(17, 0), time(23, 59, 59)),
}


@dataclass
class AssetFilters:
    text: str = ""
    point: Point | None = None
    within_km: float | None = None
    categories: list[str] = field(default_factory=list)
    activity_types: list[str] = field(default_factory=list)
    weekday: int | None = None
    time_of_day: str = ""
    free_only: bool = False
    accessibility: list[str] = field(default_factory=list)
    language: str = ""
    community: str = ""
    open_only: bool = False
    include_stale: bool = True
    modified_after: object = None


@dataclass
class AssetResult:
    asset: Asset
    distance_km: float | None
    relevance: float | None


@dataclass
class SearchPage:
    results: list[AssetResult]
    total: int


def stale_before() -> object:
    """Listings last verified before this moment are stale."""
    return timezone.now() - timedelta(days=settings.LISTING_STALE_AFTER_DAYS)


def published_assets() -> QuerySet[Asset]:
    return Asset.objects.filter(publication=Publication.PUBLISHED)


def haversine_km(a: Point, latitude: float, longitude: float) -> float:
    phi1, phi2 = math.radians(a.latitude), math.radians(latitude)
    d_phi = phi2 - phi1
    d_lambda = math.radians(longitude - a.longitude)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def _filtered(
    assets: QuerySet[Asset], f: AssetFilters, *, stale_from: object = None
) -> QuerySet[Asset]:
    for codes in (f.categories, f.activity_types):
        if codes:
            assets = assets.filter(
                Exists(
                    Asset.terms.through.objects.filter(
                        asset=OuterRef("pk"), taxonomyterm__code__in=codes
                    )
                )
            )
    if f.weekday is not None or f.time_of_day:
        sessions = Schedule.objects.filter(asset=OuterRef("pk"))
        if f.weekday is not None:
            sessions = sessions.filter(weekday=f.weekday)
        if f.time_of_day in TIMES_OF_DAY:
            start, end = TIMES_OF_DAY[f.time_of_day]
            sessions = sessions.filter(opens_at__gte=start, opens_at__lt=end)
        assets = assets.filter(Exists(sessions))
    if f.free_only:
        assets = assets.filter(is_free=True)
    for code in f.accessibility:
        assets = assets.filter(accessibility_codes__contains=f",{code},")
    if f.language:
        assets = assets.filter(language_codes__contains=f",{f.language.lower()},")
    if f.community:
        assets = assets.filter(community_of_interest__icontains=f.community)
    if f.open_only:
        assets = assets.filter(capacity_status=CapacityStatus.OPEN)
    if not f.include_stale:
        assets = assets.filter(Q(last_verified_at__gte=stale_from or stale_before()))
    if f.modified_after:
        assets = assets.filter(updated_at__gt=f.modified_after)
    return assets


def _distance_sql(point: Point) -> tuple[str, list[float]]:
    """Great-circle km from `point` to location `l`, as `haversine_km` computes it."""
    phi = math.radians(point.latitude)
    return (
        f"2 * {EARTH_RADIUS_KM} * ASIN(SQRT("
        "SIN((RADIANS(l.latitude) - %s) / 2) * SIN((RADIANS(l.latitude) - %s) / 2)"
        " + %s * COS(RADIANS(l.latitude))"
        " * SIN(RADIANS(l.longitude - %s) / 2) * SIN(RADIANS(l.longitude - %s) / 2)))",
        [phi, phi, math.cos(phi), point.longitude, point.longitude],
    )


def _nearest_sql(point: Point, within_km: float, *, asset: str = "") -> tuple[str, list]:
    """SQL for the km to the nearest location within reach, NULL if none: a bounding box
    on the indexed latitude and longitude first, then the great-circle distance.

    For one asset when `asset` is the SQL naming its id (a correlated subquery), else
    (asset_id, km) for every asset with a location in the box.
    """
    d_lat = within_km / 111.32
    d_lon = within_km / (111.32 * max(math.cos(math.radians(point.latitude)), 0.01))
    km, km_params = _distance_sql(point)
    sql = (
        f"SELECT {'' if asset else 'al.asset_id, '}"  # noqa: S608 (no values in the text)
        f"CASE WHEN MIN({km}) <= %s THEN MIN({km}) END "
        f"FROM {AssetLocation._meta.db_table} al "
        f"JOIN {Location._meta.db_table} l ON l.id = al.location_id "
        "WHERE l.latitude BETWEEN %s AND %s AND l.longitude BETWEEN %s AND %s"
        + (f" AND al.asset_id = {asset}" if asset else " GROUP BY al.asset_id")
    )
    box = [point.latitude - d_lat, point.latitude + d_lat]
    box += [point.longitude - d_lon, point.longitude + d_lon]
    return sql, [*km_params, within_km, *km_params, *box]


@dataclass
class Candidates:
    """The candidates' SQL: (id, name, borough_wide, capacity_status[, relevance]) of the
    assets that pass the filters, and, on SQLite, the full-text matches' SQL to join."""

    sql: str
    params: list
    columns: list[str]
    matches: tuple[str, list] | None
    text: bool  # whether the text has searchable words (else it is ignored)
    alias: str  # the database


def candidates_of(assets: QuerySet[Asset], filters: AssetFilters) -> Candidates:
    columns, matches = ["pk", "name", "borough_wide", "capacity_status"], None
    found = match_text(assets, filters.text) if filters.text else None
    if found is not None:
        assets, matches = found
        if matches is None:  # the candidates carry their own relevance
            columns.append("relevance")
    sql, params = (
        assets.order_by().values_list(*columns).query.get_compiler(using=assets.db).as_sql()
    )
    return Candidates(sql, list(params), columns, matches, found is not None, assets.db)


def _ranked_sql(
    assets: QuerySet[Asset], filters: AssetFilters, *, offset: int, limit: int
) -> tuple[str, list]:
    ctes, select, params = _ranked_parts(assets, filters, offset=offset, limit=limit)
    return f"WITH {', '.join(ctes)} {select}", params


def _ranked_parts(
    assets: QuerySet[Asset] | None,
    filters: AssetFilters,
    *,
    offset: int,
    limit: int,
    numbered: bool = False,
    candidates: "Candidates | None" = None,
) -> tuple[list[str], str, list]:
    """One statement that matches, measures, ranks, counts and pages `assets` in the
    database: rows of (id, relevance, distance in km, total), best first.

    Groups that can take people (open, waiting list) come before full or paused ones.
    Then, with a point (a postcode), nearest first and borough-wide ones (no distance)
    after; with text and no point, most relevant first. Text keeps only the full-text
    matches; a point keeps assets with a location within reach plus borough-wide ones.
    With text, the few matching assets each look up their own locations; without, the
    locations in the bounding box are measured once and joined.
    """
    found = candidates if candidates is not None else candidates_of(assets, filters)
    columns, matches = found.columns, found.matches
    ctes = [f"candidates({', '.join(['id', *columns[1:]])}) AS ({found.sql})"]
    params = list(found.params)
    relevance, km, joins, order = "NULL", "NULL", "", ["not_taking"]
    if found.text:
        relevance = "c.relevance"
    if matches is not None:
        ctes.append(f"matches(id, relevance) AS ({matches[0]})")
        params += matches[1]
        relevance, joins = "m.relevance", "JOIN matches m ON m.id = c.id "
    select_params: list = []
    if filters.point is not None:
        within_km = filters.within_km or DEFAULT_WITHIN_KM
        if found.text:
            nearest, select_params = _nearest_sql(filters.point, within_km, asset="c.id")
            km = f"({nearest})"
        else:
            nearest, near_params = _nearest_sql(filters.point, within_km)
            ctes.append(f"near(asset_id, km) AS ({nearest})")
            params += near_params
            km, joins = "n.km", joins + "LEFT JOIN near n ON n.asset_id = c.id "
        order += ["km IS NULL", "km"]
    if found.text:
        order.append("relevance DESC")
    # Names in code-point order, as Python sorts strings (PostgreSQL's default collation
    # would not); the name as stored, then the id, break ties.
    postgres = connections[found.alias].vendor == "postgresql"
    binary = ' COLLATE "C"' if postgres else ""
    order += [f"LOWER(name){binary}", "name", "id"]
    # Every fragment is this module's own text; every value is a parameter. `numbered`
    # adds each row's place in the ranking, for a statement built on this one to keep.
    number = f", ROW_NUMBER() OVER (ORDER BY {', '.join(order)})" if numbered else ""
    select = (
        f"SELECT id, relevance, km, COUNT(*) OVER (){number} FROM ("  # noqa: S608
        f"SELECT c.id, c.name, c.borough_wide, {relevance} AS relevance, {km} AS km, "
        "CASE WHEN c.capacity_status IN (%s, %s) THEN 1 ELSE 0 END AS not_taking "
        f"FROM candidates c {joins}"
        ") found "
        + ("WHERE km IS NOT NULL OR borough_wide " if filters.point is not None else "")
        + f"ORDER BY {', '.join(order)} LIMIT %s OFFSET %s"
    )
    not_taking = [CapacityStatus.FULL.value, CapacityStatus.PAUSED.value]
    return ctes, select, [*params, *select_params, *not_taking, limit, offset]


def search_assets(
    filters: AssetFilters,
    *,
    offset: int = 0,
    limit: int = 20,
    base: QuerySet[Asset] | None = None,
    with_terms: bool = True,
) -> SearchPage:
    """Published assets matching `filters`: those taking people first, then by distance
    when there is a point (else by relevance), then by name.

    With text, only matching assets; with a point, only assets within reach (default
    5 km) plus borough-wide ones, which have no distance and come after. The database
    ranks and pages; only the page's rows come back. Each asset comes with its
    organisation and, unless `with_terms` is false, its terms.
    """
    rows, total = _ranked_page(
        _filtered(published_assets() if base is None else base, filters), filters, offset, limit
    )
    page_ids = [row[0] for row in rows]
    assets = Asset.objects.select_related("organisation")
    by_id = (assets.prefetch_related("terms") if with_terms else assets).in_bulk(page_ids)
    return SearchPage(
        results=[
            AssetResult(
                asset=by_id[pk],
                distance_km=round(km, 2) if km is not None else None,
                relevance=relevance,
            )
            for pk, relevance, km, _ in rows
        ],
        total=total,
    )


def search_values(
    filters: AssetFilters,
    fields: tuple[str, ...],
    *,
    offset: int = 0,
    limit: int = 20,
    base: QuerySet[Asset] | None = None,
) -> tuple[list[dict], int]:
    """`search_assets`' page as plain values (`fields` as `QuerySet.values` names them,
    with "id"), best first, and the total: no model objects, for pages that show a few
    columns of many results (the ORUK list)."""
    rows, total = _ranked_page(
        _filtered(published_assets() if base is None else base, filters), filters, offset, limit
    )
    if not rows:
        return [], total
    page_ids = [row[0] for row in rows]
    values = Asset.objects.filter(pk__in=page_ids).values("id", *fields)
    by_id = {row["id"]: row for row in values}
    return [by_id[pk] for pk in page_ids], total


def _ranked_page(
    assets: QuerySet[Asset], filters: AssetFilters, offset: int, limit: int
) -> tuple[list[tuple], int]:
    """The page's (id, relevance, km, total) rows from the ranked statement, and the total."""
    try:
        sql, params = _ranked_sql(assets, filters, offset=offset, limit=limit)
    except EmptyResultSet:
        return [], 0
    with connections[assets.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        if rows or not offset:
            total = rows[0][3] if rows else 0
        else:  # past the last page: the first page's first row carries the total
            cursor.execute(*_ranked_sql(assets, filters, offset=0, limit=1))
            first = cursor.fetchone()
            total = first[3] if first else 0
    return rows, total
