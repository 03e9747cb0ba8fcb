"""Pages of neighbourhood intelligence: the overview (map, ranked gaps, equity, demand
against supply), a printable profile per area, load and investment, CSV downloads, and
the public read-only copy residents see without signing in.

Every figure comes from `insight.selectors` (through `linkwork.disclosure`); the public pages
call the very same functions, so they show exactly what panels and commissioners see,
minus load and investment per group. No page here shows or links to a person.
"""

from collections.abc import Iterable

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import json_script
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from linkwork.accounts.decorators import permission_required
from linkwork.accounts.permissions import has_permission
from linkwork.accounts.roles import Perm
from linkwork.api import invalid_input_body
from linkwork.audit.services import record_event
from linkwork.disclosure import active_rule
from linkwork.funding.selectors import awarded_and_paid_by_organisation
from linkwork.insight import exports, profiles, selectors
from linkwork.insight.forms import InsightFilters, LoadFilters, PostcodeForm
from linkwork.insight.selectors import InsightScope
from linkwork.places.models import Area
from linkwork.places.selectors import (
    GEOGRAPHY_ATTRIBUTION,
    InvalidPostcode,
    UnknownPostcode,
    neighbourhood_of_lsoa,
    postcode_point,
)
from linkwork.public_cache import public_page

TOP_GAPS = 25
MAP_DATA_ID = "insight-map-data"
PROFILE_GAPS = 5
EQUITY_DIMENSIONS = ("imd_decile", "age_band", "sex", "ethnicity")


def _names(public: bool) -> dict[str, str]:
    """The URL names the shared templates link to, for the signed-in or public copy."""
    if public:
        return {"index": "neighbourhoods", "profile": "neighbourhood-profile"}
    return {"index": "insight", "profile": "insight-area"}


def _map_context(request: HttpRequest, scope: InsightScope, measure: str, public: bool) -> dict:
    """The figures behind the map, for the table beside it and the legend."""
    values = selectors.measure_by_area(scope, measure)
    classes = profiles.legend(v.value for v in values)
    return {
        "measure": measure,
        "measure_label": gettext(selectors.MAP_MEASURES[measure]),
        "measure_is_people": measure in profiles.PEOPLE_MEASURES,
        "map_values": values,
        "legend": classes,
        "zero_colour": profiles.ZERO_COLOUR,
        "any_withheld": any(v.value is None for v in values),
        # Signed in, the map fetches its GeoJSON; the public pages carry it in the page
        # (there is no anonymous insight API: docs/decisions.md).
        "map_src": "" if public else reverse("insight-map") + "?" + request.GET.urlencode(),
        "map_inline": json_script(_geojson(scope, measure, values, classes, public), MAP_DATA_ID)
        if public
        else "",
        "map_data_id": MAP_DATA_ID,
        "category_names": {c.code: gettext(c.name) for c in scope.categories.values()},
        "tile_url": settings.MAP_TILE_URL,
        "attribution": GEOGRAPHY_ATTRIBUTION,
    }


def _equity(scope: InsightScope, dimensions: tuple[str, ...] = EQUITY_DIMENSIONS) -> dict:
    reports = {d: selectors.equity(scope, d) for d in dimensions}
    imd = reports["imd_decile"]
    chart_rows = [
        {
            "label": gettext("Decile %(decile)s") % {"decile": gettext(row.label)},
            "values": [row.referral_rate, row.connection_rate],
        }
        for row in imd.rows
        if row.population  # no residents in the decile here: nothing to compare against
    ]
    return {"equity": reports, "equity_chart_rows": chart_rows}


def _balance_rows(balance: list[profiles.CategoryBalance], limit: int = 15) -> list[dict]:
    return [
        {"label": gettext(row.name), "values": [row.demand, row.listings]}
        for row in balance[:limit]
    ]


def _real_gaps(rows: Iterable[selectors.GapRow]) -> list[selectors.GapRow]:
    """Gap rows where someone is still in need (or the count is withheld): the selector
    also lists areas and needs where everyone who asked was helped."""
    return [row for row in rows if row.need != 0]


def _base(request: HttpRequest, public: bool, title: str) -> dict:
    return {
        "public": public,
        "names": _names(public),
        "page_title": title,
        "can_download": not public and has_permission(request.user, Perm.EXPORT_AGGREGATES),
        "can_see_load": not public and has_permission(request.user, Perm.INVESTMENT_VIEW),
        "csv_tables": profiles.CSV_TABLES,
        "withheld_note": exports.withheld_note(),
        "threshold": active_rule().threshold,
        "today": timezone.localdate(),
    }


