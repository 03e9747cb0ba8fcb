"""What the insight pages need beside the selectors: period choices, boundaries for the
map, the map's legend, demand against supply by category, emerging groups in an area and
the CSV tables.

Nothing here counts people itself: every count of people comes from a selector (and so
through `linkwork.disclosure`) or is published here with `publish_count`. Counts that are not
about people (listings, sessions) are shown as they are.
"""

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from linkwork.community.selectors import emerging_groups
from linkwork.directory.models import Asset, Publication, Vocabulary
from linkwork.errors import InvalidInput
from linkwork.insight import exports, selectors
from linkwork.insight.selectors import InsightScope
from linkwork.periods import parse_period
from linkwork.places.models import Area, AreaType
from linkwork.places.selectors import lsoas_of, neighbourhood_ids_by_lsoa

PROFILE_TYPES = (AreaType.LSOA.value, AreaType.NEIGHBOURHOOD.value)
LEVEL_CHOICES = [
    (AreaType.NEIGHBOURHOOD.value, gettext_lazy("Neighbourhoods")),
    (AreaType.LSOA.value, gettext_lazy("Small areas (LSOAs)")),
]
# Measures whose values are counts of people (published: rounded to 5, 1–7 withheld).
PEOPLE_MEASURES = frozenset(
    {"need", "people_referred", "referred", "unmet", "waitlisted", "interests"}
)


# --- Periods ----------------------------------------------------------------------------


def period_label(code: str) -> str:
    """ "The last 12 months", "January to March 2025", "2025", "The 2024-25 financial year"."""
    return parse_period(code).name


def period_choices(today: dt.date | None = None) -> list[tuple[str, str]]:
    """The periods offered in the filters: rolling months, the last six quarters, this
    and last calendar and financial year."""
    today = today or timezone.localdate()
    codes = [f"last-{n}-months" for n in (12, 6, 3, 24, 36)]
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _ in range(6):
        codes.append(f"{year}-Q{quarter}")
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    codes += [str(today.year), str(today.year - 1)]
    first_fy = today.year if today.month >= 4 else today.year - 1
    codes += [f"FY{y}-{(y + 1) % 100:02d}" for y in (first_fy, first_fy - 1)]
    return [(code, period_label(code)) for code in codes]


# --- Areas and boundaries ---------------------------------------------------------------


def profile_area(code: str) -> Area | None:
    """The LSOA or neighbourhood with this code (the areas that have a profile)."""
    return Area.objects.filter(code=code, area_type__in=PROFILE_TYPES).first()


def neighbourhood_list() -> list[Area]:
    return list(Area.objects.filter(area_type=AreaType.NEIGHBOURHOOD).order_by("name"))


def _polygons(geometry: dict) -> list:
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def _outline(polygons: list) -> list:
    """The outer edge of LSOAs put together, as segments: an edge two of them share is
    inside the neighbourhood. (ONS boundaries are topologically consistent: neighbours
    share the very same vertices.)"""
    seen: dict[tuple, int] = {}
    for polygon in polygons:
        for ring in polygon:
            for a, b in zip(ring, ring[1:], strict=False):
                edge = (tuple(a), tuple(b)) if tuple(a) <= tuple(b) else (tuple(b), tuple(a))
                seen[edge] = seen.get(edge, 0) + 1
    return [[list(a), list(b)] for (a, b), n in seen.items() if n == 1]


@dataclass(frozen=True)
class Shape:
    geometry: dict  # a GeoJSON Polygon or MultiPolygon
    outline: list | None = None  # MultiLineString coordinates, for areas made of LSOAs


