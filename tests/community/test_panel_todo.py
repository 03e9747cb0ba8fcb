"""A panel member's home opens with the panel's work: meetings in the next fortnight
(soonest first), proposed priorities waiting for a meeting, and the gaps in the panel's
neighbourhoods that no priority covers yet; counted, linked, only their own panel's."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from linkwork.accounts.roles import Role
from linkwork.community.panels import evidence, services
from linkwork.words import long_date
from tests.community.test_panels import world  # noqa: F401 (fixture)
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_gaps():
    cache.clear()


def todo(user) -> str:
    client = Client()
    client.force_login(user)
    page = client.get(reverse("home-panel")).content.decode()
    return page[page.index('id="todo"') : page.index("What you can do here")]


def meeting(panel, member, days: int, title: str):
    return services.record_meeting(
        panel=panel,
        held_on=timezone.localdate() + dt.timedelta(days=days),
        title=title,
        by=member,
    )


def test_the_gaps_no_priority_covers_yet_are_counted_and_linked(world):  # noqa: F811
    build, panel, member, *_ = world
    page = todo(member)
    assert "3 gaps in your neighbourhoods that no priority covers yet" in page
    assert 'href="/insight/areas/N-NORTH/"' in page
    services.propose_priority(
        panel=panel,
        title="Debt advice in Northfield",
        evidence=[evidence.gap_snapshot(area_code="N-NORTH", category_code="need-money-debt")],
        by=member,
    )
    cache.clear()
    page = todo(member)
    assert "2 gaps in your neighbourhoods that no priority covers yet" in page
    assert "1 proposed priority waiting for a meeting to agree it" in page
    assert f'href="/panels/{panel.pk}/#priorities"' in page


def test_meetings_in_the_next_fortnight_soonest_first(world):  # noqa: F811
    build, panel, member, *_ = world
    later = meeting(panel, member, 10, "Spring planning")
    meeting(panel, member, 0, "Today's meeting")
    meeting(panel, member, 20, "Too far ahead")
    meeting(panel, member, -1, "Yesterday's meeting")
    page = todo(member)
    assert "Northfield Panel meets today: Today&#39;s meeting" in page
    soon = f"Northfield Panel meets on {long_date(later.held_on)}: Spring planning"
    assert soon in page
    assert f'href="/panels/{panel.pk}/meetings/{later.pk}/"' in page
    assert "Too far ahead" not in page and "Yesterday" not in page
    assert page.index("meets today") < page.index(soon) < page.index("gaps in your")


def test_another_panels_member_sees_none_of_it(world):  # noqa: F811
    build, panel, member, *_ = world
    meeting(panel, member, 2, "Winter meeting")
    other = services.create_panel(name="Southgate Panel", by=None)
    page = todo(user_with_role(Role.PANEL, organisation=other.organisation))
    assert "Winter meeting" not in page and "gaps in your" not in page
    assert "proposed priorit" not in page


def test_listings_past_due_for_checking_come_first_as_overdue(world):  # noqa: F811
    from tests.factories import AssetFactory

    build, panel, member, *_ = world
    AssetFactory(name="Forgotten walk", last_verified_at=None)
    meeting(panel, member, 0, "Today's meeting")
    page = todo(member)
    line = "1 listing past due for checking"
    assert line in page and 'href="/directory/review/?show=past_due"' in page
    assert page.index("Overdue") < page.index(line) < page.index("meets today")
