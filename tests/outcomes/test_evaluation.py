"""Cohort statistics (linkwork.outcomes.evaluation) against hand-computed examples, and
disclosure control on every figure, including differencing attempts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linkwork.directory.models import OrganisationKind, TaxonomyTerm
from linkwork.directory.services import load_default_taxonomy
from linkwork.disclosure import DisclosureRule
from linkwork.errors import InvalidInput
from linkwork.outcomes import evaluation
from linkwork.outcomes.evaluation import (
    age_band,
    evaluate,
    paired_mean_ci,
    parse_filters,
    t_quantile,
)
from linkwork.outcomes.instruments import instrument
from linkwork.outcomes.models import OtherOutcomes, Response
from linkwork.outcomes.scoring import score
from linkwork.places.models import Area, NeighbourhoodMembership
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Connection, Person, Referral
from tests.factories import AssetFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

RULE = DisclosureRule(threshold=8, rounding=5)


# --- Builders ---------------------------------------------------------------------------


def make_service(name: str = "Community Links"):
    return OrganisationFactory(name=name, kind=OrganisationKind.SOCIAL_PRESCRIBING_SERVICE)


def make_referral(
    service,
    *,
    person: Person | None = None,
    source: str = "gp",
    born: dt.date = dt.date(1960, 6, 1),
    area: Area | None = None,
    days_ago: int = 60,
    reasons: tuple[str, ...] = (),
    sex: str = "",
) -> Referral:
    person = person or Person.objects.create(
        given_name="Sam",
        family_name="Example",
        birth_date=born,
        postcode="BL1 1AA",
        area=area,
        nhs_number="9990001112",
        sex=sex,
    )
    now = timezone.now()
    referral = Referral.objects.create(
        person=person,
        service=service,
        source=source,
        status=t.IN_PROGRESS,
        consent_to_refer=True,
        consent_recorded_at=now,
        first_contact_due=timezone.localdate(),
        notes="Free text that must never leave",
    )
    Referral.objects.filter(pk=referral.pk).update(received_at=now - dt.timedelta(days=days_ago))
    if reasons:
        referral.reasons.add(*TaxonomyTerm.objects.filter(code__in=reasons))
    referral.refresh_from_db()
    return referral


def respond(referral: Referral, code: str, timepoint: str, answers, days_ago: int) -> Response:
    scored = score(instrument(code), answers, allow_missing=True, item_count=len(answers))
    return Response.objects.create(
        referral=referral,
        instrument=code,
        timepoint=timepoint,
        **scored.as_stored(),
        completed_on=timezone.localdate() - dt.timedelta(days=days_ago),
    )


def ons4_pair(referral, before: tuple, after: tuple | None) -> None:
    respond(referral, "ons4", "baseline", list(before), 50)
    if after is not None:
        respond(referral, "ons4", "follow_up", list(after), 10)


# Life satisfaction: baselines and changes chosen so the arithmetic is easy by hand.
BASELINES = [4, 5, 3, 6, 5, 4, 3, 5, 4, 6]  # mean 4.5
CHANGES = [1, 2, 3, 0, -1, 2, 4, 1, 2, 1]  # mean 1.5; 8 up, 1 same, 1 down


def ten_people(service, **referral_fields) -> list[Referral]:
    referrals = []
    for before, change in zip(BASELINES, CHANGES, strict=True):
        referral = make_referral(service, **referral_fields)
        # Anxiety falls from 7 to 4 for everyone: lower is better, so all improved.
        ons4_pair(referral, (before, 5, 5, 7), (before + change, 5, 5, 4))
        referrals.append(referral)
    return referrals


def filters(services=None, **values) -> evaluation.Filters:
    return parse_filters(values, services)


def report(services=None, by="service", measure="life_satisfaction", **values):
    return evaluate(filters(services, **values), services, by=by, measure=measure, rule=RULE)


# --- Student's t and the confidence interval ----------------------------------------------


@pytest.mark.parametrize(
    ("df", "expected"),
    [
        (1, 12.706204736),
        (2, 4.302652730),
        (7, 2.364624252),
        (9, 2.262157163),
        (30, 2.042272456),
        (120, 1.979930405),
    ],
)
def test_t_quantiles_match_the_published_table(df, expected):
    assert t_quantile(0.975, df) == pytest.approx(expected, abs=1e-8)


def test_paired_ci_matches_students_sleep_data_worked_example():
    # Student (1908) / R's `t.test(extra ~ group, data = sleep, paired = TRUE)`:
    # mean difference 1.58, 95% CI 0.7001142 to 2.4598858.
    differences = [1.2, 2.4, 1.3, 1.3, 0.0, 1.0, 1.8, 0.8, 4.6, 1.4]
    found = paired_mean_ci(differences)
    assert found.mean == pytest.approx(1.58)
    assert found.low == pytest.approx(0.7001142, abs=1e-7)
    assert found.high == pytest.approx(2.4598858, abs=1e-7)


def test_a_cohort_mean_change_and_ci_are_computed_by_hand():
    service = make_service()
    ten_people(service)
    found = report().measure("life_satisfaction")
    # mean change 1.5; s² = 18.5 / 9; se = √(s² / 10) = 0.453382; t(9) = 2.262157
    assert (found.mean_baseline, found.mean_latest, found.mean_change) == (4.5, 6.0, 1.5)
    assert (found.ci_low, found.ci_high) == (0.47, 2.53)
    assert found.people == 10
    # 8 improved (published 10), 1 no change and 1 worse (withheld, 1–7 people).
    assert (found.improved, found.no_change, found.worse) == (10, None, None)
    assert found.improved_pct == 100.0  # from the published counts, 10 of 10
    assert found.no_change_pct is None and found.worse_pct is None


def test_anxiety_is_reversed_and_ons4_items_are_reported_separately():
    ten_people(make_service())
    found = report()
    anxiety = found.measure("anxiety")
    assert anxiety.mean_change == -3.0 and not anxiety.higher_is_better
    assert (anxiety.ci_low, anxiety.ci_high) == (-3.0, -3.0)
    assert anxiety.improved == 10 and anxiety.worse == 0
    worthwhile = found.measure("worthwhile")
    assert worthwhile.mean_change == 0.0 and worthwhile.no_change == 10
    assert [m.key for m in found.measures if m.instrument_code == "ons4"] == [
        "life_satisfaction",
        "worthwhile",
        "happiness",
        "anxiety",
    ]


def test_swemwbs_change_passes_the_threshold_only_when_big_enough():
    service = make_service()
    for n in range(20):
        referral = make_referral(service)
        respond(referral, "swemwbs", "baseline", [2] * 7, 50)  # raw 14: 15.32
        # Half move to raw 21 (19.25: +3.93, past 2.87); half to raw 15 (15.84: +0.52).
        respond(referral, "swemwbs", "follow_up", [3] * 7 if n % 2 else [2] * 6 + [3], 10)
    found = report(measure="swemwbs").measure("swemwbs")
    assert found.mean_baseline == 15.32
    assert found.mean_latest == 17.55  # (19.25 + 15.84) / 2 = 17.545, half up
    assert (found.improved, found.no_change, found.worse) == (10, 10, 0)
    assert found.improved_pct == 50.0 and found.people == 20
    assert "2.87" in found.threshold_note


def test_the_latest_later_questionnaire_is_compared_and_each_person_counts_once():
    service = make_service()
    for before, change in zip(BASELINES, CHANGES, strict=True):
        referral = make_referral(service)
        respond(referral, "ons4", "baseline", [before, 5, 5, 5], 80)
        respond(referral, "ons4", "follow_up", [0, 5, 5, 5], 40)  # superseded
        respond(referral, "ons4", "closure", [before + change, 5, 5, 5], 5)
        respond(referral, "ons4", "follow_up", [None, 5, 5, 5], 1)  # incomplete: ignored
    # The last person also has an earlier referral in the period: still one person.
    last = Referral.objects.order_by("-id").first()
    earlier = make_referral(service, person=last.person, days_ago=200)
    ons4_pair(earlier, (0, 0, 0, 0), (10, 10, 10, 10))
    found = report(period="last-12-months").measure("life_satisfaction")
    assert found.raw_people == 10 and found.mean_change == 1.5


def test_completion_and_improved_on_at_least_one_measure():
    service = make_service()
    ten_people(service)
    for _ in range(12):  # baselines with no follow-up yet
        ons4_pair(make_referral(service), (5, 5, 5, 5), None)
    for _ in range(3):  # referred, never asked
        make_referral(service)
    found = report()
    assert found.referred == 25  # 25 people
    # 22 with a baseline: 10 followed up (published 10), 12 not (10); 10/20 = 50%.
    assert (found.completion.total, found.completion.yes, found.completion.no) == (20, 10, 10)
    assert found.completion.pct == 50.0
    # Everyone followed up improved on anxiety at least.
    assert (found.improved_any.total, found.improved_any.yes) == (10, 10)
    assert found.improved_any.pct == 100.0


def test_completion_split_gets_secondary_suppression():
    service = make_service()
    ten_people(service)
    for _ in range(2):
        ons4_pair(make_referral(service), (5, 5, 5, 5), None)
    split = report().completion
    # 12 with a baseline, 2 without a follow-up (withheld): the 10 with one must be
    # withheld too, or 10 from 12 would give the 2 away.
    assert split.total == 10 and split.no is None and split.yes is None and split.pct is None


def test_money_totals_and_other_outcomes():
    service = make_service()
    for n, referral in enumerate(ten_people(service)):
        OtherOutcomes.objects.create(
            referral=referral,
            income_annual=Decimal("1234.50") if n < 9 else None,
            debt_managed=Decimal("500") if n < 3 else None,
            volunteering_started=n < 9,
            gp_contacts_baseline=4,
            gp_contacts_follow_up=2 if n < 8 else 4,
        )
    found = report()
    money = {m.key: m for m in found.money}
    assert money["income_annual"].people == 10  # 9 people, rounded
    assert money["income_annual"].total == 11100  # £11,110.50 to the nearest £100
    assert money["debt_managed"].people is None and money["debt_managed"].total is None
    assert money["debt_managed"].withheld == "few"
    assert money["grants_obtained"].people == 0 and money["grants_obtained"].total == 0
    assert dict(found.flags)["Started volunteering"] == 10
    gp = found.measure("gp_contacts")
    assert gp.mean_baseline == 4.0 and gp.mean_change == -1.6 and not gp.higher_is_better
    # 8 fewer contacts, 2 the same (withheld): the 8 must go too, or 10 − 8 gives the 2.
    assert gp.people == 10 and gp.improved is None and gp.no_change is None


def test_statistics_about_fewer_than_eight_people_are_withheld():
    service = make_service()
    for before, change in list(zip(BASELINES, CHANGES, strict=True))[:7]:
        ons4_pair(make_referral(service), (before, 5, 5, 7), (before + change, 5, 5, 4))
    found = report().measure("life_satisfaction")
    assert found.raw_people == 7
    assert found.people is None and found.withheld == "few"
    assert found.mean_baseline is found.mean_change is found.ci_low is None
    assert all(row.baseline is None or row.baseline == 0 for row in found.distribution)


def test_distribution_at_baseline_and_latest_is_suppressed_as_a_table():
    service = make_service()
    for _ in range(10):
        ons4_pair(make_referral(service), (3, 5, 5, 5), (7, 5, 5, 5))
    for _ in range(2):
        ons4_pair(make_referral(service), (5, 5, 5, 5), (5, 5, 5, 5))
    rows = {r.label: r for r in report().measure("life_satisfaction").distribution}
    # Baseline: 10 low, 2 medium (withheld) → the low cell is withheld too, or the
    # column total (12 → 10) would give the 2 away. Latest: 10 high, 2 medium.
    assert rows["Medium (5–6)"].baseline is None and rows["Medium (5–6)"].latest is None
    assert rows["Low (0–4)"].baseline is None and rows["High (7–8)"].latest is None
    assert rows["Very high (9–10)"].baseline == 0


# --- Filters ---------------------------------------------------------------------------


def test_every_filter_narrows_the_cohort():
    load_default_taxonomy(by=None)
    service, other = make_service(), make_service("Other Links")
    hood = Area.objects.create(code="N01", name="Tonge", area_type="neighbourhood")
    lsoa = Area.objects.create(code="E01000001", name="LSOA 1", area_type="lsoa", imd_decile=2)
    NeighbourhoodMembership.objects.create(neighbourhood=hood, lsoa=lsoa)
    asset = AssetFactory(name="Health walk")
    matched = ten_people(
        service,
        area=lsoa,
        source="pharmacy",
        born=dt.date(1990, 1, 1),
        reasons=("need-loneliness",),
    )
    for referral in matched:
        Connection.objects.create(referral=referral, asset=asset, status=t.ATTENDING)
    ten_people(other)  # none of the filters match these (other service, no area...)
    wanted = {
        "service": str(service.pk),
        "neighbourhood": "N01",
        "imd_decile": "2",
        "source": "pharmacy",
        "age_band": age_band(dt.date(1990, 1, 1), timezone.localdate() - dt.timedelta(60)),
        "reason": "need-loneliness",
        "asset": str(asset.pk),
    }
    assert report().measure("life_satisfaction").raw_people == 20
    for name, value in wanted.items():
        found = report(**{name: value}).measure("life_satisfaction")
        assert found.raw_people == 10, name
        # The other ten are not 1–7 people: no differencing problem.
        assert found.mean_change == 1.5, name
    assert report(**wanted).measure("life_satisfaction").mean_change == 1.5
    assert report(period="2001").measure("life_satisfaction").raw_people == 0


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"service": "99999"}, "service"),
        ({"service": "abc"}, "service"),
        ({"neighbourhood": "NOPE"}, "neighbourhood"),
        ({"reason": "<script>"}, "reason"),
        ({"source": "martians"}, "source"),
        ({"age_band": "200-300"}, "age_band"),
        ({"imd_decile": "11"}, "imd_decile"),
        ({"imd_decile": "0"}, "imd_decile"),
        ({"asset": "-1"}, "asset"),
        ({"period": "yesterday"}, "period"),
    ],
)
def test_bad_filter_values_are_named(values, field):
    make_service()
    with pytest.raises(InvalidInput) as error:
        parse_filters(values, None)
    assert field in error.value.errors


def test_a_service_outside_the_viewers_scope_is_refused():
    mine, theirs = make_service(), make_service("Theirs")
    with pytest.raises(InvalidInput):
        parse_filters({"service": str(theirs.pk)}, frozenset({mine.pk}))
    assert parse_filters({"service": str(mine.pk)}, frozenset({mine.pk})).active["service"]


def test_a_scoped_viewer_sees_only_their_services_referrals():
    mine, theirs = make_service(), make_service("Theirs")
    ten_people(mine)
    ten_people(theirs)
    found = report(services=frozenset({mine.pk}), by="age_band")
    assert found.measure("life_satisfaction").raw_people == 10


# --- Differencing and secondary suppression --------------------------------------------------


def test_differencing_two_cohorts_cannot_reveal_a_withheld_group():
    """Service B has 3 people. Everyone (13) and service A (10) are each big enough, but
    A's figures subtracted from everyone's would describe B's 3: A's are withheld."""
    a, b = make_service("A"), make_service("B")
    people_a = ten_people(a)
    for n in range(3):
        referral = make_referral(b)
        ons4_pair(referral, (2, 5, 5, 5), (9, 5, 5, 5))
        OtherOutcomes.objects.create(referral=referral, income_annual=Decimal(5000 + n))
    for referral in people_a:
        OtherOutcomes.objects.create(referral=referral, income_annual=Decimal(1000))

    everyone = report(by=None)
    only_a = report(by=None, service=str(a.pk))
    only_b = report(by=None, service=str(b.pk))
    for key in ("life_satisfaction", "anxiety"):
        assert everyone.measure(key).has_statistics
        assert not only_a.measure(key).has_statistics
        assert only_a.measure(key).withheld == "differencing"
        assert only_b.measure(key).withheld == "few"
    money = {m.key: m for m in only_a.money}["income_annual"]
    assert money.total is None and money.withheld == "differencing"
    assert {m.key: m for m in everyone.money}["income_annual"].total is not None
    # Counts stay published (rounded), so their difference cannot pin B down.
    assert everyone.measure("life_satisfaction").people == 15
    assert only_a.measure("life_satisfaction").people == 10


def test_every_single_filter_is_checked_for_differencing():
    """A cohort of 10 at one source; 2 more people in it came by another source. The
    filter on source would expose those 2 by differencing: withheld."""
    service = make_service()
    ten_people(service, source="pharmacy")
    for _ in range(2):
        ons4_pair(make_referral(service, source="self"), (1, 5, 5, 5), (9, 5, 5, 5))
    both = report(by=None, service=str(service.pk))
    assert both.measure("life_satisfaction").has_statistics  # 12 people; nothing is beside
    narrowed = report(by=None, service=str(service.pk), source="pharmacy")
    assert narrowed.measure("life_satisfaction").withheld == "differencing"


def test_a_breakdown_cannot_be_subtracted_from_its_total():
    a, b, c = make_service("A"), make_service("B"), make_service("C")
    ten_people(a)
    for _ in range(3):
        ons4_pair(make_referral(b), (1, 5, 5, 5), (9, 5, 5, 5))
    ten_people(c)
    ten_people(c)
    found = report(by="service").breakdown
    rows = {row.label: row.result for row in found.rows}
    assert found.total.has_statistics  # 23 people
    assert rows["B"].withheld == "few"
    # A's complement (B and C, 23) and C's (A and B, 13) are both big, but total − A − C
    # would be B: the smaller shown group is withheld as well.
    assert rows["A"].withheld == "secondary"
    assert rows["C"].has_statistics


def test_breakdown_by_age_band_sets_aside_the_age_filter():
    service = make_service()
    ten_people(service, born=dt.date(1950, 1, 1))
    ten_people(service, born=dt.date(2000, 1, 1))
    young = age_band(dt.date(2000, 1, 1), timezone.localdate() - dt.timedelta(60))
    found = report(by="age_band", age_band=young).breakdown
    assert found.ignored_filter
    assert len(found.rows) == 2 and all(row.result.has_statistics for row in found.rows)


def test_the_number_of_queries_does_not_grow_with_the_cohort():
    service = make_service()
    ten_people(service)
    with CaptureQueriesContext(connection) as small:
        report(by="neighbourhood")
    for _ in range(3):
        ten_people(service)
    with CaptureQueriesContext(connection) as large:
        report(by="neighbourhood")
    # 15, and the cache's (evaluation.cache): its token and entry read, and on a miss
    # (the data changed in between) the two edges of the period and the entry's write.
    assert len(large) == len(small) <= 19


def test_age_band_is_age_at_referral():
    assert age_band(dt.date(2000, 3, 15), dt.date(2025, 3, 14)) == "18-24"
    assert age_band(dt.date(2000, 3, 15), dt.date(2025, 3, 15)) == "25-34"
    assert age_band(dt.date(1930, 1, 1), dt.date(2025, 3, 15)) == "85+"
    assert age_band(dt.date(2015, 1, 1), dt.date(2025, 3, 15)) == "0-17"


def test_pairing_agrees_with_the_case_pages_selector():
    """The evaluation pairs responses in the database's order; the case page pairs them in
    Python (selectors.person_changes). Same baseline, same latest, same change."""
    from linkwork.outcomes.selectors import person_changes

    service = make_service()
    tricky = make_referral(service, days_ago=100)
    respond(tricky, "ons4", "baseline", [3, 3, 3, 3], 80)
    respond(tricky, "ons4", "follow_up", [9, 9, 9, 9], 20)
    respond(tricky, "ons4", "closure", [5, 6, 7, 2], 20)  # same day, recorded later: latest
    respond(tricky, "swemwbs", "baseline", [2] * 7, 60)
    respond(tricky, "swemwbs", "follow_up", [4] * 7, 70)  # dated before the baseline
    respond(tricky, "ucla3", "baseline", [3, 3, 3], 60)
    respond(tricky, "ucla3", "follow_up", [1, 1, 1], 30)
    respond(tricky, "ucla3", "follow_up", [2, 2, 2], 10)
    period = parse_filters({}, None).period
    episode = next(e for e in evaluation.load_episodes(period, None) if e.referral_id == tricky.pk)
    expected = {
        row.measure.key: row.change for row in person_changes(tricky) if row.change is not None
    }
    assert episode.changes == expected
    assert expected["anxiety"].latest == 2 and expected["ucla3"].latest == 6
    assert "swemwbs" not in episode.changes and "swemwbs" in episode.baselines


def test_a_breakdowns_counts_of_people_get_secondary_suppression():
    a, b = make_service("A"), make_service("B")
    ten_people(a)
    for _ in range(3):
        ons4_pair(make_referral(b), (1, 5, 5, 5), (9, 5, 5, 5))
    found = report(by="service").breakdown
    rows = {row.label: row.result for row in found.rows}
    # 13 in all (published 15), B's 3 withheld: A's 10 must go too, or 15 − 10 narrows B.
    assert found.total.people == 15
    assert rows["B"].people is None and rows["A"].people is None
    assert rows["A"].withheld == "secondary" and rows["A"].improved_pct is None