def boundaries(level: str, codes: Iterable[str]) -> dict[str, Shape]:
    """{area code: Shape} for areas of `level`, in a few queries. A neighbourhood without
    its own boundary is the MultiPolygon of its LSOAs', with its outer edge as outline."""
    codes = set(codes)
    areas = Area.objects.filter(area_type=level, code__in=codes)
    own = dict(areas.exclude(boundary_geojson="").values_list("code", "boundary_geojson"))
    found = {code: Shape(json.loads(text)) for code, text in own.items()}
    if level != AreaType.NEIGHBOURHOOD:
        return found
    wanted = dict(areas.exclude(code__in=found).values_list("id", "code"))
    if not wanted:
        return found
    lsoa_to_hood = {
        lsoa: hood for lsoa, hood in neighbourhood_ids_by_lsoa().items() if hood in wanted
    }
    lsoas = Area.objects.filter(pk__in=lsoa_to_hood).exclude(boundary_geojson="")
    polygons: dict[str, list] = {}
    for pk, text in lsoas.values_list("id", "boundary_geojson"):
        polygons.setdefault(wanted[lsoa_to_hood[pk]], []).extend(_polygons(json.loads(text)))
    for code, parts in polygons.items():
        found[code] = Shape({"type": "MultiPolygon", "coordinates": parts}, _outline(parts))
    return found


def imd_deciles(area: Area) -> list[int]:
    """The IMD deciles of the area's LSOAs, lowest (most deprived) first, each once."""
    deciles = lsoas_of(area).exclude(imd_decile=None).values_list("imd_decile", flat=True)
    return sorted(set(deciles))


def lsoa_count(area: Area) -> int:
    return lsoas_of(area).count()


# --- The map's legend -------------------------------------------------------------------

# Sequential, colour-blind safe (ColorBrewer YlGnBu, 5 classes): light = low.
CLASS_COLOURS = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
ZERO_COLOUR = "#ffffff"


@dataclass(frozen=True)
class LegendClass:
    low: float
    high: float
    colour: str
    label: str


