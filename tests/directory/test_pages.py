import pytest
from django.test import Client

from linkwork.accounts.roles import Role
from linkwork.directory.models import (
    Asset,
    CapacityStatus,
    ListingClaim,
    ListingReport,
    Publication,
)
from tests.factories import (
    AssetFactory,
    LocationFactory,
    OrganisationFactory,
    hears_immediately,
    user_with_role,
)

pytestmark = pytest.mark.django_db


def as_role(role: Role, organisation=None) -> Client:
    client = Client()
    client.force_login(user_with_role(role, organisation=organisation))
    return client


def test_anyone_can_search_and_results_list_works_without_javascript(client, taxonomy, postcodes):
    AssetFactory(
        name="Walking for health",
        location=LocationFactory(latitude=53.5780, longitude=-2.4260, postcode="BL1 1AP"),
    )
    html = client.get("/directory/", {"q": "walking", "postcode": "BL1 1AP"}).content.decode()
    assert "1 result" in html
    assert "Walking for health" in html and "miles away" in html
    assert 'href="/directory/assets/' in html


def test_unknown_postcode_gets_a_clear_message_not_a_crash(client, taxonomy, postcodes):
    response = client.get("/directory/", {"postcode": "ZZ9 9ZZ"})
    assert response.status_code == 200
    html = response.content.decode()
    # A district the deployment holds no postcodes in: outside the area, not mistyped.
    assert "nhsuk-error-summary" in html and "ZZ9 9ZZ is outside the area" in html


def test_malformed_postcode_and_page_number_are_handled(client, taxonomy):
    html = client.get("/directory/", {"postcode": "12345", "page": "x"}).content.decode()
    assert "is not a valid UK postcode" in html


def test_asset_page_shows_what_a_person_needs_to_decide_to_go(client, taxonomy):
    asset = AssetFactory(
        name="Men's shed",
        first_visit="Come for a brew; nobody has to make anything.",
        welcome_contact_name="Dev (shed leader)",
        capacity_status=CapacityStatus.WAITLIST,
    )
    html = client.get(f"/directory/assets/{asset.pk}/").content.decode()
    for text in ("Men&#39;s shed", "Come for a brew", "Dev (shed leader)", "Waiting list"):
        assert text in html


def test_unpublished_asset_is_hidden_from_the_public_but_not_from_its_group(client, taxonomy):
    organisation = OrganisationFactory()
    draft = AssetFactory(organisation=organisation, publication=Publication.DRAFT)
    assert client.get(f"/directory/assets/{draft.pk}/").status_code == 404
    owner = as_role(Role.GROUP, organisation)
    assert owner.get(f"/directory/assets/{draft.pk}/").status_code == 200


def test_group_home_lists_only_its_own_listings(taxonomy):
    organisation = OrganisationFactory()
    AssetFactory(organisation=organisation, name="Our choir")
    AssetFactory(name="Somebody else's group")
    html = as_role(Role.GROUP, organisation).get("/group/").content.decode()
    assert "Our choir" in html and "Somebody else" not in html


def test_group_changes_capacity_in_one_click_and_verifies_in_one(taxonomy):
    organisation = OrganisationFactory()
    asset = AssetFactory(organisation=organisation)
    group = as_role(Role.GROUP, organisation)
    response = group.post(
        f"/directory/assets/{asset.pk}/capacity/", {"status": "full", "next": "/group/"}
    )
    assert response.status_code == 302 and response["Location"] == "/group/"
    asset.refresh_from_db()
    assert asset.capacity_status == "full"
    partial = group.post(
        f"/directory/assets/{asset.pk}/verify/", {"next": "/group/"}, HTTP_HX_REQUEST="true"
    )
    assert partial.status_code == 200
    assert f'id="listing-{asset.pk}"' in partial.content.decode()
    assert "<html" not in partial.content.decode()


