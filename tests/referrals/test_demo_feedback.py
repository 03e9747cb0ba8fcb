"""The demo's feedback at closure: some people answer their link, and loading again
changes nothing; refused connections of an older demo are withdrawn once."""

import datetime as dt

import pytest
from django.utils import timezone

from linkwork.audit.models import AuditEvent
from linkwork.demo.referrals.feedback import load_demo_feedback, withdraw_refused_connections
from linkwork.referrals import services
from linkwork.referrals.models import Connection, FeedbackRequest, Referral
from tests.referrals.test_casework_pages import contacted

pytestmark = pytest.mark.django_db


def demo_referrals(world, n: int) -> list[Referral]:
    """n closed 'demo' referrals whose people agreed to email, closed a month ago."""
    referrals = []
    for i in range(n):
        referral = contacted(world, email=f"p{i}@example.com", given_name=f"P{i}", nhs_number="")
        Referral.objects.filter(pk=referral.pk).update(
            idempotency_key=f"demo-{i}", consent_contact_methods="email"
        )
        referral.refresh_from_db()
        services.transition_referral(referral=referral, to="in_progress", by=world.link_worker.user)
        services.transition_referral(
            referral=referral, to="closed", summary="Done.", by=world.link_worker.user
        )
        referrals.append(referral)
    return referrals


def test_some_demo_people_answer_and_a_second_load_changes_nothing(world):
    demo_referrals(world, 20)
    later = timezone.now() + dt.timedelta(days=20)
    answered = load_demo_feedback(now=later)
    ratings = list(FeedbackRequest.objects.exclude(rating=None).values_list("rating", flat=True))
    assert 5 <= answered == len(ratings) < 20
    assert set(ratings) <= {1, 2, 3, 4, 5}
    events = AuditEvent.objects.count()
    assert load_demo_feedback(now=later) == 0
    assert AuditEvent.objects.count() == events


def test_no_demo_answer_comes_before_the_link_or_after_it_expired(world):
    demo_referrals(world, 10)
    load_demo_feedback(now=timezone.now() + dt.timedelta(days=60))
    for request in FeedbackRequest.objects.exclude(answered_at=None):
        assert request.sent_at < request.answered_at < request.expires_at


def test_answers_not_yet_given_wait_for_their_day(world):
    demo_referrals(world, 10)
    assert load_demo_feedback(now=timezone.now()) == 0  # all sent just now: nobody yet


def test_refused_connections_of_an_older_demo_are_withdrawn_once(world):
    (referral,) = demo_referrals(world, 1)
    refused = Connection.objects.create(referral=referral, asset=world.full)
    assert withdraw_refused_connections() == 1
    refused.refresh_from_db()
    assert refused.status == "withdrawn" and refused.reason == "Full walk had no places."
    assert withdraw_refused_connections() == 0
