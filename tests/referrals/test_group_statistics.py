"""The group's own statistics: its referrals by month and the feedback it received,
every count of people through the suppression rules, on the page and in the CSV."""

import datetime as dt

import pytest
from django.utils import timezone

from linkwork.audit.models import AuditEvent
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Connection, FeedbackRequest, Referral
from tests.factories import AssetFactory
from tests.referrals.test_group_pages import NEVER_SHOWN, connect

pytestmark = pytest.mark.django_db

PAGE = "/group/statistics/"
CSV = "/group/statistics.csv"


def copies(connection, statuses, *, sent_at=None, asset=None):
    """More connections like `connection`, one per status, sent at `sent_at`."""
    sent_at = sent_at or timezone.now()
    return [
        Connection.objects.create(
            referral=connection.referral,
            asset=asset or connection.asset,
            status=status,
            sent_at=sent_at,
        )
        for status in statuses
    ]


def months_ago(n: int) -> dt.datetime:
    first = timezone.localdate().replace(day=1)
    for _ in range(n):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return timezone.make_aware(dt.datetime.combine(first + dt.timedelta(days=3), dt.time(10)))


def cells(html: str) -> list[str]:
    return [part.split('"')[0] for part in html.split('data-people="')[1:]]


def test_counts_are_rounded_small_ones_withheld_and_a_lone_one_protected(world):
    first = connect(world)  # sent this month, still waiting
    copies(first, [t.SENT] * 2 + [t.ACCEPTED] * 5 + [t.ATTENDING] * 4)  # 12 this month
    copies(first, [t.DECLINED] * 3, sent_at=months_ago(1))  # 3 last month: withheld
    html = world.group.get(PAGE).content.decode()
    assert "Your statistics" in html
    this_month = f"{timezone.localdate():%B %Y}"
    row = html.split(this_month)[1].split("</tr>")[0]
    # 12 received would read 10, but last month's 3 is withheld and the total (15) is
    # shown, so this month is withheld too: otherwise 15 - 10 gives last month away.
    assert cells(row) == ["withheld", "10", "withheld", "withheld"]
    total = html.split("All 12 months")[1].split("</tr>")[0]
    assert cells(total)[0] == "15"
    # Accepted 9 (5 accepted + 4 attending) → 10; came 4 → withheld; still coming 4 → withheld.
    assert cells(total)[1:] == ["10", "withheld", "withheld"]


def test_only_the_groups_own_sent_referrals_count(world):
    first = connect(world)
    copies(first, [t.ATTENDING] * 9)  # 10 to the group's walk
    copies(first, [t.PROPOSED, t.WITHDRAWN] * 5)  # never sent: not the group's business
    choir = AssetFactory(organisation=world.full.organisation, name="Evening choir")
    copies(first, [t.ATTENDING] * 20, asset=choir)  # another group's
    copies(first, [t.ATTENDING] * 9, sent_at=months_ago(13))  # before the window
    html = world.group.get(PAGE).content.decode()
    assert cells(html.split("All 12 months")[1].split("</tr>")[0]) == ["10", "10", "10", "10"]
    other = world.other_group.get(PAGE).content.decode()
    assert cells(other.split("All 12 months")[1].split("</tr>")[0])[0] == "20"


def test_feedback_from_people_who_came_is_counted_never_quoted(world):
    for n in range(9):
        connection = connect(world)
        Connection.objects.filter(pk=connection.pk).update(status=t.ATTENDING)
        FeedbackRequest.objects.create(
            referral=connection.referral,
            answered_at=timezone.now(),
            rating=5 if n < 8 else 2,
            comment="Secret words about my life",
        )
    not_came = connect(world)
    FeedbackRequest.objects.create(referral=not_came.referral, answered_at=timezone.now(), rating=1)
    html = world.group.get(PAGE).content.decode()
    feedback = html.split("Feedback you received")[1].split("What you told")[0]
    # 8 "very helpful" → 10; 1 "not very helpful" withheld, and the lone withheld cell
    # protected: the total of 9 people is then withheld, since 10 - ... would show it.
    assert "Secret words" not in html
    assert cells(feedback) == ["0", "withheld", "0", "0", "withheld", "withheld"]
    for text in NEVER_SHOWN:
        assert text not in html


def test_csv_has_the_same_published_figures_and_is_audited_without_people(world):
    first = connect(world)
    copies(first, [t.ATTENDING] * 9)
    response = world.group.get(CSV)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    lines = text.splitlines()
    assert lines[0] == "Month,Referrals received,Accepted,Came at least once,Still coming"
    assert lines[13] == "All 12 months,10,10,10,10"
    assert f"{timezone.localdate():%B %Y},10,10,10,10" in lines
    assert "How helpful people who came said the support was,People" in lines
    event = AuditEvent.objects.get(action="group_statistics_exported")
    assert event.actor_id == world.group.user.pk and "aggregate" in event.summary
    for words in ("Pat", *NEVER_SHOWN):
        assert words not in text


def test_the_group_home_links_to_the_room(world):
    html = world.group.get("/group/").content.decode()
    assert PAGE in html


def test_no_referrals_yet_reads_zero_not_an_error(world):
    html = world.group.get(PAGE).content.decode()
    assert cells(html.split("All 12 months")[1].split("</tr>")[0]) == ["0", "0", "0", "0"]
    assert Referral.objects.count() == 0
