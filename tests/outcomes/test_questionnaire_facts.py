"""`QuestionnaireFact`, kept by triggers on responses (`evaluation.pairs`): after writes
of every kind it holds what rebuilding it from scratch gives, the evaluation then still
publishes the reference's figures, the installed triggers are the migration's, and the
counted confidence interval is the listed one to the last bit."""

import datetime as dt
import random

import pytest
from django.db import connection

from linkwork.outcomes import evaluation
from linkwork.outcomes.evaluation import pairs
from linkwork.outcomes.evaluation.statistics import paired_mean_ci, paired_mean_ci_counted
from linkwork.outcomes.models import QuestionnaireFact, Response, Timepoint
from linkwork.referrals.models import Referral
from tests.outcomes import evaluation_reference as reference
from tests.outcomes.test_evaluation_figures import RULES, _figures, _world


def _rows() -> list[tuple]:
    return sorted(QuestionnaireFact.objects.values_list("referral_id", "key", "baseline", "latest"))


def _rebuilt() -> list[tuple]:
    pairs.rebuild_questionnaire_facts(connection)
    return _rows()


def _write(rng: random.Random) -> None:
    """A few writes of each kind the casework makes (and some it should not)."""
    responses = list(Response.objects.order_by("pk"))
    referrals = list(Referral.objects.values_list("pk", flat=True))
    for response in rng.sample(responses, 12):
        response.completed_on += dt.timedelta(days=rng.randint(-30, 30))
        response.save(update_fields=["completed_on"])
    for response in rng.sample(responses, 6):
        response.complete = not response.complete
        response.save(update_fields=["complete"])
    scored = [r for r in responses if r.score is not None]
    for response in rng.sample(scored, 6):
        Response.objects.filter(pk=response.pk).update(score=response.score + 1)
    # A follow-up moved to another referral: both referrals' rows follow.
    later = [r for r in responses if r.timepoint == Timepoint.FOLLOW_UP]
    for response in rng.sample(later, 5):
        Response.objects.filter(pk=response.pk).update(referral_id=rng.choice(referrals))
    # measures rewritten (ONS4's scores live only there)
    ons4 = [r for r in responses if r.instrument == "ons4" and r.measures]
    for response in rng.sample(ons4, min(4, len(ons4))):
        measures = dict(response.measures)
        key = rng.choice(list(measures))
        measures[key] = {**measures[key], "score": "9.00"}
        Response.objects.filter(pk=response.pk).update(measures=measures)
    Response.objects.filter(pk__in=[r.pk for r in rng.sample(responses, 10)]).delete()
    Response.objects.filter(timepoint=Timepoint.CLOSURE, pk__lt=responses[40].pk).update(
        completed_on=dt.date(2020, 1, 1)
    )


@pytest.mark.django_db
def test_the_table_follows_every_write_and_the_figures_stay_the_references():
    rng = random.Random(7)  # noqa: S311 (made-up data)
    _world(rng, referrals=120)
    assert _rows() == _rebuilt()
    assert QuestionnaireFact.objects.filter(key=pairs.IMPROVED).exists()
    for _ in range(3):
        _write(rng)
        found = _rows()
        assert found == _rebuilt()
    filters = evaluation.parse_filters({"period": "last-24-months"}, None)
    for by, measure in (("service", "swemwbs"), ("age_band", "anxiety"), (None, "ucla3")):
        new = evaluation.evaluate(filters, None, by=by, measure=measure, rule=RULES[1])
        old = reference.evaluate(filters, None, by=by, measure=measure, rule=RULES[1])
        assert _figures(new) == _figures(old), (by, measure)


def test_the_installed_triggers_are_the_migrations():
    """`evaluation.pairs` writes its SQL from the instruments: when they change, a new
    migration must re-create the triggers (and rebuild), and carry the new digest."""
    from importlib import import_module

    migration = import_module("linkwork.outcomes.migrations.0002_questionnaire_facts")
    latest = getattr(migration, "TRIGGERS_DIGEST")  # noqa: B009
    assert pairs.triggers_digest() == latest, (
        "The instruments changed the evaluation's trigger SQL: add a migration that "
        "re-creates the triggers (pairs.create_triggers_sql), rebuilds the table and "
        "records pairs.triggers_digest()."
    )


@pytest.mark.parametrize("seed", range(20))
def test_the_counted_ci_is_the_listed_ci_to_the_bit(seed):
    rng = random.Random(seed)  # noqa: S311
    counted: dict[float, int] = {}
    for _ in range(rng.randint(1, 60)):
        value = rng.choice([rng.randint(-3500, 3500) / 100, rng.uniform(-10, 10)])
        counted[value] = counted.get(value, 0) + rng.choice([1, 1, 2, 7, 300])
    listed = [v for v, count in counted.items() for _ in range(count)]
    rng.shuffle(listed)
    assert paired_mean_ci_counted(counted.items()) == paired_mean_ci(listed)
