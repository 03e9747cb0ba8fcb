"""A link worker resolves a possible duplicate in a real browser: the queue flags it, the
case page shows the two records side by side, "Same person" merges them, and the merge
is undone; at desktop width and on a phone, with axe."""

import pytest

from linkwork.accounts.roles import Role
from linkwork.referrals import services
from linkwork.referrals.models import Person, Referral
from tests.browser.conftest import check_accessibility
from tests.browser.test_casework import sign_in
from tests.factories import user_with_role
from tests.worlds import surgery_and_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_records(settings):
    settings.MAP_TILE_URL = ""
    start = surgery_and_service()
    practice, service = start.practice, start.service
    gp = user_with_role(Role.REFERRER, organisation=practice, full_name="Dr Amina Shah")
    link_worker = user_with_role(Role.LINK_WORKER, organisation=service, full_name="Jo Link")
    pat = {
        "given_name": "Pat",
        "family_name": "Holden",
        "birth_date": "1956-03-14",
        "postcode": "BL2 6LT",
    }
    first = services.create_referral(
        person={**pat, "nhs_number": "9434765919", "phone": "07700 900111"},
        source="gp",
        reasons=["need-loneliness"],
        consent_to_refer=True,
        referrer_organisation=practice,
        by=gp,
    )
    second = services.create_referral(
        person={**pat, "phone": "07700 900222", "email": "pat@example.com"},
        source="self",
        reasons=["need-money-debt"],
        consent_to_refer=True,
        service=service,
        by=None,
    )
    return {"link_worker": link_worker, "first": first, "second": second}


@pytest.mark.parametrize("width", [1280, 375])
def test_a_link_worker_resolves_a_possible_duplicate(page, live_server, two_records, width):
    page.set_viewport_size({"width": width, "height": 900})
    base = live_server.url
    first, second = two_records["first"], two_records["second"]
    assert first.person_id != second.person_id
    sign_in(page, base, two_records["link_worker"])
    page.goto(f"{base}/casework/queue/")
    flagged = page.get_by_text("Possible duplicate of Pat Holden")
    assert flagged.count() == 2  # each record is flagged as a possible duplicate of the other
    check_accessibility(page, f"duplicates-queue-{width}")

    page.goto(f"{base}/casework/referrals/{second.pk}/")
    heading = f"Possible duplicate of Pat Holden (record {first.person_id})"
    assert page.get_by_text(heading).is_visible()
    table = page.locator("table", has_text="Possible duplicate").first
    assert "07700 900111" in table.inner_text() and "07700 900222" in table.inner_text()
    check_accessibility(page, f"duplicates-case-{width}")

    page.get_by_role("button", name="Same person: merge the records").click()
    page.wait_for_load_state()
    assert page.get_by_text("The two records are now one.").is_visible()
    assert not page.get_by_text(heading).is_visible()
    second.refresh_from_db()
    assert second.person_id == first.person_id
    kept = Person.objects.get(pk=first.person_id)
    assert kept.phone == "07700 900222" and kept.nhs_number == "9434765919"
    assert set(kept.referrals.values_list("pk", flat=True)) == {first.pk, second.pk}
    check_accessibility(page, f"duplicates-merged-{width}")

    page.get_by_role("button", name="Undo this merge").click()
    page.wait_for_load_state()
    assert page.get_by_text("Merge undone").is_visible()
    assert Referral.objects.get(pk=second.pk).person_id != first.person_id
    assert Person.objects.get(pk=first.person_id).phone == "07700 900111"
