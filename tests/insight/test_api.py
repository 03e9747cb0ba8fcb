"""GET /api/v1/insight/gaps (DESIGN.md §9): ranked rows, suppressed counts null and named."""

import pytest
from django.test import Client

from linkwork.accounts.roles import Role
from linkwork.accounts.services import create_api_token
from tests.factories import user_with_role

URL = "/api/v1/insight/gaps"
PEOPLE_FIELDS = ("demand", "unmet", "waitlisted", "interests", "need")


@pytest.fixture
def gapful(build, town):
    build.refer(5, town.north_a, ["need-money-debt"])
    build.unmet(9, town.north_a, "need-money-debt", "none_exists")
    build.unmet(3, town.south, "need-housing", "cost")
    build.unmet(12, town.south, "need-food", "full")
    # Withheld with the 3 in Southgate's row (secondary suppression), rather than Northfield.
    build.unmet(8, town.south, "need-carers", "timing")
    build.asset("Pantry", ["need-food"], lsoa=town.south, capacity_status="full")
    return town


@pytest.mark.parametrize("role", [Role.PANEL, Role.COMMISSIONER])
def test_panel_and_commissioners_get_ranked_rows(role, persona, gapful):
    response = persona(role).get(URL)

    assert response.status_code == 200
    rows = response.json()["items"]
    assert [row["rank"] for row in rows] == list(range(1, len(rows) + 1))
    top = rows[0]
    assert {
        "area_code",
        "area_name",
        "category",
        "demand",
        "supply",
        "unmet",
        "score",
        "evidence",
        "suppressed",
    } <= set(top)
    assert (top["area_code"], top["category"], top["demand"], top["unmet"]) == (
        "N-NORTH",
        "need-money-debt",
        15,
        10,
    )
    # Northfield is deciles 1 and 3 (weights 2 and 1.78, equal populations): 1.89 × 10 ÷ 1.
    assert top["score"] == 18.89


@pytest.mark.parametrize(
    "role", [Role.REFERRER, Role.LINK_WORKER, Role.GROUP, Role.RESIDENT, Role.ADMIN]
)
def test_other_roles_are_refused(role, persona, gapful):
    response = persona(role).get(URL)

    assert response.status_code == 403
    assert "evidence" not in response.content.decode()


def test_anonymous_visitors_must_sign_in(anonymous, gapful):
    assert anonymous.get(URL).status_code == 401


def test_a_commissioners_bearer_token_works(db, gapful):
    _, token = create_api_token(user=user_with_role(Role.COMMISSIONER), by=None)

    response = Client().get(URL, HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 200


def test_a_withheld_count_is_null_and_named(persona, gapful):
    rows = persona(Role.PANEL).get(URL, {"category": "need-housing"}).json()["items"]

    assert len(rows) == 1
    housing = rows[0]
    assert housing["unmet"] is None and housing["score"] is None
    assert {"unmet", "need", "score"} <= set(housing["suppressed"])
    for field in housing["suppressed"]:
        assert housing[field] is None


def test_no_count_of_one_to_seven_people_is_ever_returned(persona, gapful):
    for params in ({}, {"level": "lsoa"}, {"area": "N-SOUTH"}, {"period": "last-3-months"}):
        for row in persona(Role.COMMISSIONER).get(URL, params).json()["items"]:
            for field in PEOPLE_FIELDS:
                assert row[field] is None or row[field] == 0 or row[field] % 5 == 0, row


def test_filters_by_area_category_period_and_level(persona, gapful):
    client = persona(Role.PANEL)

    def rows(params: dict) -> list[dict]:
        return client.get(URL, params).json()["items"]

    by_lsoa = rows({"area": "N-NORTH", "level": "lsoa"})
    food = rows({"category": "need-food"})
    long_ago = rows({"period": "2019"})
    top_one = rows({"limit": 1})

    assert {row["area_code"] for row in by_lsoa} == {gapful.north_a.code}
    assert {row["category"] for row in food} == {"need-food"}
    assert long_ago == []
    assert len(top_one) == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"area": "E09999999"}, "area"),
        ({"category": "need-unicorns"}, "category"),
        ({"period": "next-tuesday"}, "period"),
        ({"period": "2025-Q7"}, "period"),
        ({"level": "county"}, "level"),
        ({"limit": "0"}, "limit"),
        ({"limit": "many"}, "limit"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(params, field, persona, gapful):
    response = persona(Role.COMMISSIONER).get(URL, params)

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]


def test_every_bad_field_is_named_at_once(persona, gapful):
    response = persona(Role.COMMISSIONER).get(
        URL, {"area": "nowhere", "category": "nothing", "period": "never"}
    )

    assert response.status_code == 422
    assert {error["field"] for error in response.json()["errors"]} == {"area", "category", "period"}


def test_the_api_names_no_person(persona, build, gapful):
    from linkwork.referrals.models import Person

    body = persona(Role.COMMISSIONER).get(URL, {"level": "lsoa"}).content.decode()

    for person in Person.objects.all()[:20]:
        assert person.family_name not in body
        assert str(person.uuid) not in body