def test_group_cannot_change_another_groups_capacity(taxonomy):
    theirs = AssetFactory()
    response = as_role(Role.GROUP).post(
        f"/directory/assets/{theirs.pk}/capacity/", {"status": "full"}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.capacity_status == "open"


def test_redirects_after_actions_never_leave_the_site(taxonomy):
    organisation = OrganisationFactory()
    asset = AssetFactory(organisation=organisation)
    response = as_role(Role.GROUP, organisation).post(
        f"/directory/assets/{asset.pk}/verify/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == f"/directory/assets/{asset.pk}/"


def test_resident_suggestion_goes_to_review_and_a_link_worker_publishes_it(taxonomy, postcodes):
    resident = as_role(Role.RESIDENT)
    response = resident.post(
        "/directory/assets/new/",
        {
            "name": "Sunday litter pick",
            "description": "Tidy the park together, then tea.",
            "kind": "activity",
            "categories": ["need-volunteering"],
            "postcode": "BL2 6LT",
            "referral_method": "drop_in",
            "cost_kind": "free",
            "sessions-TOTAL_FORMS": "1",
            "sessions-INITIAL_FORMS": "0",
            "sessions-0-pattern": "weekly",  # as the browser sends the blank row
        },
    )
    assert response.status_code == 302 and response["Location"] == "/directory/assets/new/check/"
    assert resident.post(response["Location"]).status_code == 302
    asset = Asset.objects.get(name="Sunday litter pick")
    assert asset.publication == Publication.IN_REVIEW and asset.organisation is None
    link_worker = as_role(Role.LINK_WORKER)
    assert "Sunday litter pick" in link_worker.get("/directory/review/").content.decode()
    link_worker.post(f"/directory/review/listings/{asset.pk}/", {"decision": "publish"})
    asset.refresh_from_db()
    assert asset.publication == Publication.PUBLISHED


def test_bad_listing_input_shows_the_error_summary_and_saves_nothing(taxonomy, postcodes):
    organisation = OrganisationFactory()
    response = as_role(Role.GROUP, organisation).post(
        "/directory/assets/new/",
        {
            "name": "",
            "description": "x",
            "kind": "activity",
            "postcode": "ZZ9 9ZZ",
            "referral_method": "own_form",
            "cost_kind": "free",
            "sessions-TOTAL_FORMS": "1",
            "sessions-INITIAL_FORMS": "0",
            "sessions-0-pattern": "weekly",  # as the browser sends the blank row
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in html and 'href="#id_name"' in html
    assert 'href="#id_postcode"' in html and "ZZ9 9ZZ is outside the area" in html
    assert not Asset.objects.exists()


def test_someone_claims_a_listing_and_a_link_worker_approves(taxonomy):
    asset = AssetFactory(organisation=None, name="Allotment society")
    claimant_user = user_with_role(Role.RESIDENT)
    claimant = Client()
    claimant.force_login(claimant_user)
    claimant.post(f"/directory/assets/{asset.pk}/claim/", {"role_in_group": "Secretary"})
    claim = ListingClaim.objects.get(asset=asset)
    as_role(Role.LINK_WORKER).post(f"/directory/review/claims/{claim.pk}/", {"decision": "approve"})
    html = claimant.get("/group/").content.decode()
    assert "Allotment society" in html


def test_panel_sees_claims_but_cannot_decide_them(taxonomy):
    asset = AssetFactory(organisation=None)
    claim = ListingClaim.objects.create(
        asset=asset, claimant=user_with_role(Role.RESIDENT), role_in_group="Chair"
    )
    panel = as_role(Role.PANEL)
    assert (
        panel.post(f"/directory/review/claims/{claim.pk}/", {"decision": "approve"}).status_code
        == 403
    )
    assert ListingClaim.objects.get(pk=claim.pk).status == "pending"


def test_link_worker_reports_a_closed_group_and_it_reaches_the_review_queue(taxonomy, mailoutbox):
    organisation = OrganisationFactory()
    owner = hears_immediately(user_with_role(Role.GROUP, organisation=organisation))
    asset = AssetFactory(organisation=organisation, name="Tea dance")
    link_worker = as_role(Role.LINK_WORKER)
    link_worker.post(f"/directory/assets/{asset.pk}/report/", {"problem": "closed"})
    assert ListingReport.objects.filter(asset=asset, problem="closed").exists()
    assert mailoutbox[0].to == [owner.email]
    assert "Tea dance" in link_worker.get("/directory/review/").content.decode()


ESCAPED_MARKUP = ("&lt;a", "&lt;/", "&lt;p", "&lt;br", "&lt;span", "&lt;ul", "&lt;li")


def test_every_contact_field_of_the_asset_page_is_a_link_not_escaped_markup(client, taxonomy):
    asset = AssetFactory(
        url="https://example.org/walks?day=mon&time=10",
        phone="01204 333 444",
        email="walks@example.org",
        cost_description="£2 & a cup of tea",
        first_visit="Bring nothing but yourself",
        advance_information="Any access needs",
        capacity_note="Back in spring",
        travel_notes="Bus 501 & 502",
    )
    html = client.get(f"/directory/assets/{asset.pk}/").content.decode()
    assert not [marker for marker in ESCAPED_MARKUP if marker in html]
    assert 'href="https://example.org/walks?day=mon&amp;time=10"' in html
    assert 'href="tel:01204333444"' in html
    assert 'href="mailto:walks@example.org"' in html


def test_markup_a_group_types_is_shown_as_text(client, taxonomy):
    asset = AssetFactory(first_visit="Bring <b>nothing</b>", url="https://example.org/?a=<x>")
    html = client.get(f"/directory/assets/{asset.pk}/").content.decode()
    assert "Bring &lt;b&gt;nothing&lt;/b&gt;" in html and "<b>nothing</b>" not in html
    assert 'href="https://example.org/?a=&lt;x&gt;"' in html


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (None, 404),
        (Role.RESIDENT, 404),
        (Role.REFERRER, 404),
        (Role.GROUP, 404),
        (Role.LINK_WORKER, 200),
        (Role.PANEL, 200),
        (Role.ADMIN, 200),
    ],
)
def test_a_listing_waiting_for_review_previews_for_reviewers_only(client, taxonomy, role, status):
    pending = AssetFactory(name="Suggested choir", publication=Publication.IN_REVIEW)
    viewer = as_role(role) if role else client
    response = viewer.get(f"/directory/assets/{pending.pk}/")
    assert response.status_code == status
    if status == 200:
        assert "<p>A preview: this listing is not published yet" in response.content.decode()
    if role == Role.LINK_WORKER:
        queue = viewer.get("/directory/review/").content.decode()
        assert f'href="/directory/assets/{pending.pk}/"' in queue
