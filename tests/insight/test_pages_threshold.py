"""Nothing below the disclosure threshold is shown anywhere: a world of small counts
(1–7 people everywhere, and one cell of 14 beside a withheld one), then every page,
every CSV, every map measure at both levels and the public copy are read, and every
count of people in them must be 0, withheld (*, null) or a rounded figure of 8 or more."""

import csv
import html
import io
import json
import re

import pytest
from django.urls import reverse

from linkwork.accounts.roles import Role
from linkwork.insight.selectors import MAP_MEASURES

# The columns that count people: the ones the threshold applies to.
from tests.insight.test_disclosure import PEOPLE as PEOPLE_COLUMNS

pytestmark = pytest.mark.django_db

PEOPLE_MEASURES = {"need", "people_referred", "referred", "unmet", "waitlisted", "interests"}
# A small count in words: "3 people", "5 could not be connected", "6 were put on ...".
SMALL_IN_WORDS = re.compile(
    r"(?<![\d,.£])\b[1-7]\s+(people|person|could not|were|was|registered|would join)"
)


def published(text: str) -> bool:
    """0, withheld, or rounded to 5 and at least the threshold."""
    text = text.strip().replace(",", "")
    if text in ("*", "0", "withheld", ""):
        return True
    return text.isdigit() and int(text) >= 8 and int(text) % 5 == 0


@pytest.fixture
def small_world(build, town):
    square = 0.01
    for i, lsoa in enumerate((town.north_a, town.north_b, town.south)):
        west = -2.44 + i * square
        ring = [
            [west, 53.57],
            [west + square, 53.57],
            [west + square, 53.58],
            [west, 53.58],
            [west, 53.57],
        ]
        lsoa.boundary_geojson = json.dumps({"type": "Polygon", "coordinates": [ring]})
        lsoa.save()
    build.refer(3, town.north_a, ["need-money-debt"], sex="female")
    build.unmet(5, town.north_b, "need-money-debt", "none_exists")
    full = build.asset(
        "Full walk",
        ["need-physical-activity", "activity-walking"],
        lsoa=town.north_a,
        capacity_status="full",
    )
    build.waitlist(2, town.north_a, full, need="need-physical-activity")
    build.interests(6, "activity-walking", lsoa=town.north_a, neighbourhood=town.northfield)
    build.refer(14, town.south, ["need-loneliness"], sex="male")
    build.unmet(4, town.south, "need-loneliness", "full")
    club = build.asset("Small club", ["need-loneliness"], lsoa=town.south, sessions=1)
    build.connect(3, town.south, club, "attending")
    return town


def _pages(client, public: bool, load: bool = False) -> list[str]:
    overview, profile = (
        ("neighbourhoods", "neighbourhood-profile") if public else ("insight", "insight-area")
    )
    urls = []
    for level in ("neighbourhood", "lsoa"):
        for measure in MAP_MEASURES:
            urls.append(f"{reverse(overview)}?level={level}&measure={measure}&all=1")
    for code in ("N-NORTH", "N-SOUTH"):
        urls.append(reverse(profile, kwargs={"code": code}))
    if load:
        urls.append(reverse("insight-load"))
    pages = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages.append(response.content.decode())
    return pages


HEADING = re.compile(r'<span class="nhsuk-table__heading"[^>]*>.*?</span>', re.S)


def _chart_tables(page: str) -> dict[str, list[list[str]]]:
    tables = {}
    for figure in re.findall(r'<figure class="linkwork-chart">(.*?)</figure>', page, re.S):
        caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", figure, re.S).group(1)
        rows = re.findall(r'<th scope="row"[^>]*>.*?</th>(.*?)</tr>', figure, re.S)
        # A cell's value, without the column heading a phone-sized table shows beside it.
        cells = [re.findall(r"<td[^>]*>(.*?)</td>", r) for r in rows]
        tables[html.unescape(caption)] = [[HEADING.sub("", c) for c in row] for row in cells]
    return tables


def _check_page(page: str) -> None:
    for value in re.findall(r'data-people="([^"]*)"', page):
        assert published(value), value
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    small = SMALL_IN_WORDS.search(text)
    assert small is None, text[max(0, small.start() - 80) : small.end() + 40]
    for caption, rows in _chart_tables(page).items():
        people_columns = (
            [0]
            if caption.startswith("People asking")
            else [0, 1]
            if caption.startswith("People sent")
            else []
        )
        for row in rows:
            for i in people_columns:
                assert published(row[i]), (caption, row)


@pytest.mark.parametrize("role", [Role.PANEL, Role.COMMISSIONER], ids=str)
def test_no_small_number_on_any_insight_page(persona, small_world, role):
    for page in _pages(persona(role), public=False, load=role == Role.COMMISSIONER):
        _check_page(page)


def test_no_small_number_on_any_public_page(anonymous, small_world):
    pages = _pages(anonymous, public=True)
    for page in pages:
        _check_page(page)
    # Something is shown: the withheld figures, and the rounded 14 (15).
    assert 'data-people="withheld"' in pages[0]
    assert any('data-people="15"' in page for page in pages)


def test_no_small_number_in_any_csv(persona, small_world):
    client = persona(Role.COMMISSIONER)
    for table in ("gaps", "demand", "supply", "equity", "equity-age", "equity-sex", "load"):
        for level in ("neighbourhood", "lsoa"):
            response = client.get(
                reverse("insight-download", kwargs={"table": table}), {"level": level}
            )
            assert response.status_code == 200
            for row in csv.DictReader(io.StringIO(response.content.decode())):
                for column, value in row.items():
                    if column in PEOPLE_COLUMNS or column.startswith("unmet_"):
                        assert published(value), (table, level, column, value)
                assert SMALL_IN_WORDS.search(row.get("evidence", "")) is None, row["evidence"]


def _map_data(client, public: bool, level: str, measure: str) -> dict:
    query = {"level": level, "measure": measure}
    if not public:
        return client.get(reverse("insight-map"), query).json()
    page = client.get(reverse("neighbourhoods"), query).content.decode()
    found = re.search(r'<script id="insight-map-data" type="application/json">(.*?)</script>', page)
    return json.loads(found.group(1))


@pytest.mark.parametrize("public", [False, True], ids=["insight-map", "public-page-map"])
def test_no_small_number_in_the_map_data(persona, small_world, public):
    client = persona(Role.PANEL)
    for level in ("neighbourhood", "lsoa"):
        for measure in MAP_MEASURES:
            data = _map_data(client, public, level, measure)
            assert data["features"], (level, measure)
            for feature in data["features"]:
                value = feature["properties"]["value"]
                if measure in PEOPLE_MEASURES:
                    assert value is None or published(str(value)), (level, measure, value)
                if value is None:
                    assert feature["properties"]["withheld"] is True
                    assert "fewer than 8" in feature["properties"]["display"]


def test_a_withheld_emerging_group_says_fewer_than_8(anonymous, small_world):
    page = anonymous.get(
        reverse("neighbourhood-profile", kwargs={"code": "N-NORTH"})
    ).content.decode()
    assert "fewer than 8 people would join" in page
