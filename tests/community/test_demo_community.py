"""The demo's interests and grants: an emerging group to act on, busy groups unfunded."""

import pytest
from django.db.models import Count

from linkwork.audit.models import AuditEvent
from linkwork.community.models import Grant, Interest
from linkwork.community.selectors import emerging_groups
from linkwork.demo.community import load_demo_community
from linkwork.demo.services import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo(referrals=False)


def test_the_demo_has_eleven_women_in_tonge_wanting_a_craft_group_and_none_exists(demo):
    groups = emerging_groups()
    crafts = next(g for g in groups if g.activity.code == "activity-arts-crafts")
    assert (crafts.neighbourhood.code, crafts.community_of_interest, crafts.people) == (
        "BOL-NBH-01",
        "Women",
        11,
    )
    assert crafts.people_published == 10
    assert any(miss.reason == "for anyone, not only Women" for miss in crafts.near_misses)
    cooking = next(g for g in groups if g.activity.code == "activity-cooking")
    assert cooking.neighbourhood is None and cooking.people == 6
    assert cooking.people_published is None  # 6 people: withheld on the page
    assert len(groups) == 2  # the other interests are scattered below the threshold


def test_the_demo_interests_mix_consent_self_and_link_worker_recording(demo):
    interests = Interest.objects.all()
    assert interests.count() == 29
    assert interests.filter(consent_to_contact=True).exists()
    assert not interests.filter(consent_to_contact=False).exclude(contact_detail="").exists()
    assert set(interests.values_list("recorded_on_behalf", flat=True)) == {"self", "link_worker"}
    assert interests.filter(activity__isnull=True).count() == 2
    assert interests.filter(status="closed").count() == 1
    assert not interests.filter(neighbourhood__isnull=True).exists()


def test_the_demo_funds_some_groups_and_leaves_busy_ones_unfunded(demo):
    funded = set(Grant.objects.values_list("organisation__name", flat=True))
    assert "Great Lever Men's Shed" in funded and "Tonge Fold Bereavement Friends" in funded
    for busy in (
        "Tonge Walking for Health",
        "Hillbank Stroke Club",
        "Breightmet Money Advice Drop-in",
    ):
        assert busy not in funded
    # The community demo's own grants (the funding demo's awards are grants too).
    ledger = Grant.objects.filter(application__isnull=True)
    assert ledger.values("organisation").annotate(n=Count("id")).filter(n=2).count() == 1
    assert ledger.filter(recorded_by__email="commissioner@example.org").count() == 9


def test_loading_the_demo_community_twice_changes_nothing(demo):
    before = (Interest.objects.count(), Grant.objects.count(), AuditEvent.objects.count())
    load_demo_community()
    assert (Interest.objects.count(), Grant.objects.count(), AuditEvent.objects.count()) == before


def test_the_demo_panel_has_a_public_decision_from_the_craft_group_and_a_network(demo, client):
    from linkwork.community.models import Decision, NetworkMember, Notice
    from linkwork.demo.governance import load_demo_governance

    decision = Decision.objects.get()
    assert decision.meeting.panel.name == "Tonge and Breightmet Community Panel"
    assert decision.evidence.get().figures["people"] == 10  # 11 women, published
    page = client.get("/neighbourhoods/BOL-NBH-01/decisions/").content.decode()
    assert "Help residents start a women" in page
    assert NetworkMember.objects.filter(is_reference_group=True).count() == 1
    assert Notice.objects.filter(status="published").count() == 3
    load_demo_governance()  # idempotent
    assert Decision.objects.count() == 1 and NetworkMember.objects.count() == 5
