"""A group searches its inbox by what it is shown and nothing else: the first name the
person agreed to share, or the reference on the card; audited as a search; kept in the
URL with the status filter and the paging; counts of the search."""

import re

import pytest
from django.utils import timezone

from linkwork.audit.models import AuditEvent
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Connection, Referral
from tests.referrals.test_api_paging import make_connections, make_referrals
from tests.referrals.test_page_paging import walk

pytestmark = pytest.mark.django_db

INBOX = "/group/referrals/"


def card_ids(html: str) -> set[int]:
    return {int(n) for n in re.findall(r'id="connection-(\d+)"', html)}


def inbox(client, **params) -> str:
    response = client.get(INBOX, params)
    assert response.status_code == 200
    return response.content.decode()


def people(world, *names, shared=("first_name",), asset=None, **fields) -> list[Connection]:
    """A sent connection to the group's walk (or `asset`) for each first name."""
    referrals = make_referrals(world, len(names), consent_share_with_groups=True, **fields)
    for referral, name in zip(referrals, names, strict=True):
        referral.person.given_name = name
        referral.person.save(update_fields=["given_name"])
    return Connection.objects.bulk_create(
        Connection(
            referral=r,
            asset=asset or world.walk,
            status=t.SENT,
            shared_fields=list(shared),
            sent_at=timezone.now(),
        )
        for r in referrals
    )


def test_a_group_finds_a_person_by_the_first_name_it_is_shown(world):
    pat, sam = people(world, "Pat", "Sam")
    assert card_ids(inbox(world.group, q="pat")) == {pat.pk}
    assert card_ids(inbox(world.group, q="  Sa ")) == {sam.pk}


def test_a_group_finds_a_referral_by_the_reference_on_its_card(world):
    pat, sam = people(world, "Pat", "Sam")
    assert f"Sam (ref. {sam.pk})" in inbox(world.group)
    assert card_ids(inbox(world.group, q=str(sam.pk))) == {sam.pk}
    assert card_ids(inbox(world.group, q=f"ref. {pat.pk}")) == {pat.pk}


@pytest.mark.parametrize("q", ["Paged", "BL2 6LT", "BL2", "1960"])
def test_what_the_group_is_not_shown_finds_nothing(world, q):
    # The family name, postcode and birth year are the person's, never shared with groups.
    people(world, "Pat")
    html = inbox(world.group, q=q)
    assert card_ids(html) == set() and "No referrals match your search" in html


def test_the_referrals_own_reference_finds_nothing_for_a_group(world):
    (pat,) = people(world, "Pat")
    assert card_ids(inbox(world.group, q=pat.referral.reference)) == set()


def test_a_first_name_not_shared_or_no_longer_shared_is_not_searchable(world):
    (kept,) = people(world, "Pat", shared=("access_needs",))
    (withdrawn,) = people(world, "Pat")
    Referral.objects.filter(pk=withdrawn.referral_id).update(consent_withdrawn_at=timezone.now())
    assert card_ids(inbox(world.group, q="Pat")) == set()
    # Still found by the reference the card shows.
    assert card_ids(inbox(world.group, q=str(kept.pk))) == {kept.pk}


def test_a_group_searching_never_finds_another_groups_people(world):
    (choir_pat,) = people(world, "Pat", asset=world.full)
    (walk_pat,) = people(world, "Pat")
    assert card_ids(inbox(world.group, q="Pat")) == {walk_pat.pk}
    assert card_ids(inbox(world.group, q=str(choir_pat.pk))) == set()
    assert card_ids(inbox(world.other_group, q=str(walk_pat.pk))) == set()
    assert card_ids(inbox(world.other_group, q="Pat")) == {choir_pat.pk}


def test_a_search_is_audited_without_the_words(world):
    people(world, "Pat", "Patience", "Sam")
    inbox(world.group, q="Pat")
    inbox(world.group)
    inbox(world.group, status=t.SENT)
    (search,) = AuditEvent.objects.filter(action="people_searched")
    assert search.summary == "list=group_inbox results=2"
    assert search.actor_id == world.group.user.pk and "Pat" not in search.summary


def test_the_counts_are_of_the_search(world):
    pat, _, sam = people(world, "Pat", "Patience", "Sam")
    Connection.objects.filter(pk=pat.pk).update(status=t.ACCEPTED)
    html = inbox(world.group, q="Pat")
    assert "All referrals (2)" in html and "Waiting for your answer (1)" in html
    assert "Accepted (1)" in html
    assert "All referrals (3)" in inbox(world.group)
    assert card_ids(inbox(world.group, q="Pat", status=t.ACCEPTED)) == {pat.pk}


def test_the_search_and_the_filter_are_kept_through_the_pages(world):
    make_connections(world, make_referrals(world, 53, consent_share_with_groups=True))
    people(world, "Sam")
    seen, pages = walk(world.group, INBOX, {"q": "Pg", "status": t.SENT})
    assert len(seen) == 53 and pages == 2
    html = inbox(world.group, q="Pg", status=t.SENT)
    assert "q=Pg" in html and f"status={t.SENT}" in html and "Showing 1 to 50 of 53" in html


def test_an_over_long_search_is_a_clear_message_and_searches_nothing(world):
    people(world, "Pat", "Sam")
    html = inbox(world.group, q="P" * 101)
    assert "Search must be 100 characters or fewer" in html
    assert len(card_ids(html)) == 2  # the list as it was, with the error shown
    assert not AuditEvent.objects.filter(action="people_searched").exists()