def format_number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def legend(values: Iterable[float | int | None]) -> list[LegendClass]:
    """Up to five classes of equal counts over the published values above 0."""
    found = sorted({float(v) for v in values if v is not None and v > 0})
    if not found:
        return []
    n = min(len(CLASS_COLOURS), len(found))
    chunks = [found[i * len(found) // n : (i + 1) * len(found) // n] for i in range(n)]
    cuts = [(chunk[0], chunk[-1]) for chunk in chunks if chunk]
    # Spread the classes over the palette; a few classes skip the palest colour, so a
    # lone class stands out from the white of "0 or none".
    n = len(cuts)
    if n >= len(CLASS_COLOURS):
        picks = list(range(n))
    elif n == 1:
        picks = [3]
    else:
        picks = [1 + round(i * 3 / (n - 1)) for i in range(n)]
    return [
        LegendClass(
            low,
            high,
            CLASS_COLOURS[pick],
            _range_label(low, high),
        )
        for pick, (low, high) in zip(picks, cuts, strict=True)
    ]


def _range_label(low: float, high: float) -> str:
    if low == high:
        return format_number(low)
    return gettext("%(low)s to %(high)s") % {"low": format_number(low), "high": format_number(high)}


def colour_of(value: float | int | None, classes: Sequence[LegendClass]) -> str | None:
    """The fill of a published value: None when withheld (the map hatches it)."""
    if value is None:
        return None
    if value <= 0:
        return ZERO_COLOUR
    for klass in classes:
        if value <= klass.high:
            return klass.colour
    return classes[-1].colour if classes else ZERO_COLOUR


# --- Demand against supply by category --------------------------------------------------


@dataclass(frozen=True)
class CategoryBalance:
    """Demand (published count of people: referred with the need, or with an open
    interest in the activity) beside supply (listings serving the area: exact)."""

    code: str
    name: str
    vocabulary: str
    demand: int | None
    listings: int
    open_sessions_per_week: float


def _published_listings_by_term() -> dict[int, int]:
    rows = (
        Asset.objects.filter(publication=Publication.PUBLISHED)
        .values_list("terms")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    return {term: n for term, n in rows if term is not None}


def category_balance(scope: InsightScope, area_code: str | None = None) -> list[CategoryBalance]:
    """Each category with any demand or supply: in one area of the scope's level, or
    (without `area_code`) over every area in scope, where supply is the number of
    published listings in the category (each counted once)."""
    report = selectors.demand(scope)
    area_id = next((pk for pk, info in scope.areas.items() if info.code == area_code), None)
    if area_code is not None and area_id is None:
        return []
    by_area: dict[str, dict[str, int | None]] = {}
    for row in report.rows:
        if row.area_code == area_code:
            by_area[row.category] = {"referred": row.referred, "interests": row.interests}
    listings = _published_listings_by_term() if area_id is None else {}
    rows = []
    for pk, category in scope.categories.items():
        if scope.category is not None and pk != scope.category.id:
            continue
        measure = "interests" if category.vocabulary == Vocabulary.ACTIVITY else "referred"
        if area_id is None:
            demand = report.totals_by_category.get(category.code, {}).get(measure, 0)
            supply_listings, sessions = listings.get(pk, 0), 0.0
        else:
            demand = by_area.get(category.code, {}).get(measure, 0)
            figures = scope.supply_for((area_id, pk))
            supply_listings, sessions = figures.listings, figures.open_sessions_per_week
        if demand == 0 and supply_listings == 0:
            continue
        rows.append(
            CategoryBalance(
                category.code, category.name, category.vocabulary, demand, supply_listings, sessions
            )
        )
    rows.sort(key=lambda r: (r.demand is None, -(r.demand or 0), -r.listings, r.name))
    return rows


# --- Emerging groups --------------------------------------------------------------------


@dataclass(frozen=True)
class EmergingGroup:
    """Open interests in an activity nobody offers near them, for a profile: the count
    is published (None = withheld: fewer than the disclosure threshold)."""

    activity: str
    community: str
    people: int | None
    where: str  # the neighbourhood, or "across the borough" for a community of interest
    near_misses: tuple[str, ...]  # "Tonge Craft Club is full"


def emerging_groups_in(area: Area) -> list[EmergingGroup]:
    """The emerging groups (community.selectors) of the area's neighbourhood, then those
    of communities of interest that span neighbourhoods (they serve this one too)."""

    if area.area_type == AreaType.NEIGHBOURHOOD:
        hood_id = area.pk
    else:
        hood_id = neighbourhood_ids_by_lsoa().get(area.pk)
    found = []
    for group in emerging_groups():
        if group.neighbourhood is not None and group.neighbourhood.pk != hood_id:
            continue
        found.append(
            EmergingGroup(
                activity=group.activity.name,
                community=group.community_of_interest,
                people=group.people_published,
                where=group.neighbourhood.name if group.neighbourhood else "across the borough",
                near_misses=tuple(f"{miss.name} ({miss.reason})" for miss in group.near_misses),
            )
        )
    found.sort(key=lambda g: g.where == "across the borough")
    return found


# --- CSV tables -------------------------------------------------------------------------

CSV_TABLES = {
    "gaps": "Gaps: demand against supply, ranked, with the evidence",
    "demand": "Demand by area and need or activity",
    "supply": "Supply by area and need or activity",
    "equity": "Equity by deprivation (IMD decile)",
    "equity-age": "Equity by age band",
    "equity-sex": "Equity by sex",
    "equity-ethnicity": "Equity by ethnicity (where recorded)",
    "load": "Load and investment by group",
}
EQUITY_TABLES = {
    "equity": "imd_decile",
    "equity-age": "age_band",
    "equity-sex": "sex",
    "equity-ethnicity": "ethnicity",
}


def csv_table(name: str, scope: InsightScope) -> list[list[str]]:
    """One published table as CSV rows (header first), from `insight.exports` (which
    writes withheld counts as `*` and formula-looking text as text)."""
    if name == "gaps":
        rows = exports.gaps_csv(selectors.gaps(scope))
    elif name == "demand":
        rows = exports.demand_csv(selectors.demand(scope))
    elif name == "supply":
        rows = exports.supply_csv(selectors.supply(scope))
    elif name in EQUITY_TABLES:
        rows = exports.equity_csv(selectors.equity(scope, EQUITY_TABLES[name]))
    elif name == "load":
        rows = exports.group_load_csv(selectors.group_load(scope))
    else:
        raise InvalidInput({"table": f"Choose one of: {', '.join(CSV_TABLES)}."})
    return rows
