"""The Open Referral UK 3.0 feed at /openreferral/, checked against the ORUK schemas.

Every successful response is validated against the schema the ORUK OpenAPI names
for its path (the project's own copy in linkwork/interop/openreferral/oruk-3.0/,
resolved offline), and checked for CORS and for empty values.
"""

import datetime as dt
import json
import re
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

import linkwork.interop.openreferral
from linkwork.directory.models import (
    Asset,
    AssetLocation,
    CapacityStatus,
    Frequency,
    Publication,
)
from linkwork.places.models import AreaType
from tests.factories import (
    AssetFactory,
    LocationFactory,
    OrganisationFactory,
    PostcodeFactory,
    ScheduleFactory,
    TaxonomyFactory,
    TaxonomyTermFactory,
)
from tests.interop.factories import (
    AreaFactory,
    ContactFactory,
    CostOptionFactory,
    full_asset,
    located_in_borough,
    unpublished_assets,
)

ORUK = Path(linkwork.interop.openreferral.__file__).parent / "oruk-3.0"
SCHEMA_BASE = "https://openreferraluk.org/specifications/3.0/schema/"
OPENAPI = json.loads((ORUK / "openapi.json").read_text())
REGISTRY = Registry().with_resources(
    (SCHEMA_BASE + path.name, DRAFT202012.create_resource(json.loads(path.read_text())))
    for path in (ORUK / "schema").glob("*.json")
)
FEED = "/openreferral"
PAGE_KEYS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}
MISSING = "00000000-0000-4000-8000-000000000000"

# Formats the schemas use, checked strictly (jsonschema checks uri and date-time only
# with optional packages; these need none).
FORMATS = FormatChecker()


@FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None


def _validator(schema: dict) -> Draft202012Validator:
    return Draft202012Validator(schema, registry=REGISTRY, format_checker=FORMATS)


def _schema_ref(path: str) -> str:
    response = OPENAPI["paths"][path]["get"]["responses"]["200"]
    return response["content"]["application/json"]["schema"]["$ref"]


