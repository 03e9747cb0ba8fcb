"""The insight pages: the overview (map, ranked gaps, equity, demand against supply), a
neighbourhood's printable profile, load and investment, CSV downloads, and the public
copy — who may see each, what they show, and what happens to bad filters."""

import csv
import io
import json
import re

import pytest
from django.urls import reverse

from linkwork.accounts.roles import Role
from linkwork.audit.models import AuditEvent
from tests.factories import PostcodeFactory

pytestmark = pytest.mark.django_db

INSIGHT_ROLES = (Role.PANEL, Role.COMMISSIONER)
OTHER_ROLES = (Role.REFERRER, Role.LINK_WORKER, Role.GROUP, Role.RESIDENT, Role.ADMIN)


def square(area, west: float, south: float, size: float = 0.01) -> None:
    """Give an area a square boundary (neighbours share edges, as ONS boundaries do)."""
    ring = [
        [west, south],
        [west + size, south],
        [west + size, south + size],
        [west, south + size],
        [west, south],
    ]
    area.boundary_geojson = json.dumps({"type": "Polygon", "coordinates": [ring]})
    area.save()


@pytest.fixture
def world(build, town):
    """Northfield: 14 people referred for debt, 9 of them unmet because nothing exists,
    10 with open interest in a walking group; Southgate: 20 referred for loneliness and
    connected to a group that has no grant. Boundaries: three squares in a row."""
    square(town.north_a, -2.44, 53.57)
    square(town.north_b, -2.43, 53.57)
    square(town.south, -2.42, 53.57)
    build.refer(5, town.north_a, ["need-money-debt"])
    build.unmet(9, town.north_b, "need-money-debt", "none_exists")
    build.interests(10, "activity-walking", lsoa=town.north_a, neighbourhood=town.northfield)
    build.asset(
        "Debt advice drop-in",
        ["need-money-debt"],
        lsoa=town.south,
        sessions=1,
        capacity_status="full",
    )
    club = build.asset("Southgate lunch club", ["need-loneliness"], lsoa=town.south, sessions=2)
    build.connect(20, town.south, club, "attending")
    town.club = club
    return town


def get(client, name: str, query: str = "", **kwargs):
    return client.get(reverse(name, kwargs=kwargs or None) + (f"?{query}" if query else ""))


# --- Who may see what --------------------------------------------------------------------


@pytest.mark.parametrize("role", INSIGHT_ROLES, ids=str)
def test_panels_and_commissioners_see_the_overview_map_and_profiles(role, persona, world):
    client = persona(role)
    assert get(client, "insight").status_code == 200
    assert get(client, "insight-map").status_code == 200
    assert get(client, "insight-area", code="N-NORTH").status_code == 200
    assert get(client, "insight-area", code=world.north_a.code).status_code == 200


@pytest.mark.parametrize("role", OTHER_ROLES, ids=str)
def test_other_roles_are_refused_every_insight_page(role, persona, world):
    client = persona(role)
    for name, kwargs in (
        ("insight", {}),
        ("insight-map", {}),
        ("insight-load", {}),
        ("insight-area", {"code": "N-NORTH"}),
        ("insight-download", {"table": "gaps"}),
    ):
        assert get(client, name, **kwargs).status_code == 403, name


def test_anonymous_visitors_are_sent_to_sign_in_but_see_the_public_pages(anonymous, world):
    for name, kwargs in (
        ("insight", {}),
        ("insight-map", {}),
        ("insight-load", {}),
        ("insight-area", {"code": "N-NORTH"}),
        ("insight-download", {"table": "gaps"}),
    ):
        response = get(anonymous, name, **kwargs)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert get(anonymous, "neighbourhoods").status_code == 200
    assert get(anonymous, "neighbourhood-profile", code="N-NORTH").status_code == 200


