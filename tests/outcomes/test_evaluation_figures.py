"""The evaluation computed in SQL (`evaluation.tallies`) publishes exactly the figures
the episode-by-episode computation did (tests/outcomes/evaluation_reference.py), on
random worlds: people referred twice, one response only, a later questionnaire dated
before its baseline, incomplete and missing questionnaires, other outcomes, small
groups that are suppressed, every filter and every breakdown."""

import dataclasses
import datetime as dt
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from linkwork.directory.models import OrganisationKind, TaxonomyTerm, Vocabulary
from linkwork.directory.services import load_default_taxonomy
from linkwork.disclosure import DisclosureRule
from linkwork.outcomes import evaluation
from linkwork.outcomes.instruments import ordered
from linkwork.outcomes.models import OtherOutcomes, Response
from linkwork.outcomes.scoring import score
from linkwork.places.models import Area, NeighbourhoodMembership
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Connection, Person, Referral
from tests.factories import AssetFactory, OrganisationFactory
from tests.outcomes import evaluation_reference as reference

pytestmark = pytest.mark.django_db

RULES = (DisclosureRule(threshold=8, rounding=5), DisclosureRule(threshold=3, rounding=1))
STATES = (*t.ATTENDED, "sent", "declined")


def _world(rng: random.Random, referrals: int) -> dict:
    """Referrals over two years to three services, with their people, areas, reasons,
    connections, questionnaires (scored as recording them would) and other outcomes."""
    load_default_taxonomy(by=None)
    needs = list(TaxonomyTerm.objects.filter(vocabulary=Vocabulary.NEED)[:5])
    kind = OrganisationKind.SOCIAL_PRESCRIBING_SERVICE
    services = [OrganisationFactory(name=f"Links {n}", kind=kind) for n in range(3)]
    assets = [AssetFactory() for _ in range(3)]
    hoods = [
        Area.objects.create(code=f"NH{n}", name=f"Hood {n}", area_type="neighbourhood")
        for n in range(3)
    ]
    lsoas = [
        Area.objects.create(
            code=f"E0100000{n}",
            name=f"LSOA {n}",
            area_type="lsoa",
            imd_decile=1 + n % 4,
            # Two LSOAs are in a neighbourhood through `parent`, the rest by membership.
            parent=hoods[2] if n < 2 else None,
        )
        for n in range(6)
    ]
    for n, lsoa in enumerate(lsoas[2:5]):
        NeighbourhoodMembership.objects.create(neighbourhood=hoods[n % 2], lsoa=lsoa)
    now = timezone.now()
    people: list[Person] = []
    for n in range(referrals):
        if people and rng.random() < 0.25:
            person = rng.choice(people)
        else:
            person = Person.objects.create(
                given_name="Sam",
                family_name=f"Example{n}",
                birth_date=dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(80 * 365)),
                postcode="BL1 1AA",
                area=rng.choice([*lsoas, None]),
            )
            people.append(person)
        referral = Referral.objects.create(
            person=person,
            service=rng.choice(services),
            source=rng.choice(["gp", "gp", "self", "housing"]),
            status=t.IN_PROGRESS,
            consent_to_refer=True,
            consent_recorded_at=now,
            first_contact_due=timezone.localdate(),
        )
        received = now - dt.timedelta(days=rng.uniform(0, 700))
        if rng.random() < 0.15:
            received = _on_birthday(rng, person.birth_date, received) or received
        Referral.objects.filter(pk=referral.pk).update(received_at=received)
        # Nearly everyone has the first reason: filtering on it leaves out a few people,
        # whom differencing must protect.
        reasons = rng.sample(needs[1:], rng.choice([0, 1, 1, 2]))
        referral.reasons.add(*reasons, *([needs[0]] if rng.random() < 0.95 else []))
        for _ in range(rng.choice([0, 1, 2])):
            Connection.objects.create(
                referral=referral,
                asset=rng.choice(assets),
                status=rng.choice(STATES),
                shared_fields=[],
            )
        _questionnaires(rng, referral, received.date())
        if rng.random() < 0.3:
            _other_outcomes(rng, referral)
    return {"services": services, "assets": assets, "hoods": hoods, "needs": needs}


def _on_birthday(rng: random.Random, born: dt.date, near: dt.datetime) -> dt.datetime | None:
    """Just after midnight or just before it, local time, on a birthday (the age band
    changes that day; in summer the UTC date is another day)."""
    try:
        day = born.replace(year=near.year)
    except ValueError:  # 29 February
        return None
    at = timezone.make_aware(
        dt.datetime.combine(day, rng.choice([dt.time(0, 30), dt.time(23, 30)]))
    )
    return at if at < timezone.now() else None


