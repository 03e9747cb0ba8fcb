"""Long lists on pages page like the API (linkwork/paging.py): 50 a page, `?page=` in the
URL, NHS.UK pagination links that keep the page's filters, and nothing out of reach."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from linkwork.accounts.roles import Role
from linkwork.audit.services import record_events
from linkwork.directory.models import Asset, Publication
from linkwork.referrals import transitions as t
from tests.factories import AssetFactory
from tests.referrals.test_api_paging import make_connections, make_referrals

NEXT_LINK = re.compile(r'href="([^"]+)" rel="next"')


def shown(html: str, pattern: str = r"Pg(\d{4})") -> set[int]:
    return {int(n) for n in re.findall(pattern, html)}


def next_link(html: str) -> str | None:
    found = NEXT_LINK.search(html)
    return found.group(1).replace("&amp;", "&") if found else None


def walk(client, url: str, params: dict, pattern: str = r"Pg(\d{4})") -> tuple[set[int], int]:
    """Follow the pagination's Next link from the first page to the last."""
    seen, pages, query = set(), 0, params
    while True:
        html = client.get(url, query).content.decode()
        page_rows = shown(html, pattern)
        assert len(page_rows) <= 50
        seen |= page_rows
        pages += 1
        link = next_link(html)
        if link is None:
            return seen, pages
        query = {key: values[-1] for key, values in parse_qs(urlsplit(link).query).items()}
        for key, value in params.items():
            assert query[key] == value, (key, link)  # the filters are kept


def test_the_triage_queue_pages(world):
    make_referrals(world, 53)

    seen, pages = walk(world.link_worker, "/casework/queue/", {})

    assert (len(seen), pages) == (53, 3)  # 25 cards a page


def test_the_caseload_pages_keeping_its_status_filter(world):
    make_referrals(world, 52, status=t.ACCEPTED)
    make_referrals(world, 5, status=t.CONTACTED)

    seen, pages = walk(world.link_worker, "/casework/", {"status": t.ACCEPTED})

    assert (len(seen), pages) == (52, 2)


def test_the_group_inbox_pages_keeping_its_status_filter(world):
    # The group sees first names only because the people agreed to share them.
    make_connections(world, make_referrals(world, 51, consent_share_with_groups=True))
    make_connections(
        world, make_referrals(world, 4, consent_share_with_groups=True), status=t.DECLINED
    )

    seen, pages = walk(world.group, "/group/referrals/", {"status": t.SENT}, r"Pg(\d{4})")

    assert (len(seen), pages) == (51, 2)


def test_the_review_queue_pages_each_list_on_its_own(world, persona):
    for n in range(55):
        AssetFactory(name=f"Listing Rv{n:04d}", publication=Publication.IN_REVIEW)
    client = persona(Role.LINK_WORKER)

    seen, pages = walk(client, "/directory/review/", {}, r"Rv(\d{4})")
    first = client.get("/directory/review/").content.decode()

    assert (len(seen), pages) == (55, 2)
    assert "New listings and suggestions (55)" in first
    assert Asset.objects.filter(publication=Publication.IN_REVIEW).count() == 55


@pytest.mark.parametrize("filtered", [True, False])
def test_the_audit_log_pages_keeping_its_filters(filtered, persona):
    admin = persona(Role.ADMIN)
    record_events(
        by=None,
        action="referral_listed",
        object_type="referral",
        object_ids=[f"Au{n:04d}" for n in range(60)],
    )
    params = {"action": "referral_listed"} if filtered else {}

    seen, pages = walk(admin, "/audit/", params, r"Au(\d{4})")

    assert (len(seen), pages) == (60, 2)