def assert_conforms(body: object, schema: dict) -> None:
    errors = sorted(_validator(schema).iter_errors(body), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def assert_no_empty_values(value: object, where: str = "") -> None:
    """Optional fields with nothing in them are left out: never null, never ""."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert item is not None and item != "", f"{where}.{key} is {item!r}"
            assert_no_empty_values(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            assert_no_empty_values(item, f"{where}[{index}]")


def assert_valid(path: str, body: dict) -> None:
    """Valid against the schema the ORUK OpenAPI gives for `path`; nested services too."""
    assert_conforms(body, {"$ref": _schema_ref(path)})
    if "contents" in body:
        assert set(body) >= PAGE_KEYS
        assert_conforms(body, OPENAPI["components"]["schemas"]["Page"])
        items = body["contents"]
    else:
        items = [body]
    # Schemas of lists and of service_at_location leave nested services unchecked.
    service_schema = {"$ref": SCHEMA_BASE + "service.json"}
    for item in items:
        for nested in [item.get("service"), *item.get("services", [])]:
            if nested is not None:
                assert_conforms(nested, service_schema)


def get_json(client, url: str, query: dict | None = None, status: int = 200) -> dict:
    response = client.get(url, query or {})
    assert response.status_code == status, response.content
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert_no_empty_values(body)
    return body


def fetch(client, path: str, query: dict | None = None, **ids: str) -> dict:
    """GET an ORUK path (as the spec spells it), expect 200, and validate the response."""
    body = get_json(client, FEED + path.format(**ids), query)
    assert_valid(path, body)
    return body


def ids_of(body: dict) -> list[str]:
    return [item["id"] for item in body["contents"]]


# --- The root, and every path the spec lists ----------------------------------------


@pytest.mark.django_db
def test_root_gives_the_profile_version_and_the_spec(client):
    body = fetch(client, "/")

    assert body["version"] == "HSDS-UK-3.0"
    assert body["openapi_url"].endswith("/specifications/3.0/openapi.json")


@pytest.fixture
def directory(db):
    """A published asset with everything, a plain one, and unpublished ones around them."""
    asset = full_asset()
    plain = AssetFactory(name="Plain walk", organisation=None, location=False)
    unpublished_assets()
    return {
        "asset": asset,
        "plain": plain,
        "service_at_location": asset.asset_locations.get(),
        "term": asset.terms.get(code="need-loneliness"),
    }


def _ids_for(directory: dict) -> dict[str, str]:
    asset = directory["asset"]
    return {
        "/services/{id}": str(asset.uuid),
        "/organizations/{id}": str(asset.organisation.uuid),
        "/service_at_locations/{id}": str(directory["service_at_location"].uuid),
        "/taxonomies/{id}": str(directory["term"].taxonomy.uuid),
        "/taxonomy_terms/{id}": str(directory["term"].uuid),
    }


@pytest.mark.parametrize("path", sorted(OPENAPI["paths"]))
def test_every_path_in_the_spec_answers_in_its_schema(client, directory, path):
    found = _ids_for(directory).get(path)
    body = fetch(client, path, id=found) if found else fetch(client, path)

    if "contents" in body:
        assert not body["empty"]


@pytest.mark.parametrize(
    ("path", "query", "nested_in_full"),
    [
        ("/services", {"full": "true"}, True),
        ("/service_at_locations", {"full": "true"}, True),
        ("/organizations", {"full": "true"}, False),
        ("/organizations", {"full_service": "true"}, True),
        ("/organizations/{id}", {}, False),
        ("/organizations/{id}", {"full_service": "true"}, True),
    ],
)
def test_fully_nested_variants_are_in_their_schemas(client, directory, path, query, nested_in_full):
    body = fetch(client, path, query, id=_ids_for(directory).get(path, ""))

    services = [
        nested
        for item in body.get("contents", [body])
        for nested in [item.get("service"), item, *item.get("services", [])]
        if nested and "status" in nested
    ]
    assert services
    assert all(("schedules" in nested) == nested_in_full for nested in services)


# --- Paging --------------------------------------------------------------------------


@pytest.mark.django_db
def test_services_are_paged_first_middle_last_and_beyond(client):
    created = {str(AssetFactory(name=f"Walk {n}").uuid) for n in range(7)}

    first = fetch(client, "/services", {"per_page": 3})
    middle = fetch(client, "/services", {"per_page": 3, "page": 2})
    last = fetch(client, "/services", {"per_page": 3, "page": 3})
    beyond = fetch(client, "/services", {"per_page": 3, "page": 4})

    envelope = {key: first[key] for key in PAGE_KEYS - {"contents"}}
    assert envelope == {
        "total_items": 7,
        "total_pages": 3,
        "page_number": 1,
        "size": 3,
        "first_page": True,
        "last_page": False,
        "empty": False,
    }
    assert (middle["page_number"], middle["first_page"], middle["last_page"]) == (2, False, False)
    assert (last["size"], last["first_page"], last["last_page"]) == (1, False, True)
    assert beyond["empty"] and beyond["contents"] == [] and beyond["size"] == 0
    assert set(ids_of(first) + ids_of(middle) + ids_of(last)) == created


@pytest.mark.django_db
def test_an_empty_feed_is_one_empty_page(client):
    body = fetch(client, "/services")

    assert body["total_items"] == 0
    assert body["empty"] and body["first_page"] and body["last_page"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/organizations", "/service_at_locations", "/taxonomies", "/taxonomy_terms"]
)
def test_other_lists_are_paged_too(client, path):
    for n in range(3):
        AssetFactory(name=f"Walk {n}", categories=[TaxonomyTermFactory()])
    TaxonomyFactory(code="other", name="Another taxonomy")
    TaxonomyFactory(code="third", name="A third taxonomy")

    pages = [fetch(client, path, {"per_page": 2, "page": page}) for page in (1, 2)]

    assert [body["size"] for body in pages] == [2, 1]
    assert pages[0]["total_pages"] == 2 and pages[1]["last_page"]
    assert not set(ids_of(pages[0])) & set(ids_of(pages[1]))


# --- The full service record -------------------------------------------------------


@pytest.mark.django_db
def test_a_service_is_the_whole_nested_record(client):
    asset = full_asset()
    location = asset.asset_locations.get().location

    body = fetch(client, "/services/{id}", id=str(asset.uuid))

    assert body["id"] == str(asset.uuid)
    assert body["organization"]["id"] == body["organization_id"] == str(asset.organisation.uuid)
    assert body["status"] == "active"
    assert body["alert"].startswith("Waiting list")
    assert body["assured_date"] == timezone.localdate(asset.last_verified_at).isoformat()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", body["last_modified"])
    assert (body["minimum_age"], body["maximum_age"]) == (18, 99)

    [schedule] = body["schedules"]
    assert {k: schedule[k] for k in ("freq", "interval", "byday", "opens_at", "closes_at")} == {
        "freq": "WEEKLY",
        "interval": 1,
        "byday": "TU",
        "opens_at": "10:00:00",
        "closes_at": "12:00:00",
    }

    [at_location] = body["service_at_locations"]
    assert at_location["location"]["id"] == at_location["location_id"] == str(location.uuid)
    [address] = at_location["location"]["addresses"]
    assert address["postal_code"] == "BL1 1AA"
    assert address["state_province"] == "Bolton"  # the local authority, two areas up
    assert address["country"] == "GB"
    access = {item["description"] for item in at_location["location"]["accessibility"]}
    assert {"Ramp at the side door.", "Step-free access", "Hearing loop"} <= access

    [contact] = body["contacts"]
    assert contact["phones"][0]["number"] == "01204 000000"
    assert [option["amount"] for option in body["cost_options"]] == [2.5]
    assert {language["code"] for language in body["languages"]} == {"en", "pl"}
    terms = [a for a in body["attributes"] if a["link_type"] != "listing_fact"]
    assert {attribute["taxonomy_term"]["code"] for attribute in terms} == {
        "need-loneliness",
        "activity-walking",
    }
    facts = {a["taxonomy_term"]["code"]: a.get("value") for a in body["attributes"]}
    assert facts["listing-capacity"] == asset.capacity_status
    assert all(attribute["link_id"] == str(asset.uuid) for attribute in body["attributes"])
    [area] = body["service_areas"]
    assert area["uri"].endswith("/E01004777")


@pytest.mark.django_db
def test_derived_ids_are_stable_between_requests(client):
    asset = full_asset()

    first = get_json(client, f"{FEED}/services/{asset.uuid}")
    second = get_json(client, f"{FEED}/services/{asset.uuid}")

    for key in ("languages", "attributes", "service_areas"):
        assert [item["id"] for item in first[key]] == [item["id"] for item in second[key]]
        assert all(uuid.UUID(item["id"]) for item in first[key])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("capacity", "status", "alert"),
    [
        (CapacityStatus.OPEN, "active", None),
        (CapacityStatus.WAITLIST, "active", "Waiting list"),
        (CapacityStatus.FULL, "active", "Full"),
        (CapacityStatus.PAUSED, "temporarily closed", "Paused"),
    ],
)
def test_status_and_alert_come_from_capacity(client, capacity, status, alert):
    asset = AssetFactory(capacity_status=capacity)

    body = fetch(client, "/services/{id}", id=str(asset.uuid))

    assert body["status"] == status
    assert body.get("alert", "").startswith(alert) if alert else "alert" not in body


@pytest.mark.django_db
def test_empty_optional_fields_are_left_out(client):
    asset = AssetFactory(
        organisation=OrganisationFactory(name="Tuesday Knitters"),
        is_free=False,
        language_codes="",
        location=LocationFactory(name="", address_1="", city="", postcode="", latitude=None),
    )

    body = fetch(client, "/services/{id}", id=str(asset.uuid))

    for key in ("url", "email", "fees", "minimum_age", "maximum_age", "alert", "phones"):
        assert key not in body, key
    # The schema requires a description; a group that wrote none is described by its name.
    assert body["organization"]["description"] == "Tuesday Knitters"
    assert "parent_organization_id" not in body["organization"]
    location = body["service_at_locations"][0]["location"]
    assert "name" not in location and "latitude" not in location
    assert location["addresses"] == []
    assert body["cost_options"] == [] and body["languages"] == []


@pytest.mark.django_db
def test_who_it_is_for_is_the_eligibility_description(client):
    asset = AssetFactory(gender_space="women", who_for="Mums of under-fives")

    body = fetch(client, "/services/{id}", id=str(asset.uuid))

    assert body["eligibility_description"] == "Women only. Mums of under-fives."


@pytest.mark.django_db
def test_a_free_asset_without_cost_options_has_a_free_option(client):
    asset = AssetFactory(is_free=True)

    body = fetch(client, "/services/{id}", id=str(asset.uuid))

    assert [(option["option"], option["amount"]) for option in body["cost_options"]] == [
        ("Free", 0)
    ]


@pytest.mark.django_db
def test_a_monthly_session_keeps_its_rule(client):
    asset = AssetFactory()
    ScheduleFactory(asset=asset, weekday=4, freq=Frequency.MONTHLY, interval=2)

    [schedule] = fetch(client, "/services/{id}", id=str(asset.uuid))["schedules"]

    assert (schedule["freq"], schedule["interval"], schedule["byday"]) == ("MONTHLY", 2, "FR")


@pytest.mark.django_db
def test_a_postcode_only_location_uses_its_name_and_authority_for_the_address(client):
    location = located_in_borough(name="Tonge Library", address_1="", city="")
    asset = AssetFactory(location=location)
    at_location = asset.asset_locations.get()

    body = fetch(client, "/service_at_locations/{id}", id=str(at_location.uuid))

    [address] = body["location"]["addresses"]
    assert (address["address_1"], address["city"]) == ("Tonge Library", "Bolton")
    assert body["service"]["id"] == str(asset.uuid)


# --- Only published listings ---------------------------------------------------------


@pytest.mark.django_db
def test_unpublished_listings_never_appear(client):
    shown = AssetFactory(name="Published walk", categories=[TaxonomyTermFactory()])
    hidden = unpublished_assets()
    shared = OrganisationFactory()
    AssetFactory(organisation=shared, name="Shared published")
    hidden.append(AssetFactory(organisation=shared, name="Shared draft", publication="draft"))
    hidden_ids = {str(asset.uuid) for asset in hidden}
    hidden_orgs = {str(asset.organisation.uuid) for asset in hidden[:3]}
    hidden_places = {str(row.uuid) for row in AssetLocation.objects.filter(asset__in=hidden)}

    services = fetch(client, "/services", {"per_page": 200})
    searched = fetch(client, "/services", {"text": "walk"})
    places = fetch(client, "/service_at_locations", {"per_page": 200})
    organisations = fetch(client, "/organizations", {"per_page": 200})
    own = fetch(client, "/organizations/{id}", id=str(shared.uuid))

    assert str(shown.uuid) in ids_of(services)
    assert not hidden_ids & set(ids_of(services) + ids_of(searched))
    assert ids_of(searched) == [str(shown.uuid)]
    assert not hidden_places & set(ids_of(places))
    assert not hidden_ids & {item["service_id"] for item in places["contents"]}
    assert not hidden_orgs & set(ids_of(organisations))
    assert [service["name"] for service in own["services"]] == ["Shared published"]
    for asset in hidden:
        get_json(client, f"{FEED}/services/{asset.uuid}", status=404)
    for organisation_id in hidden_orgs:
        get_json(client, f"{FEED}/organizations/{organisation_id}", status=404)
    for place_id in hidden_places:
        get_json(client, f"{FEED}/service_at_locations/{place_id}", status=404)


@pytest.mark.django_db
def test_a_parent_organisation_is_named_only_when_it_is_in_the_feed(client):
    shown_parent = OrganisationFactory(name="Borough CVS")
    AssetFactory(organisation=shown_parent)
    hidden_parent = OrganisationFactory(name="A PCN with no listings")
    visible_child = AssetFactory(organisation=OrganisationFactory(parent=shown_parent))
    orphan_child = AssetFactory(organisation=OrganisationFactory(parent=hidden_parent))

    visible = fetch(client, "/services/{id}", id=str(visible_child.uuid))
    orphan = fetch(client, "/services/{id}", id=str(orphan_child.uuid))

    assert visible["organization"]["parent_organization_id"] == str(shown_parent.uuid)
    assert "parent_organization_id" not in orphan["organization"]


# --- Filters -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["text", "search"])
def test_services_filter_by_text(client, name):
    walk = AssetFactory(name="Nordic walking for beginners")
    AssetFactory(name="Knit and natter")

    body = fetch(client, "/services", {name: "walking"})

    assert ids_of(body) == [str(walk.uuid)]


@pytest.mark.django_db
def test_services_filter_by_taxonomy_term_and_taxonomy(client):
    money = TaxonomyTermFactory(code="need-money", name="Money")
    garden = TaxonomyTermFactory(
        taxonomy=TaxonomyFactory(code="activities", name="Activities"),
        code="activity-gardening",
        name="Gardening",
    )
    advice = AssetFactory(categories=[money])
    allotment = AssetFactory(categories=[garden])
    AssetFactory()

    by_term = fetch(client, "/services", {"taxonomy_term_id": str(money.uuid)})
    by_either = fetch(client, "/services", {"taxonomy_term_id": f"{money.uuid},{garden.uuid}"})
    by_taxonomy = fetch(client, "/services", {"taxonomy_id": str(garden.taxonomy.uuid)})
    by_unknown = fetch(client, "/services", {"taxonomy_term_id": MISSING})

    assert ids_of(by_term) == [str(advice.uuid)]
    assert set(ids_of(by_either)) == {str(advice.uuid), str(allotment.uuid)}
    assert ids_of(by_taxonomy) == [str(allotment.uuid)]
    assert by_unknown["empty"]


@pytest.mark.django_db
def test_services_filter_by_organisation(client):
    mine = AssetFactory()
    AssetFactory()

    body = fetch(client, "/services", {"organization_id": str(mine.organisation.uuid)})

    assert ids_of(body) == [str(mine.uuid)]


@pytest.fixture
def places(db):
    """A postcode in central Bolton, a service ~1 km away, one ~14 km away, one borough-wide."""
    PostcodeFactory(postcode="BL1 1AA", latitude=53.578, longitude=-2.429)
    near = AssetFactory(name="Near", location=LocationFactory(latitude=53.587, longitude=-2.429))
    far = AssetFactory(name="Far", location=LocationFactory(latitude=53.70, longitude=-2.40))
    everywhere = AssetFactory(name="Everywhere", borough_wide=True, location=False)
    return {"near": str(near.uuid), "far": str(far.uuid), "everywhere": str(everywhere.uuid)}


def test_services_filter_by_postcode_and_proximity_in_metres(client, places):
    within_2km = fetch(client, "/services", {"postcode": "bl1 1aa", "proximity": "2000"})
    within_20km = fetch(client, "/services", {"postcode": "BL1 1AA", "proximity": 20000})

    assert ids_of(within_2km) == [places["near"], places["everywhere"]]
    assert set(ids_of(within_20km)) == set(places.values())


def test_service_at_locations_filter_by_postcode_and_proximity(client, places):
    body = fetch(
        client, "/service_at_locations", {"postcode": "BL1 1AA", "proximity": 2000, "full": True}
    )

    assert [item["service_id"] for item in body["contents"]] == [places["near"]]


@pytest.mark.django_db
def test_service_at_locations_filter_like_services(client):
    term = TaxonomyTermFactory()
    walk = AssetFactory(name="Canal walk", categories=[term])
    AssetFactory(name="Book club")

    by_term = fetch(client, "/service_at_locations", {"taxonomy_term_id": str(term.uuid)})
    by_text = fetch(client, "/service_at_locations", {"search": "canal"})
    by_org = fetch(
        client, "/service_at_locations", {"organization_id": str(walk.organisation.uuid)}
    )

    for body in (by_term, by_text, by_org):
        assert [item["service_id"] for item in body["contents"]] == [str(walk.uuid)]


@pytest.mark.django_db
def test_services_filter_by_modified_after_on_or_after(client):
    old, recent = AssetFactory(name="Old"), AssetFactory(name="Recent")
    moment = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)
    Asset.objects.filter(pk=old.pk).update(updated_at=moment - dt.timedelta(days=30))
    Asset.objects.filter(pk=recent.pk).update(updated_at=moment)

    exact = fetch(client, "/services", {"modified_after": "2025-06-01T12:00:00Z"})
    by_date = fetch(client, "/services", {"modified_after": "2025-05-15"})
    # "+01:00" sent without encoding arrives as a space; it is still read as an offset.
    unencoded = get_json(client, f"{FEED}/services?modified_after=2025-06-01T13:00:00+01:00")
    later = fetch(client, "/services", {"modified_after": "2025-06-01T12:00:01Z"})

    assert ids_of(exact) == ids_of(by_date) == ids_of(unencoded) == [str(recent.uuid)]
    assert later["empty"]


@pytest.mark.django_db
def test_taxonomy_terms_filter_by_taxonomy_parent_and_top_level(client):
    parent = TaxonomyTermFactory(code="need-money", name="Money")
    child = TaxonomyTermFactory(code="need-money-debt", name="Debt", parent=parent)
    other = TaxonomyTermFactory(
        taxonomy=TaxonomyFactory(code="activities", name="Activities"), code="activity-art"
    )

    by_taxonomy = fetch(client, "/taxonomy_terms", {"taxonomy_id": str(other.taxonomy.uuid)})
    by_parent = fetch(client, "/taxonomy_terms", {"parent_id": str(parent.uuid)})
    top = fetch(client, "/taxonomy_terms", {"top_only": "true"})
    nested = fetch(client, "/taxonomy_terms/{id}", id=str(child.uuid))
    whole = fetch(client, "/taxonomies/{id}", id=str(parent.taxonomy.uuid))

    assert ids_of(by_taxonomy) == [str(other.uuid)]
    assert ids_of(by_parent) == [str(child.uuid)]
    assert set(ids_of(top)) == {str(parent.uuid), str(other.uuid)}
    assert nested["parent_id"] == str(parent.uuid)
    assert nested["taxonomy_id"] == str(parent.taxonomy.uuid)
    assert {term["id"] for term in whole["taxonomy_terms"]} == {str(parent.uuid), str(child.uuid)}


@pytest.mark.django_db
def test_organisations_filter_by_search(client):
    wanted = AssetFactory(organisation=OrganisationFactory(name="Breightmet Allotments"))
    AssetFactory(organisation=OrganisationFactory(name="Farnworth Choir"))

    body = fetch(client, "/organizations", {"search": "allot"})

    assert ids_of(body) == [str(wanted.organisation.uuid)]


# --- Errors --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/services/{id}",
        "/organizations/{id}",
        "/service_at_locations/{id}",
        "/taxonomies/{id}",
        "/taxonomy_terms/{id}",
    ],
)
@pytest.mark.parametrize("missing", [MISSING, "not-a-uuid", "42"])
def test_unknown_ids_are_json_404s(client, path, missing):
    body = get_json(client, FEED + path.format(id=missing), status=404)

    assert body == {"detail": "Not found."}


@pytest.mark.django_db
def test_unknown_paths_under_the_feed_are_json_404s(client):
    get_json(client, f"{FEED}/locations", status=404)
    get_json(client, f"{FEED}/services/", status=404)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/services", {"page": "abc"}, "page"),
        ("/services", {"page": "0"}, "page"),
        ("/services", {"per_page": "201"}, "per_page"),
        ("/services", {"per_page": "-1"}, "per_page"),
        ("/services", {"modified_after": "yesterday"}, "modified_after"),
        ("/services", {"modified_after": "2025-13-45"}, "modified_after"),
        ("/services", {"postcode": "ZZ1 1ZZ"}, "postcode"),
        ("/services", {"postcode": "not a postcode"}, "postcode"),
        ("/services", {"postcode": "BL1 1AA", "proximity": "near"}, "proximity"),
        ("/services", {"postcode": "BL1 1AA", "proximity": "-5"}, "proximity"),
        ("/services", {"proximity": "1000"}, "proximity"),
        ("/services", {"taxonomy_term_id": "need-money"}, "taxonomy_term_id"),
        ("/services", {"full": "maybe"}, "full"),
        ("/services", {"format": "ndjson"}, "format"),
        ("/service_at_locations", {"per_page": "1000"}, "per_page"),
        ("/organizations", {"page": "2.5"}, "page"),
        ("/organizations/{id}", {"full_service": "yes please"}, "full_service"),
        ("/taxonomies", {"per_page": "0"}, "per_page"),
        ("/taxonomy_terms", {"parent_id": "money"}, "parent_id"),
    ],
)
def test_bad_query_parameters_are_422s_naming_the_parameter(client, path, query, field):
    PostcodeFactory()
    organisation = AssetFactory().organisation

    body = get_json(client, FEED + path.format(id=organisation.uuid), query, status=422)

    assert body["detail"] == "Invalid query parameters."
    assert [error["field"] for error in body["errors"]] == [field]
    assert body["errors"][0]["message"]


@pytest.mark.django_db
def test_every_bad_parameter_is_named_at_once(client):
    body = get_json(
        client, f"{FEED}/services", {"page": "x", "per_page": "x", "full": "x"}, status=422
    )

    assert {error["field"] for error in body["errors"]} == {"page", "per_page", "full"}


# --- CORS and methods ----------------------------------------------------------------


@pytest.mark.django_db
def test_preflight_and_writes_carry_cors(client):
    preflight = client.options(f"{FEED}/services")
    write = client.post(f"{FEED}/services", {"name": "x"})

    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert write.status_code == 405
    assert write["Access-Control-Allow-Origin"] == "*"
    assert write.json()["detail"]


@pytest.mark.django_db
def test_the_feed_needs_no_sign_in_and_ignores_a_session(client, persona):
    from linkwork.accounts.roles import Role

    AssetFactory(publication=Publication.DRAFT)
    signed_in = persona(Role.ADMIN)

    assert get_json(signed_in, f"{FEED}/services")["empty"]
    assert get_json(client, f"{FEED}/services")["empty"]


# --- Queries -------------------------------------------------------------------------


def _populate(count: int, batch: str) -> None:
    """`count` listings with every part, children of one parent organisation in the feed."""
    term = TaxonomyTermFactory(code="need-shared", name="Shared need")
    parent = OrganisationFactory(name=f"Parent CVS {batch}")
    AssetFactory(name=f"Parent listing {batch}", organisation=parent)
    area = AreaFactory(code="E01009999", area_type=AreaType.LSOA)
    for n in range(count):
        asset = AssetFactory(
            name=f"Listing {batch} {n}",
            organisation=OrganisationFactory(parent=parent, registered_number=str(n)),
            categories=[term, TaxonomyTermFactory(parent=term)],
            location=located_in_borough(name=f"Venue {batch} {n}"),
        )
        asset.coverage_areas.add(area)
        ScheduleFactory(asset=asset)
        ContactFactory(asset=asset)
        CostOptionFactory(asset=asset)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


QUERY_URLS = [
    "/services",
    "/services?full=true",
    "/services?text=listing&full=true",
    "/service_at_locations",
    "/service_at_locations?full=true&taxonomy_term_id={term}",
    "/organizations?full_service=true",
    "/taxonomy_terms",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", QUERY_URLS)
def test_query_count_does_not_grow_with_the_page(client, url):
    _populate(2, "a")
    term = TaxonomyTermFactory(code="need-shared").uuid
    few = _queries(client, FEED + url.format(term=term))
    _populate(12, "b")

    many = _queries(client, FEED + url.format(term=term))

    assert many == few, (url, few, many)


@pytest.mark.django_db
def test_a_service_record_takes_a_fixed_number_of_queries(client):
    small, large = full_asset(), full_asset(name="Large")
    for n in range(5):
        ScheduleFactory(asset=large, weekday=n)
        ContactFactory(asset=large)
        CostOptionFactory(asset=large)
        AssetLocation.objects.create(
            asset=large, location=located_in_borough(name=f"Extra venue {n}")
        )

    few = _queries(client, f"{FEED}/services/{small.uuid}")
    many = _queries(client, f"{FEED}/services/{large.uuid}")

    assert few == many