def _questionnaires(rng: random.Random, referral: Referral, received: dt.date) -> None:
    for found in ordered():
        if rng.random() < 0.4:
            continue  # this instrument missing
        start = received + dt.timedelta(days=rng.randint(0, 10))
        timepoints = [("baseline", start)] if rng.random() < 0.85 else []
        for _ in range(rng.choice([0, 1, 1, 2])):
            # Now and then dated before the baseline: not compared.
            timepoints.append(("follow_up", start + dt.timedelta(days=rng.randint(-5, 90))))
        if rng.random() < 0.3:
            timepoints.append(("closure", start + dt.timedelta(days=rng.randint(30, 120))))
        for timepoint, on in timepoints:
            items = rng.randint(1, 4) if found.items_from_plan else len(found.items)
            answers = [rng.randint(found.lowest, found.highest) for _ in range(items)]
            if rng.random() < 0.05:
                answers[0] = None
            scored = score(found, answers, allow_missing=True, item_count=items)
            Response.objects.create(
                referral=referral,
                instrument=found.code,
                timepoint=timepoint,
                **scored.as_stored(),
                completed_on=on,
            )


def _other_outcomes(rng: random.Random, referral: Referral) -> None:
    def maybe(value):
        return value if rng.random() < 0.6 else None

    OtherOutcomes.objects.create(
        referral=referral,
        gp_contacts_baseline=maybe(rng.randint(0, 6)),
        gp_contacts_follow_up=maybe(rng.randint(0, 6)),
        ae_contacts_baseline=maybe(rng.randint(0, 2)),
        ae_contacts_follow_up=maybe(rng.randint(0, 2)),
        income_annual=maybe(Decimal(rng.randrange(5000, 600000)) / 100),
        debt_managed=maybe(Decimal(rng.randrange(0, 9000, 50))),
        grants_obtained=maybe(Decimal("250.00")),
        group_joined=rng.random() < 0.5,
        volunteering_started=rng.random() < 0.2,
    )


def _figures(report) -> dict:
    found = dataclasses.asdict(report)
    found.pop("generated_at")
    return found


def _cohorts(world: dict) -> list[tuple[dict, str | None, str]]:
    service, asset = world["services"][0], world["assets"][0]
    hood, need = world["hoods"][0], world["needs"][0]
    return [
        ({}, "service", "swemwbs"),
        ({}, "reason", "anxiety"),
        ({}, "age_band", "ucla3"),
        ({}, "imd_decile", "gp_contacts"),
        ({}, None, "swemwbs"),
        ({}, "source", "goals"),
        ({}, "neighbourhood", "ons_loneliness"),
        ({"service": str(service.pk)}, "service", "life_satisfaction"),
        ({"service": str(service.pk)}, "neighbourhood", "swemwbs"),
        ({"asset": str(asset.pk), "source": "gp"}, "source", "happiness"),
        ({"neighbourhood": hood.code}, "neighbourhood", "worthwhile"),
        ({"reason": need.code, "age_band": "55-64"}, "age_band", "ae_contacts"),
        ({"reason": need.code, "imd_decile": "2"}, "reason", "swemwbs"),
        ({"reason": need.code}, "service", "swemwbs"),
        ({"reason": need.code, "service": str(service.pk)}, "reason", "anxiety"),
        ({"period": "last-12-months", "source": "self"}, "service", "swemwbs"),
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sql_tallies_publish_the_same_figures_as_the_episodes(seed):
    rng = random.Random(seed)  # noqa: S311 (made-up data)
    world = _world(rng, referrals=160)
    for values, by, measure in _cohorts(world):
        filters = evaluation.parse_filters({"period": "last-24-months", **values}, None)
        for rule in RULES:
            new = evaluation.evaluate(filters, None, by=by, measure=measure, rule=rule)
            old = reference.evaluate(filters, None, by=by, measure=measure, rule=rule)
            assert _figures(new) == _figures(old), (values, by, measure, rule)


def test_a_services_own_evaluation_matches_too():
    rng = random.Random(4)  # noqa: S311
    world = _world(rng, referrals=120)
    services = frozenset([world["services"][1].pk])
    filters = evaluation.parse_filters({"period": "last-24-months"}, services)
    for by in evaluation.DIMENSIONS:
        new = evaluation.evaluate(filters, services, by=by, measure="swemwbs", rule=RULES[1])
        old = reference.evaluate(filters, services, by=by, measure="swemwbs", rule=RULES[1])
        assert _figures(new) == _figures(old), by


def test_the_worlds_hold_what_the_comparison_needs():
    """Else the comparison above would pass on worlds without the hard cases."""
    rng = random.Random(1)  # noqa: S311
    world = _world(rng, referrals=160)
    withheld, published = set(), 0
    for values, by, measure in _cohorts(world):
        filters = evaluation.parse_filters({"period": "last-24-months", **values}, None)
        report = evaluation.evaluate(filters, None, by=by, measure=measure, rule=RULES[0])
        results = [*report.measures, *report.contacts]
        if report.breakdown:
            results += [row.result for row in report.breakdown.rows]
        withheld |= {r.withheld for r in results} | {m.withheld for m in report.money}
        published += sum(r.has_statistics for r in results)
    assert {"few", "differencing", "secondary"} <= withheld
    assert published > 10
    assert Referral.objects.values("person").distinct().count() < Referral.objects.count()
    assert Response.objects.filter(complete=False).exists()