def _find_by_postcode(
    request: HttpRequest, public: bool
) -> tuple[PostcodeForm, HttpResponse | None]:
    """?postcode=: the profile of the neighbourhood (else LSOA) the postcode is in."""
    if "postcode" not in request.GET:
        return PostcodeForm(), None
    form = PostcodeForm(request.GET)
    if form.is_valid():
        try:
            _, _, lsoa = postcode_point(form.cleaned_data["postcode"])
        except (InvalidPostcode, UnknownPostcode) as error:
            form.add_error("postcode", str(error))
        else:
            area = neighbourhood_of_lsoa(lsoa) or lsoa
            if area is None:
                form.add_error(
                    "postcode", gettext("That postcode is not in any area we report on.")
                )
            else:
                return form, redirect(_names(public)["profile"], code=area.code)
    return form, None


def _overview(request: HttpRequest, *, public: bool) -> HttpResponse:
    postcode_form, found = _find_by_postcode(request, public)
    if found is not None:
        return found
    form = InsightFilters(request.GET)
    scope = form.scope()
    title = gettext("What your neighbourhood needs") if public else "Neighbourhood insight"
    context = {
        **_base(request, public, title),
        "form": form,
        "postcode_form": postcode_form,
        "neighbourhoods": profiles.neighbourhood_list(),
    }
    status = 200 if scope is not None and not postcode_form.errors else 400
    if scope is not None:
        rows = _real_gaps(selectors.gaps(scope))
        balance = profiles.category_balance(scope)
        context.update(
            scope=scope,
            period_label=profiles.period_label(scope.period.code),
            gaps=rows if request.GET.get("all") else rows[:TOP_GAPS],
            gap_count=len(rows),
            balance=balance,
            balance_rows=_balance_rows(balance),
            query=request.GET.urlencode(),
            **_map_context(request, scope, form.map_measure, public),
            **_equity(scope),
        )
    return render(request, "insight/overview.jinja", context, status=status)


