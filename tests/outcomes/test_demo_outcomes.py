"""The demo's outcomes: enough for the evaluation pages to show something, plausibly."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from linkwork.demo.outcomes import load_demo_outcomes
from linkwork.outcomes.instruments import instrument
from linkwork.outcomes.models import OtherOutcomes, Response
from linkwork.outcomes.scoring import score
from linkwork.outcomes.selectors import pair_responses
from linkwork.referrals.models import Referral

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demo_loaded(django_db_setup, django_db_blocker):
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=hashers),
        transaction.atomic(),
    ):
        call_command("demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def test_about_half_the_referrals_have_baselines_and_fewer_follow_ups():
    referrals = Referral.objects.count()
    baselines = set(
        Response.objects.filter(timepoint="baseline").values_list("referral_id", flat=True)
    )
    later = set(
        Response.objects.exclude(timepoint="baseline").values_list("referral_id", flat=True)
    )
    assert 0.3 * referrals <= len(baselines) <= 0.6 * referrals
    assert 30 <= len(later) < len(baselines)
    assert later <= baselines


def test_demo_responses_are_scored_as_the_publisher_says():
    for response in Response.objects.filter(complete=True)[:200]:
        found = instrument(response.instrument)
        again = score(found, response.answers, item_count=len(response.goals))
        assert response.measures == {
            k: {"score": str(v.score), "band": v.band} for k, v in again.measures.items()
        }
    assert Response.objects.filter(complete=False, score__isnull=True).exists()


def test_most_paired_people_improve_on_swemwbs():
    pairs = [
        p
        for p in pair_responses(Response.objects.filter(instrument="swemwbs"))
        if p.latest is not None
    ]
    measure = instrument("swemwbs").measure("swemwbs")
    changes = [p.change(measure) for p in pairs]
    mean = sum(c.difference for c in changes) / len(changes)
    assert 1 < mean < 6
    assert any(c.verdict != "improved" for c in changes)
    assert any(c.difference < 0 for c in changes)
    assert all(p.latest.completed_on >= p.baseline.completed_on for p in pairs)


def test_some_financial_outcomes():
    assert OtherOutcomes.objects.filter(income_annual__gt=0).count() >= 5
    assert OtherOutcomes.objects.filter(debt_managed__gt=0).exists()


def test_loading_the_outcomes_again_changes_nothing():
    before = Response.objects.count(), OtherOutcomes.objects.count()
    assert load_demo_outcomes() == 0
    assert (Response.objects.count(), OtherOutcomes.objects.count()) == before
