"""The API's search reads plain values (selectors.search_service_rows): the same results,
in the same order, with the same fields as the model objects `search_assets` returns."""

import datetime as dt

import pytest
from django.db.models import prefetch_related_objects
from django.utils import timezone

from linkwork.directory.api import service_out, service_row_out
from linkwork.directory.models import (
    AssetLocation,
    CapacityStatus,
    Location,
    LocationType,
    TaxonomyTerm,
)
from linkwork.directory.search_rows import search_service_rows
from linkwork.directory.selectors import AssetFilters, search_assets
from linkwork.places.selectors import Point
from tests.factories import AssetFactory, LocationFactory

pytestmark = pytest.mark.django_db

CENTRE = Point(latitude=53.577585, longitude=-2.425087)


@pytest.fixture
def listings(taxonomy):
    food, walking = (TaxonomyTerm.objects.get(code=c) for c in ("need-food", "activity-walking"))
    near = LocationFactory(latitude=53.5780, longitude=-2.4260, postcode="BL1 1AP")
    AssetFactory(name="Walk and lunch", location=near, categories=[food, walking])
    stale = AssetFactory(
        name="Old walking group",
        location=LocationFactory(latitude=53.59, longitude=-2.44, postcode="BL1 4QR"),
        capacity_status=CapacityStatus.FULL,
        last_verified_at=timezone.now() - dt.timedelta(days=400),
        categories=[walking],
    )
    online = Location.objects.create(location_type=LocationType.VIRTUAL, name="Online")
    AssetLocation.objects.create(asset=stale, location=online)
    AssetFactory(name="Walking line", organisation=None, location=False, borough_wide=True)
    AssetFactory(
        name="Pantry walk",
        location=near,
        capacity_status=CapacityStatus.WAITLIST,
        may_reopen_on=dt.date(2030, 1, 1),
    )


@pytest.mark.parametrize(
    "filters",
    [
        AssetFilters(),
        AssetFilters(text="walk"),
        AssetFilters(text="walk", point=CENTRE, within_km=10),
        AssetFilters(point=CENTRE, within_km=3),
        AssetFilters(categories=["activity-walking"], open_only=True),
        AssetFilters(text="nothing matches this"),
        AssetFilters(text="walk", categories=["need-food", "activity-walking", "need-food"]),
        AssetFilters(activity_types=["activity-walking"], free_only=True, include_stale=False),
        AssetFilters(weekday=2, time_of_day="morning"),
        AssetFilters(time_of_day="sometime"),
        AssetFilters(accessibility=["step_free", "hearing_loop"], language="EN"),
        AssetFilters(community="50%_", modified_after=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)),
    ],
)
@pytest.mark.parametrize(("offset", "limit"), [(0, 20), (1, 2), (10, 5)])
def test_plain_values_give_what_the_model_objects_give(listings, filters, offset, limit):
    found = search_assets(filters, offset=offset, limit=limit)
    prefetch_related_objects([r.asset for r in found.results], "asset_locations__location")
    expected = [service_out(r.asset, r.distance_km) for r in found.results]
    # The first search of a shape compiles through the ORM; the second reuses its SQL.
    for _ in range(2):
        rows = search_service_rows(filters, offset=offset, limit=limit)
        assert [service_row_out(row) for row in rows.rows] == expected
        assert rows.total == found.total


def test_every_shape_of_filters_keeps_its_sql(listings):
    from linkwork.directory import search_candidates

    search_candidates._kept.clear()
    shapes = [
        AssetFilters(text="walk", point=CENTRE, categories=["need-food"], open_only=True),
        AssetFilters(activity_types=["a", "b"], weekday=1, time_of_day="evening", free_only=True),
        AssetFilters(accessibility=["x"], language="cy", community="c", include_stale=False),
        AssetFilters(modified_after=timezone.now()),
    ]
    for filters in shapes:
        search_service_rows(filters)
    assert len(search_candidates._kept) == len(shapes)
    assert None not in search_candidates._kept.values()


def test_the_api_search_makes_one_statement_after_auth(listings, client, django_assert_num_queries):
    from linkwork.accounts.roles import Role
    from tests.factories import user_with_role

    client.force_login(user_with_role(Role.LINK_WORKER))
    client.get("/api/v1/services", {"q": "walk"})
    # The session; its user with their memberships; the ranked page with its columns.
    with django_assert_num_queries(3):
        assert client.get("/api/v1/services", {"q": "walk"}).status_code == 200


def test_the_page_built_without_validation_is_what_validation_gives(
    listings, postcodes, client, monkeypatch
):
    from linkwork.accounts.roles import Role
    from linkwork.directory import api
    from tests.factories import user_with_role

    client.force_login(user_with_role(Role.LINK_WORKER))
    queries = ({"q": "walk"}, {"postcode": "BL1 1AP", "within_km": 10}, {"per_page": 2})
    built = [client.get("/api/v1/services", query).content for query in queries]
    # Returning the dict instead lets Ninja validate it against the schema, as before.
    monkeypatch.setattr(api, "as_json", lambda body: body)
    validated = [client.get("/api/v1/services", query).content for query in queries]
    assert built == validated
    assert all(b'"id": ' in body for body in built)