@pytest.mark.parametrize("role", [*Role], ids=str)
def test_the_public_pages_are_the_same_for_every_role(role, persona, world):
    client = persona(role)
    assert get(client, "neighbourhoods").status_code == 200
    assert get(client, "neighbourhood-profile", code="N-NORTH").status_code == 200


def test_only_commissioners_download_figures_and_see_load_and_investment(persona, world):
    panel, commissioner = persona(Role.PANEL), persona(Role.COMMISSIONER)
    assert get(panel, "insight-load").status_code == 403
    assert get(panel, "insight-download", table="demand").status_code == 403
    assert "Download the figures" not in get(panel, "insight").content.decode()
    page = get(commissioner, "insight").content.decode()
    assert "Download the figures" in page and reverse("insight-load") in page


def test_an_unknown_area_is_not_found(persona, anonymous, world):
    assert get(persona(Role.PANEL), "insight-area", code="E09999999").status_code == 404
    assert get(anonymous, "neighbourhood-profile", code="nowhere").status_code == 404
    # A local authority has no profile of its own (its neighbourhoods do).
    assert get(anonymous, "neighbourhood-profile", code=world.borough.code).status_code == 404


# --- What the pages show -----------------------------------------------------------------


def test_the_overview_ranks_gaps_with_the_evidence_in_words(persona, world):
    page = get(persona(Role.PANEL), "insight").content.decode()
    assert "Gaps: where demand outruns supply" in page
    gaps = page[page.index('id="gaps-heading"') :]
    # Northfield's debt gap comes first, in words, with rounded published counts.
    assert gaps.index("Northfield") < gaps.index("Southgate") if "Southgate" in gaps else True
    assert "15 people were referred for help with money and debt in Northfield" in page
    assert "10 could not be connected to anything suitable" in page
    assert "Contains ONS and OS data © Crown copyright and database right" in page
    assert "Referred and connected per 1,000 residents, by IMD decile" in page
    assert "People asking and listings, by need or activity" in page
    assert reverse("insight-area", kwargs={"code": "N-NORTH"}) in page


def test_the_overview_works_without_javascript_as_tables(persona, world):
    page = get(persona(Role.PANEL), "insight").content.decode()
    # The map is added by a script; the same figures are in a table beside it.
    assert 'id="insight-map"' in page and " hidden" in page
    table = page[page.index("by area, in the last 12 months") :]
    assert "Northfield" in table and "Southgate" in table


def test_a_profile_shows_top_gaps_map_equity_emerging_groups_and_demand_against_supply(
    persona, world
):
    page = get(persona(Role.PANEL), "insight-area", code="N-NORTH").content.decode()
    assert "<h1>Northfield</h1>" in page
    assert "Top gaps in Northfield" in page
    assert "15 people were referred for help with money and debt in Northfield" in page
    assert 'data-focus="N-NORTH"' in page
    assert "Who is being reached: equity by deprivation" in page
    assert "Decile 1 (most deprived)" in page
    assert "Emerging groups" in page and "<strong>Walking group</strong>, Northfield" in page
    assert "People asking and listings serving Northfield" in page
    assert "Deciles 1 to 3" in page and "3,000" in page  # residents of its two LSOAs
    # The print stylesheet comes with it.
    assert "css/insight.css" in page


def test_a_profile_figure_reads_as_on_the_overview(persona, world):
    client = persona(Role.PANEL)
    overview = get(client, "insight").content.decode()
    profile = get(client, "insight-area", code="N-NORTH").content.decode()
    evidence = re.search(r"15 people were referred for help with money and debt[^<]*", profile)
    assert evidence and evidence.group(0) in overview


