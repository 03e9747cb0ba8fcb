import pytest
from django.test import Client

from linkwork.accounts.roles import Role
from linkwork.audit.models import AuditEvent
from linkwork.directory.models import Asset, CapacityStatus, Publication
from tests.factories import AssetFactory, LocationFactory, OrganisationFactory, user_with_role

pytestmark = pytest.mark.django_db


def signed_in(role: Role, organisation=None) -> Client:
    client = Client()
    client.force_login(user_with_role(role, organisation=organisation))
    return client


def test_search_returns_ranked_results_with_distance_capacity_and_freshness(taxonomy, postcodes):
    AssetFactory(
        name="Debt advice drop-in",
        description="Money and debt help.",
        location=LocationFactory(latitude=53.5780, longitude=-2.4260),
        capacity_status=CapacityStatus.WAITLIST,
    )
    AssetFactory(
        name="Far away debt advice", location=LocationFactory(latitude=53.7, longitude=-2.6)
    )
    response = signed_in(Role.REFERRER).get(
        "/api/v1/services", {"q": "debt", "postcode": "bl1 1ap", "within_km": 5}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1
    result = body["items"][0]
    assert result["name"] == "Debt advice drop-in"
    assert result["distance_km"] < 0.2
    assert result["capacity_status"] == "waitlist"
    assert result["last_verified"] and result["stale"] is False


def test_search_filters_open_only_and_category(taxonomy):
    from linkwork.directory.models import TaxonomyTerm

    food = TaxonomyTerm.objects.get(code="need-food")
    AssetFactory(name="Pantry", categories=[food])
    AssetFactory(name="Full pantry", categories=[food], capacity_status=CapacityStatus.FULL)
    client = signed_in(Role.LINK_WORKER)
    body = client.get("/api/v1/services", {"category": "need-food", "open_only": "true"}).json()
    assert [r["name"] for r in body["items"]] == ["Pantry"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"postcode": "not a postcode"}, "postcode"),
        ({"postcode": "ZZ9 9ZZ"}, "postcode"),
        ({"within_km": "far"}, "within_km"),
        ({"within_km": "-1"}, "within_km"),
        ({"per_page": "1000"}, "per_page"),
        ({"day": "9"}, "day"),
        ({"time_of_day": "midnight"}, "time_of_day"),
    ],
)
def test_bad_search_input_is_422_naming_the_field(taxonomy, postcodes, params, field):
    response = signed_in(Role.REFERRER).get("/api/v1/services", params)
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]


def test_group_creates_a_service_for_its_own_organisation_published(taxonomy, postcodes):
    own = OrganisationFactory()
    client = signed_in(Role.GROUP, organisation=own)
    response = client.post(
        "/api/v1/services",
        {
            "organization_id": own.pk,
            "name": "Chair yoga",
            "description": "Gentle yoga sitting down.",
            "categories": ["need-physical-activity", "activity-exercise"],
            "postcode": "BL2 6LT",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["referral_method"] == "linkwork"
    assert body["postcode"] == "BL2 6LT"
    assert body["categories"] == ["activity-exercise", "need-physical-activity"]
    asset = Asset.objects.get(pk=body["id"])
    assert asset.publication == Publication.PUBLISHED
    assert AuditEvent.objects.filter(action="asset_created", object_id=str(asset.pk)).exists()


def test_group_cannot_create_a_service_for_another_organisation(taxonomy):
    other = OrganisationFactory()
    client = signed_in(Role.GROUP)
    response = client.post(
        "/api/v1/services",
        {"organization_id": other.pk, "name": "X", "description": "Y"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Asset.objects.exists()


@pytest.mark.parametrize("role", [Role.REFERRER, Role.RESIDENT, Role.COMMISSIONER, Role.PANEL])
def test_roles_that_do_not_keep_listings_cannot_create_services(taxonomy, role):
    organisation = OrganisationFactory()
    response = signed_in(role, organisation=None if role == Role.RESIDENT else organisation).post(
        "/api/v1/services",
        {"organization_id": organisation.pk, "name": "X", "description": "Y"},
        content_type="application/json",
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"categories": ["need-made-up"]}, "categories"),
        ({"postcode": "BL1"}, "postcode"),
        ({"postcode": "ZZ9 9ZZ"}, "postcode"),
        ({"name": ""}, "name"),
        ({"referral_method": "carrier_pigeon"}, "referral_method"),
        ({"referral_method": "own_form"}, "referral_form_url"),
        ({"minimum_age": 60, "maximum_age": 18}, "maximum_age"),
        ({"accessibility": ["lift"]}, "accessibility"),
    ],
)
def test_bad_service_input_is_422_naming_the_field_and_saves_nothing(
    taxonomy, postcodes, payload, field
):
    own = OrganisationFactory()
    body = {"organization_id": own.pk, "name": "Chair yoga", "description": "Gentle.", **payload}
    response = signed_in(Role.GROUP, organisation=own).post(
        "/api/v1/services", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not Asset.objects.exists()


def test_group_sets_capacity_of_its_own_service_only(taxonomy):
    own = OrganisationFactory()
    mine = AssetFactory(organisation=own)
    theirs = AssetFactory()
    client = signed_in(Role.GROUP, organisation=own)
    url = "/api/v1/services/{}/capacity"
    response = client.put(
        url.format(mine.pk), {"status": "full", "places": 0}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["capacity_status"] == "full"
    other = client.put(
        url.format(theirs.pk), {"status": "full", "places": 0}, content_type="application/json"
    )
    assert other.status_code == 404
    theirs.refresh_from_db()
    assert theirs.capacity_status == "open"


@pytest.mark.parametrize(
    "payload", [{"status": "closed"}, {"status": "open", "places": -3}, {"places": 4}]
)
def test_bad_capacity_is_422(taxonomy, payload):
    own = OrganisationFactory()
    mine = AssetFactory(organisation=own)
    response = signed_in(Role.GROUP, organisation=own).put(
        f"/api/v1/services/{mine.pk}/capacity", payload, content_type="application/json"
    )
    assert response.status_code == 422
    mine.refresh_from_db()
    assert mine.capacity_status == "open"


def test_link_worker_curates_any_service_and_group_patches_only_its_own(taxonomy):
    own = OrganisationFactory()
    mine = AssetFactory(organisation=own, name="Old name")
    theirs = AssetFactory()
    group = signed_in(Role.GROUP, organisation=own)
    assert (
        group.patch(
            f"/api/v1/services/{mine.pk}", {"name": "New name"}, content_type="application/json"
        ).json()["name"]
        == "New name"
    )
    assert (
        group.patch(
            f"/api/v1/services/{theirs.pk}", {"name": "Hijack"}, content_type="application/json"
        ).status_code
        == 404
    )
    link_worker = signed_in(Role.LINK_WORKER)
    response = link_worker.patch(
        f"/api/v1/services/{theirs.pk}", {"is_free": False}, content_type="application/json"
    )
    assert response.status_code == 200


def test_unpublished_services_are_visible_only_to_those_who_may_edit_them(taxonomy):
    own = OrganisationFactory()
    draft = AssetFactory(organisation=own, publication=Publication.DRAFT)
    assert signed_in(Role.REFERRER).get(f"/api/v1/services/{draft.pk}").status_code == 404
    owner = signed_in(Role.GROUP, organisation=own)
    assert owner.get(f"/api/v1/services/{draft.pk}").status_code == 200


def test_anonymous_callers_get_401(client):
    assert client.get("/api/v1/services").status_code == 401
