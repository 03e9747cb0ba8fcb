from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from linkwork.accounts.models import Membership, User
from linkwork.audit.models import AuditEvent
from linkwork.demo.listings import LISTINGS
from linkwork.demo.services import DEMO_SOURCE
from linkwork.directory.models import Asset, Organisation, OrganisationKind
from linkwork.places.models import Area
from linkwork.referrals import selectors
from linkwork.referrals import transitions as t
from linkwork.referrals.models import (
    Connection,
    ConnectionEvent,
    FollowUp,
    Person,
    Referral,
    ReferralEvent,
    UnmetNeed,
)
from linkwork.referrals.people import nhs_number_is_valid

pytestmark = pytest.mark.django_db

DEMO_ACCOUNTS = {
    "referrer@example.org": "referrer",
    "linkworker@example.org": "link_worker",
    "manager@example.org": "service_manager",
    "linkworker2@example.org": "link_worker",
    "group@example.org": "group",
    "group2@example.org": "group",
    "resident@example.org": "resident",
    "panel@example.org": "panel",
    "commissioner@example.org": "commissioner",
    "admin@example.org": "admin",
}


@pytest.fixture(scope="module", autouse=True)
def demo_loaded(django_db_setup, django_db_blocker):
    """The demo loads once for this module (it plays a year of casework, which takes a
    while); each test runs inside it and the whole is rolled back at the end."""
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=hashers),
        transaction.atomic(),
    ):
        call_command("demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            User,
            Membership,
            Organisation,
            Area,
            AuditEvent,
            Person,
            Referral,
            ReferralEvent,
            Connection,
            ConnectionEvent,
            UnmetNeed,
            FollowUp,
        )
    )


def test_demo_creates_the_accounts_of_the_design_and_prints_them():
    out = StringIO()
    call_command("demo", stdout=out)
    for email, role in DEMO_ACCOUNTS.items():
        assert Membership.objects.filter(user__email=email, role=role).exists(), email
        assert email in out.getvalue()
    assert "linkwork-demo" in out.getvalue()


def test_demo_is_idempotent():
    first = counts()
    call_command("demo", stdout=StringIO())
    assert counts() == first


def test_demo_has_a_pcn_with_practices_a_service_and_a_dozen_groups():
    pcn = Organisation.objects.get(kind=OrganisationKind.PCN)
    assert pcn.children.filter(kind=OrganisationKind.GP_PRACTICE).count() >= 2
    assert Organisation.objects.filter(kind=OrganisationKind.SOCIAL_PRESCRIBING_SERVICE).exists()
    groups = Organisation.objects.filter(
        kind__in=[OrganisationKind.VCFSE, OrganisationKind.UNCONSTITUTED_GROUP]
    )
    assert groups.count() >= 12
    assert Area.objects.filter(area_type="neighbourhood", parent__code="E08000001").count() >= 3


def test_group_demo_accounts_belong_to_different_groups():
    first = Membership.objects.get(user__email="group@example.org").organisation
    second = Membership.objects.get(user__email="group2@example.org").organisation
    assert first != second


def test_demo_accounts_sign_in_with_the_demo_password(client):
    response = client.post(
        "/accounts/login/", {"username": "commissioner@example.org", "password": "linkwork-demo"}
    )
    assert response.status_code == 302


def test_demo_has_a_few_hundred_referrals_at_every_stage():
    assert 250 <= Referral.objects.count() <= 350
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert statuses == set(t.REFERRAL_STATES)
    today = timezone.localdate()
    received = Referral.objects.filter(status=t.RECEIVED)
    assert any(selectors.overdue_first_contact(r, today) for r in received)
    assert not all(selectors.overdue_first_contact(r, today) for r in received)
    assert Referral.objects.filter(source="self").exists()
    assert Referral.objects.filter(referrer__email="referrer@example.org").count() > 100
    assert not Referral.objects.filter(status=t.CLOSED, closure_summary="").exists()
    assert not Referral.objects.filter(status__in=[t.DECLINED, t.RETURNED], reason="").exists()


def test_demo_referrals_spread_over_the_last_year_with_consistent_histories():
    received = Referral.objects.order_by("received_at").values_list("received_at", flat=True)
    assert (timezone.now() - received.first()).days >= 300
    assert received.last() <= timezone.now()
    for referral in Referral.objects.prefetch_related("events"):
        times = [event.at for event in referral.events.all()]
        assert times[0] == referral.received_at
        assert times == sorted(times)
        assert times[-1] <= timezone.now()


def test_demo_people_are_fictional_with_test_range_nhs_numbers():
    numbers = list(Person.objects.exclude(nhs_number="").values_list("nhs_number", flat=True))
    assert len(numbers) > 50
    assert all(n.startswith("999") and nhs_number_is_valid(n) for n in numbers)
    assert Person.objects.filter(area__isnull=True).count() == 0


def test_demo_has_connections_unmet_needs_and_follow_ups():
    statuses = set(Connection.objects.values_list("status", flat=True))
    assert {t.SENT, t.WAITLISTED, t.ATTENDING, t.COMPLETED, t.DECLINED} <= statuses
    reasons = set(UnmetNeed.objects.values_list("reason", flat=True))
    assert {"full", "none_exists"} <= reasons
    link_worker = User.objects.get(email="linkworker@example.org")
    assert selectors.follow_ups_due(link_worker).exists()
    assert FollowUp.objects.filter(completed_at__isnull=False).exclude(outcome="").exists()
    assert Referral.objects.filter(assigned_to=link_worker).count() > 200


def test_demo_referrals_fill_no_listing_that_was_not_full():
    listed = {listing["name"]: listing["capacity_status"] for listing in LISTINGS}
    now = dict(Asset.objects.filter(source=DEMO_SOURCE).values_list("name", "capacity_status"))
    assert now == listed


@pytest.mark.parametrize("email", ["group@example.org", "group2@example.org"])
def test_demo_group_accounts_have_connections_in_their_inbox(email):
    inbox = selectors.group_inbox(User.objects.get(email=email))
    assert inbox.count() >= 5
    assert len(set(inbox.values_list("status", flat=True))) >= 3


def test_demo_queue_shows_a_possible_duplicate_and_a_second_open_referral():
    from django.test import Client

    from linkwork.referrals.matching import other_open_referrals, possible_duplicates_of

    new = Referral.objects.filter(
        idempotency_key__in=["demo-possible-duplicate", "demo-same-person-again"]
    )
    by_key = {r.idempotency_key: r for r in new.select_related("person")}
    maybe = by_key["demo-possible-duplicate"]
    assert possible_duplicates_of([maybe.person])[maybe.person_id]
    again = by_key["demo-same-person-again"]
    assert [o.same_person for o in other_open_referrals([again])[again.pk]] == [True]
    client = Client()
    client.force_login(User.objects.get(email="linkworker@example.org"))
    html = "".join(client.get("/casework/queue/", {"page": n}).content.decode() for n in (1, 2, 3))
    assert "Possible duplicate of" in html and "Also has an open referral" in html


def test_demo_funding_has_a_decided_round_an_open_one_and_last_months_statements():
    from linkwork.funding.models import Round, Statement

    decided = Round.objects.get(status="decided")
    assert decided.priorities.exists()
    assert decided.applications.filter(status="awarded", grant__isnull=False).count() == 1
    assert Round.objects.filter(status="open").exists()
    walk = Organisation.objects.get(name="Tonge Walking for Health")
    assert Statement.objects.filter(organisation=walk).exists()