def test_the_map_data_is_geojson_of_published_figures(persona, world):
    data = get(persona(Role.PANEL), "insight-map", "measure=people_referred&level=lsoa").json()
    assert data["type"] == "FeatureCollection"
    assert data["attribution"] == "Contains ONS and OS data © Crown copyright and database right"
    by_code = {f["properties"]["code"]: f["properties"] for f in data["features"]}
    assert by_code[world.south.code]["value"] == 20
    assert by_code[world.north_a.code]["value"] is None  # 5 people: withheld
    # 9 people, withheld too: else the total would give Northfield 001A's 5 away.
    assert by_code[world.north_b.code]["value"] is None
    assert by_code[world.north_a.code]["withheld"] is True
    assert "fewer than 8" in by_code[world.north_a.code]["display"]
    feature = data["features"][0]
    assert feature["geometry"]["type"] == "Polygon"


def test_a_neighbourhood_on_the_map_is_its_lsoas_with_their_outer_edge(persona, world):
    data = get(persona(Role.PANEL), "insight-map").json()
    north = next(f for f in data["features"] if f["properties"]["code"] == "N-NORTH")
    assert north["geometry"]["type"] == "MultiPolygon"
    assert len(north["geometry"]["coordinates"]) == 2
    # Two squares side by side: 8 edges, the shared one inside, so 6 on the outline.
    assert len(north["properties"]["outline"]) == 6
    assert north["properties"]["url"] == reverse("insight-area", kwargs={"code": "N-NORTH"})


def inline_map(page: str) -> dict:
    found = re.search(r'<script id="insight-map-data" type="application/json">(.*?)</script>', page)
    return json.loads(found.group(1))


def test_the_public_pages_carry_the_map_in_the_page_linking_to_public_profiles(anonymous, world):
    # No anonymous insight API: the GeoJSON comes with the page (docs/decisions.md).
    page = get(anonymous, "neighbourhoods").content.decode()
    assert reverse("insight-map") not in page
    data = inline_map(page)
    urls = {f["properties"]["url"] for f in data["features"]}
    assert reverse("neighbourhood-profile", kwargs={"code": "N-NORTH"}) in urls


def test_filters_narrow_the_overview_to_a_category_and_small_areas(persona, world):
    page = get(persona(Role.PANEL), "insight", "level=lsoa&category=need-loneliness").content
    page = page.decode()
    assert "Southgate 002A" in page
    assert "money and debt in Northfield" not in page


def test_a_period_with_nothing_in_it_says_so(persona, world):
    page = get(persona(Role.PANEL), "insight", "period=2001").content.decode()
    assert "Nobody in these areas asked for anything in this period." in page


def test_a_shared_link_with_any_valid_period_works(persona, world):
    response = get(persona(Role.PANEL), "insight", "period=2023-Q2")
    assert response.status_code == 200
    assert "April to June 2023" in response.content.decode()


def test_the_postcode_finder_opens_the_neighbourhood_profile(anonymous, world):
    PostcodeFactory(postcode="BL1 1AA", lsoa=world.north_b)
    response = get(anonymous, "neighbourhoods", "postcode=bl11aa")
    assert response.status_code == 302
    assert response["Location"] == reverse("neighbourhood-profile", kwargs={"code": "N-NORTH"})


def test_an_unknown_postcode_is_an_error_on_the_field(anonymous, world):
    response = get(anonymous, "neighbourhoods", "postcode=ZZ99 9ZZ")
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "We could not find ZZ99 9ZZ" in page


# --- Bad filters: a clear error, never a 500 ----------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("level=county", "Choose neighbourhoods or small areas from the list."),
        ("category=need-unicorns", "Choose a need or activity from the list."),
        ("period=yesterday", "Choose a period from the list."),
        ("measure=happiness", "Choose what the map shows from the list."),
        ("level=%00&period=%ff", "There is a problem"),
    ],
)
def test_bad_filters_get_an_error_summary(persona, world, query, message):
    response = get(persona(Role.PANEL), "insight", query)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert "Gaps: where demand outruns supply" not in page