@require_GET
@permission_required(Perm.INSIGHT_VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    return _overview(request, public=False)


@public_page
@require_GET
def public_overview(request: HttpRequest) -> HttpResponse:
    return _overview(request, public=True)


def _profile(request: HttpRequest, code: str, *, public: bool) -> HttpResponse:
    area = profiles.profile_area(code)
    if area is None:
        raise Http404
    form = InsightFilters(request.GET, fields=("period", "measure"))
    scope = form.scope(area=area)
    context = {
        **_base(request, public, gettext("%(area)s: neighbourhood profile") % {"area": area.name}),
        "area": area,
        "form": form,
        "lsoa_count": profiles.lsoa_count(area),
        "deciles": profiles.imd_deciles(area),
    }
    if scope is None:
        return render(request, "insight/profile.jinja", context, status=400)
    info = next((i for i in scope.areas.values() if i.code == area.code), None)
    rows = _real_gaps(row for row in selectors.gaps(scope) if row.area_code == area.code)
    area_scope = selectors.insight_scope(
        level=area.area_type, period=scope.period.code, area=area.code
    )
    balance = profiles.category_balance(scope, area.code)
    context.update(
        scope=scope,
        info=info,
        period_label=profiles.period_label(scope.period.code),
        gaps=rows[:PROFILE_GAPS],
        gap_count=len(rows),
        balance=balance,
        balance_rows=_balance_rows(balance),
        emerging=profiles.emerging_groups_in(area),
        query=request.GET.urlencode(),
        focus=area.code,
        **_map_context(request, scope, form.map_measure, public),
        # Deprivation only: each dimension reads every referral's outcomes once more.
        **_equity(area_scope, ("imd_decile",)),
    )
    return render(request, "insight/profile.jinja", context)


@require_GET
@permission_required(Perm.INSIGHT_VIEW)
def profile(request: HttpRequest, code: str) -> HttpResponse:
    return _profile(request, code, public=False)


@public_page
@require_GET
def public_profile(request: HttpRequest, code: str) -> HttpResponse:
    return _profile(request, code, public=True)


def _geojson(
    scope: InsightScope,
    measure: str,
    values: list[selectors.AreaValue],
    classes: list[profiles.LegendClass],
    public: bool,
) -> dict:
    """GeoJSON of the areas with one published figure each (null: withheld), its fill
    and a link to each area's profile."""
    shapes = profiles.boundaries(scope.level, (v.area_code for v in values))
    categories = {c.code: gettext(c.name) for c in scope.categories.values()}
    profile_name = _names(public)["profile"]
    features = [
        {
            "type": "Feature",
            "geometry": shapes[value.area_code].geometry,
            "properties": {
                "outline": shapes[value.area_code].outline,
                "code": value.area_code,
                "name": value.area_name,
                "value": value.value,
                "display": _display(value.value, scope),
                "withheld": value.value is None,
                "colour": profiles.colour_of(value.value, classes),
                "category": categories.get(value.category or "", "") if value.value else "",
                "url": reverse(profile_name, kwargs={"code": value.area_code}),
            },
        }
        for value in values
        if value.area_code in shapes
    ]
    return {
        "type": "FeatureCollection",
        "measure": measure,
        "label": gettext(selectors.MAP_MEASURES[measure]),
        "level": scope.level,
        "period": scope.period.code,
        "attribution": GEOGRAPHY_ATTRIBUTION,
        "features": features,
    }


def _display(value: float | int | None, scope: InsightScope) -> str:
    if value is None:
        return gettext("Withheld (fewer than %(threshold)s people)") % {
            "threshold": scope.rule.threshold
        }
    return profiles.format_number(value)


@require_GET
@permission_required(Perm.INSIGHT_VIEW)
def map_data(request: HttpRequest) -> JsonResponse:
    """The map's GeoJSON for the filters given; 422 naming each bad filter."""
    form = InsightFilters(request.GET)
    scope = form.scope()
    if scope is None:
        errors = {field: " ".join(messages) for field, messages in form.errors.items()}
        return JsonResponse(invalid_input_body(errors), status=422)
    values = selectors.measure_by_area(scope, form.map_measure)
    classes = profiles.legend(v.value for v in values)
    return JsonResponse(
        _geojson(scope, form.map_measure, values, classes, public=False),
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
@permission_required(Perm.EXPORT_AGGREGATES)
def download(request: HttpRequest, table: str) -> HttpResponse:
    """One published table as CSV; each download is audited as an aggregate export."""
    if table not in profiles.CSV_TABLES:
        raise Http404
    if table == "load" and not has_permission(request.user, Perm.INVESTMENT_VIEW):
        raise Http404
    # The load table is filtered as its page is (period, where people live).
    form = LoadFilters(request.GET) if table == "load" else InsightFilters(request.GET)
    scope = form.scope()
    if scope is None:
        problems = "; ".join(f"{field}: {' '.join(m)}" for field, m in form.errors.items())
        return HttpResponseBadRequest(f"Invalid filters. {problems}", content_type="text/plain")
    rows = profiles.csv_table(table, scope)
    record_event(
        by=request.user,
        action="insight_exported",
        object_type="insight",
        object_id=table,
        summary=(
            f"aggregate export table={table} level={scope.level} period={scope.period.code} "
            f"category={scope.category.code if scope.category else ''} "
            f"area={scope.area.code if scope.area else ''} rows={len(rows) - 1}"
        ),
    )
    response = HttpResponse(exports.csv_text(rows), content_type="text/csv; charset=utf-8")
    level = "" if table == "load" else f"-{scope.level}"  # load is per group, not per area
    where = f"-{scope.area.code}" if scope.area else ""
    filename = f"linkwork-{table}{level}{where}-{scope.period.code}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@permission_required(Perm.INVESTMENT_VIEW)
def load(request: HttpRequest) -> HttpResponse:
    """Per group: people sent, accepted and attending beside grants received."""
    form = LoadFilters(request.GET)
    scope = form.scope()
    context = {**_base(request, False, "Load and investment"), "form": form}
    if scope is None:
        return render(request, "insight/load.jinja", context, status=400)
    rows = selectors.group_load(scope)
    chart = sorted((r for r in rows if r.referrals_received), key=lambda r: -r.referrals_received)
    context.update(
        scope=scope,
        period_label=profiles.period_label(scope.period.code),
        rows=rows,
        unfunded=[r for r in rows if r.unfunded_with_load],
        chart_rows=[
            {"label": r.organisation_name, "values": [r.referrals_received, r.attending]}
            for r in chart[:15]
        ],
        query=request.GET.urlencode(),
        area=Area.objects.filter(code=form.cleaned_data.get("area") or "").first(),
        # Awarded and paid to date from grant rounds and tariffs (linkwork.funding).
        funding=awarded_and_paid_by_organisation([r.organisation_id for r in rows]),
        can_fund=has_permission(request.user, Perm.GRANT_RECORD),
    )
    return render(request, "insight/load.jinja", context)
