"""The review queue as a work list: listings past due for checking first, searched by
listing name, one list or all with counts, oldest or newest first, all kept in the URL
through the pages and after a decision."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from linkwork.accounts.roles import Role
from linkwork.directory.models import Asset, ListingClaim, ListingReport, Publication
from tests.factories import AssetFactory, user_with_role
from tests.referrals.test_page_paging import walk

pytestmark = pytest.mark.django_db

REVIEW = "/directory/review/"


@pytest.fixture
def reviewer() -> Client:
    client = Client()
    client.force_login(user_with_role(Role.LINK_WORKER))
    return client


def page(client, **params) -> str:
    response = client.get(REVIEW, params)
    assert response.status_code == 200
    return response.content.decode()


def waiting(name: str, days_ago: int, publication=Publication.IN_REVIEW) -> Asset:
    asset = AssetFactory(name=name, publication=publication)
    Asset.objects.filter(pk=asset.pk).update(
        created_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    return asset


def past_due(name: str, checked_days_ago: int | None) -> Asset:
    checked = (
        None if checked_days_ago is None else timezone.now() - dt.timedelta(days=checked_days_ago)
    )
    return AssetFactory(name=name, last_verified_at=checked)


def order_of(html: str, *names: str) -> list[str]:
    return sorted(names, key=html.index)


def test_listings_past_due_for_checking_come_first_longest_overdue_first(reviewer):
    waiting("Suggested choir", 3)
    past_due("Checked last year", 400)
    past_due("Checked two years ago", 800)
    past_due("Never checked", None)
    AssetFactory(name="Checked last week")
    html = page(reviewer)
    assert "Listings past due for checking (3)" in html and "Checked last week" not in html
    assert order_of(
        html, "Suggested choir", "Checked last year", "Checked two years ago", "Never checked"
    ) == ["Never checked", "Checked two years ago", "Checked last year", "Suggested choir"]


def test_a_reviewer_says_a_past_due_listing_is_still_right_and_keeps_the_filters(reviewer):
    stale = past_due("Old walk", 400)
    back = f"{REVIEW}?show=past_due&q=walk"
    response = reviewer.post(f"/directory/assets/{stale.pk}/verify/", {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert "Listings past due for checking (0)" in page(reviewer, show="past_due")


def test_oldest_first_by_default_or_newest_first(reviewer):
    waiting("Older listing", 10)
    waiting("Newer listing", 1)
    assert order_of(page(reviewer), "Older listing", "Newer listing")[0] == "Older listing"
    newest = page(reviewer, sort="newest")
    assert order_of(newest, "Older listing", "Newer listing")[0] == "Newer listing"


def test_search_by_listing_name_narrows_every_list_and_its_counts(reviewer):
    choir = waiting("Evening choir", 2)
    waiting("Tea dance", 2)
    walk_listing = AssetFactory(name="Health walk")
    ListingReport.objects.create(asset=walk_listing, problem="closed")
    ListingReport.objects.create(asset=choir, problem="details_wrong")
    ListingClaim.objects.create(
        asset=walk_listing, claimant=user_with_role(Role.GROUP), role_in_group="Leader"
    )
    html = page(reviewer, q="  CHOIR ")
    assert "Evening choir" in html and "Tea dance" not in html and "Health walk" not in html
    assert "New listings and suggestions (1)" in html and "Reported problems (1)" in html
    assert "Requests to manage a listing (0)" in html
    assert "Everything waiting (2)" in html
    everything = page(reviewer)
    assert "Everything waiting (5)" in everything and "Reported problems (2)" in everything


def test_one_list_at_a_time_with_counts_per_filter(reviewer):
    waiting("Suggested choir", 3)
    ListingReport.objects.create(asset=AssetFactory(name="Health walk"), problem="closed")
    html = page(reviewer, show="reports")
    assert "Reported problems (1)" in html and "Health walk" in html
    assert "Suggested choir" not in html and "<h2>New listings" not in html
    assert re.search(r'value="listings"[^>]*>\s*New listings and suggestions \(1\)', html)
    assert re.search(r'value="reports"[^>]*selected[^>]*>\s*Reported problems \(1\)', html)


def test_the_filters_are_kept_through_the_pages(reviewer):
    for n in range(53):
        waiting(f"Listing Rv{n:04d}", 60 - n)
    waiting("Other", 1)
    seen, pages = walk(reviewer, REVIEW, {"q": "Rv", "sort": "newest"}, r"Rv(\d{4})")
    assert (len(seen), pages) == (53, 2)
    html = page(reviewer, q="Rv", sort="newest")
    assert "q=Rv" in html and "sort=newest" in html and "Other" not in html


def test_a_decision_goes_back_to_the_queue_as_it_was(reviewer):
    asset = waiting("Suggested choir", 3)
    back = f"{REVIEW}?q=choir&sort=newest"
    response = reviewer.post(
        f"/directory/review/listings/{asset.pk}/", {"decision": "publish", "next": back}
    )
    assert response["Location"] == back
    elsewhere = reviewer.post(
        f"/directory/review/listings/{waiting('Tea', 1).pk}/",
        {"decision": "publish", "next": "https://evil.example/"},
    )
    assert elsewhere["Location"] == REVIEW


@pytest.mark.parametrize("params", [{"q": "x" * 101}, {"show": "nonsense"}, {"sort": "sideways"}])
def test_bad_filters_are_a_clear_message_and_the_whole_queue(reviewer, params):
    waiting("Suggested choir", 3)
    html = page(reviewer, **params)
    assert "There is a problem" in html and "Suggested choir" in html


@pytest.mark.parametrize("role", [Role.GROUP, Role.REFERRER, Role.COMMISSIONER, Role.RESIDENT])
def test_only_reviewers_see_the_queue(role):
    waiting("Suggested choir", 3)
    client = Client()
    client.force_login(user_with_role(role))
    response = client.get(REVIEW, {"q": "choir"})
    assert response.status_code == 403 and b"Suggested choir" not in response.content