def test_bad_filters_on_a_profile_the_map_data_and_a_download(persona, anonymous, world):
    panel = persona(Role.PANEL)
    assert get(panel, "insight-area", "period=soon", code="N-NORTH").status_code == 400
    assert get(anonymous, "neighbourhood-profile", "measure=x", code="N-NORTH").status_code == 400
    response = get(panel, "insight-map", "level=county")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "level"
    commissioner = persona(Role.COMMISSIONER)
    response = get(commissioner, "insight-download", "period=soon", table="gaps")
    assert response.status_code == 400 and b"period" in response.content
    assert get(commissioner, "insight-download", table="people").status_code == 404
    assert not AuditEvent.objects.filter(action="insight_exported").exists()
    assert get(commissioner, "insight-load", "area=nowhere").status_code == 400


# --- CSV downloads ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "table",
    ["gaps", "demand", "supply", "equity", "equity-age", "equity-sex", "equity-ethnicity", "load"],
)
def test_each_csv_download_is_audited_as_an_aggregate_export(persona, world, table):
    client = persona(Role.COMMISSIONER)
    response = get(client, "insight-download", "level=lsoa", table=table)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    level = "" if table == "load" else "-lsoa"  # the load table is per group
    assert f"linkwork-{table}{level}-last-12-months.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) > 1
    event = AuditEvent.objects.get(action="insight_exported")
    assert event.object_id == table and event.actor_id == client.user.pk
    assert "aggregate export" in event.summary
    assert table == "load" or "level=lsoa" in event.summary


def test_the_load_download_is_filtered_as_the_load_page_is(persona, build, world):
    client = persona(Role.COMMISSIONER)
    group = build.asset("Pantry", ["need-food"], lsoa=world.south)
    build.connect(10, world.south, group, "attending")
    build.connect(15, world.north_a, group, "attending")

    page = get(client, "insight-load", "area=N-NORTH").content.decode()
    link = re.search(r'href="([^"]*/insight/download/load\.csv[^"]*)"', page)
    assert link is not None and "area=N-NORTH" in link.group(1)
    response = client.get(link.group(1).replace("&amp;", "&"))

    assert "linkwork-load-N-NORTH-last-12-months.csv" in response["Content-Disposition"]
    rows = {r["organisation"]: r for r in csv.DictReader(io.StringIO(response.content.decode()))}
    assert rows[group.organisation.name]["referrals_received"] == "15"
    assert "area=N-NORTH" in AuditEvent.objects.get(action="insight_exported").summary
    everywhere = get(client, "insight-download", table="load")
    rows = {r["organisation"]: r for r in csv.DictReader(io.StringIO(everywhere.content.decode()))}
    assert rows[group.organisation.name]["referrals_received"] == "25"


def test_the_gaps_csv_holds_the_ranked_rows_with_evidence(persona, world):
    response = get(persona(Role.COMMISSIONER), "insight-download", table="gaps")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    first = rows[0]
    assert first["rank"] == "1" and first["area_name"] == "Northfield"
    assert first["category"] == "need-money-debt" and first["demand"] == "15"
    assert first["evidence"].startswith("15 people were referred for help with money and debt")


def test_a_group_name_cannot_run_as_a_spreadsheet_formula(persona, build, world):
    world.club.organisation.name = '=HYPERLINK("http://evil")'
    world.club.organisation.save()
    response = get(persona(Role.COMMISSIONER), "insight-download", table="load")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["organisation"].startswith("'=")


# --- Load and investment ------------------------------------------------------------------


def test_groups_carrying_load_with_no_funding_stand_out(persona, build, world):
    funded = build.asset("Funded walk", ["need-loneliness"], lsoa=world.south)
    build.connect(10, world.south, funded, "attending")
    build.grant(funded.organisation, 750)
    page = get(persona(Role.COMMISSIONER), "insight-load").content.decode()
    assert "1 group carrying load with no funding" in page
    assert "&lt;" not in page  # the callout's words are markup, not escaped text
    assert "Carrying load, no funding" in page and "Funded" in page
    table = page[page.index("Every group") :]
    assert table.index(world.club.organisation.name) < table.index(funded.organisation.name)
    assert "£750 (1)" in table


# --- The public copy ------------------------------------------------------------------------


def test_the_public_pages_show_the_same_figures_without_load_downloads_or_people(
    anonymous, persona, world
):
    public = get(anonymous, "neighbourhoods").content.decode()
    private = get(persona(Role.COMMISSIONER), "insight").content.decode()
    pattern = re.compile(r'data-people="([^"]*)"')
    assert pattern.findall(public) == pattern.findall(private)
    evidence = re.compile(r'class="nhsuk-table__cell linkwork-evidence">([^<]*)<')
    assert evidence.findall(public) == evidence.findall(private)
    assert "insight/load" not in public and "Download the figures" not in public
    assert world.club.organisation.name not in public  # no group's load, no names
    assert "Person" not in public


def test_the_public_profile_matches_the_panels(anonymous, persona, world):
    public = get(anonymous, "neighbourhood-profile", code="N-NORTH").content.decode()
    private = get(persona(Role.PANEL), "insight-area", code="N-NORTH").content.decode()
    pattern = re.compile(r'data-people="([^"]*)"')
    assert pattern.findall(public) == pattern.findall(private)
    assert "Top gaps in Northfield" in public and "Emerging groups" in public


def test_panel_and_commissioner_homes_link_to_insight(persona):
    assert reverse("insight") in persona(Role.PANEL).get(reverse("home-panel")).content.decode()
    page = persona(Role.COMMISSIONER).get(reverse("home-commissioner")).content.decode()
    assert reverse("insight") in page and reverse("insight-load") in page


# --- In Welsh (issue 18) ----------------------------------------------------------------


def test_the_public_neighbourhood_pages_are_in_welsh_filters_map_and_tables(anonymous, world):
    page = get(anonymous, "neighbourhoods", "lang=cy").content.decode()
    assert "<h1>Beth sydd ei angen ar eich cymdogaeth</h1>" in page
    # The filters, their choices and the map's measure.
    assert "Lliwio&#39;r map yn ôl" in page or "Lliwio'r map yn ôl" in page
    assert "Pob angen a gweithgaredd" in page and ">Ardaloedd bach (LSOAs)</option>" in page
    assert "Sgôr bwlch (y bwlch mwyaf yn yr ardal)" in page
    # The map: its label, its key, its JavaScript's words (in data attributes) and the
    # figures the inline GeoJSON carries.
    assert "Allwedd i&#39;r map" in page or "Allwedd i'r map" in page
    assert 'data-words-biggest-gap="Bwlch mwyaf: %s"' in page
    assert inline_map(page)["label"] == "Sgôr bwlch (y bwlch mwyaf yn yr ardal)"
    # The gap and equity tables, and the charts.
    assert ">Safle</th>" in page and ">Pobl mewn angen</th>" in page
    assert "Pwy sy&#39;n cael eu cyrraedd" in page or "Pwy sy'n cael eu cyrraedd" in page
    assert "Degradd 1 (mwyaf difreintiedig)" in page and ">Pawb</th>" in page
    assert "Dangos y ffigurau ar gyfer" in page
    for english in ("Key to the map", "Colour the map by", "Gap score", "Who is being reached"):
        assert english not in page
    profile = get(anonymous, "neighbourhood-profile", "lang=cy", code="N-NORTH").content.decode()
    assert "Northfield: proffil cymdogaeth" in profile
    assert "Pobl a atgyfeiriwyd o Northfield" in profile


def test_the_public_pages_stay_in_english_for_an_english_visitor(anonymous, world):
    page = get(anonymous, "neighbourhoods").content.decode()
    assert "Colour the map by" in page and 'data-words-biggest-gap="Biggest gap: %s"' in page
    assert inline_map(page)["label"] == "Gap score (the biggest gap in the area)"
    assert "Decile 1 (most deprived)" in page
