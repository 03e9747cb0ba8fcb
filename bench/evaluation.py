"""The evaluation room at scale: /evaluation/, its CSV, the printable report, `evaluate`
and the research export.

Generates 30,000 referrals over two years to 20 social prescribing services (one link
worker each), with their people (age, sex, an LSOA with its IMD decile in one of 20
neighbourhoods; about one in ten referred twice), reasons and connections to 300 groups'
assets. About half the referrals have a baseline SWEMWBS, ONS4 and UCLA-3 and of those
about 60% a follow-up or a closure questionnaire (some both), about 69,000 responses in
all, 3% of them incomplete; one referral in ten has other outcomes (money, GP and A&E
contacts). Answers are made up and scored by `linkwork.outcomes.scoring`, so the stored
raw, score, band and measures are what recording them would store. Rows are written with
bulk_create, not the services: this is about reading.

Each page and `evaluate` is timed twice: first after a change (a response saved just
before each run, so the cached tallies are out of date and the statement runs), then
cached (the same request again). Reports the median and p95 of each page (signed in
with a test client: a commissioner, who sees every service, and one service's link
worker), of `evaluate` and
`load_episodes` called directly, and of the research export (30,000 rows), with the
queries each makes. It measures first at a tenth of the size (3,000 referrals), then
grows the same world to full size and measures again: a page's query count must not
grow with the data (the export's grows by design, a handful per 2,000 referrals).
EVALUATION_BENCH_REFERRALS sets the full size (e.g. 2000 while developing).
"""

import datetime as dt
import os
import random
import time
from decimal import Decimal
from types import SimpleNamespace

from bench._setup import (
    django_with_fresh_database,
    explicit_timestamps,
    summary,
    test_environment,
    timings,
)
from bench.targets import record
from linkwork.referrals import transitions as t

REFERRALS = int(os.environ.get("EVALUATION_BENCH_REFERRALS", "30000"))
SMALL_REFERRALS = min(3_000, REFERRALS // 10)
SERVICES, GROUPS = 20, 300
NEIGHBOURHOODS, LSOAS_EACH = 20, 10
DAYS = 2 * 365
CHUNK = 5_000
REPEAT, EXPORT_REPEAT = 8, 3
SEED = 6
# The pages issue 19 names (goal < 0.5 s each at 30,000 referrals).
TARGETED = ("page, two years, no filter", "figures CSV, two years", "report, two years")

BASELINE_SHARE = 0.57  # of referrals that reached a conversation (about 46% of all)
LATER_SHARE = 0.65  # of those with a baseline, once six weeks have passed (58% in all)
BOTH_SHARE = 0.15  # of closed referrals with a closure questionnaire, a follow-up too
INCOMPLETE_SHARE = 0.03
OTHER_OUTCOMES_SHARE = 0.22  # of those with a baseline (about 10% of all referrals)
REPEAT_PERSON_SHARE = 0.1
INSTRUMENTS = ("swemwbs", "ons4", "ucla3")
SOURCES = {
    "gp": 55,
    "nurse": 8,
    "pharmacy": 5,
    "mental_health": 6,
    "social_care": 6,
    "housing": 4,
    "vcfse": 6,
    "self": 8,
    "other": 2,
}
SEXES = {"female": 55, "male": 43, "": 2}
ENDED = {"closed": 80, "declined": 10, "returned": 10}
RECENT = {"received": 5, "accepted": 10, "contacted": 15, "in_progress": 70}
REACHED_CONVERSATION = ("contacted", "in_progress", "closed")
ATTENDED = {
    "attending": 35,
    "completed": 20,
    "stopped": 10,
    "attended_first": 5,
    "declined": 15,
    "did_not_start": 10,
    "sent": 5,
}
# How each person fares by their later questionnaire, in item steps: most improve.
LIFTS = (1.2, 1.0, 0.8, 0.7, 0.6, 0.5, 0.4, 0.2, 0.0, -0.3)
BASELINE_CENTRE = {"swemwbs": 2.6, "ucla3": 2.2}
ONS4_CENTRE = {"life_satisfaction": 4.6, "worthwhile": 5.2, "happiness": 4.8, "anxiety": 5.6}
FIRST_NAMES = ["Ada", "Alan", "Beryl", "Colin", "Dawn", "Eric", "Fiona", "Hazel", "Mei", "Tariq"]
FAMILY_NAMES = ["Alderholt", "Bramblewick", "Copperdale", "Elmsworth", "Larchmere"]


def main() -> None:
    django_with_fresh_database()
    from django.db import connection

    test_environment()
    rng = random.Random(SEED)  # noqa: S311 (made-up data)
    world = _world()
    print(f"Evaluation benchmark on {connection.vendor}")
    counts = {}
    for size in (SMALL_REFERRALS, REFERRALS):
        started = time.perf_counter()
        grow(world, rng, to=size)
        print(f"{_describe()} (generated in {time.perf_counter() - started:.0f} s)")
        counts[size] = measure(world)
    _compare(counts)


# --- Generating ----------------------------------------------------------------------


def _world() -> SimpleNamespace:
    """Areas, services, groups and their assets, and the people who sign in."""
    from linkwork.accounts.models import Membership, User
    from linkwork.directory.models import Asset, CapacityStatus, Organisation, TaxonomyTerm
    from linkwork.directory.services import load_default_taxonomy
    from linkwork.places.models import Area, NeighbourhoodMembership

    load_default_taxonomy(by=None)
    needs = list(TaxonomyTerm.objects.filter(vocabulary="need").values_list("pk", flat=True))
    hoods = Area.objects.bulk_create(
        Area(code=f"NH{i + 1:04d}", name=f"Bench neighbourhood {i + 1}", area_type="neighbourhood")
        for i in range(NEIGHBOURHOODS)
    )
    lsoas = Area.objects.bulk_create(
        Area(
            code=f"E0{i + 1:07d}",
            name=f"Bench {i + 1:03d}A",
            area_type="lsoa",
            imd_decile=1 + (i * 7) % 10,
            vintage="2021",
        )
        for i in range(NEIGHBOURHOODS * LSOAS_EACH)
    )
    NeighbourhoodMembership.objects.bulk_create(
        NeighbourhoodMembership(neighbourhood=hoods[i // LSOAS_EACH], lsoa=lsoa)
        for i, lsoa in enumerate(lsoas)
    )
    services = Organisation.objects.bulk_create(
        Organisation(name=f"Bench Community Links {i + 1:02d}", kind="sp_service")
        for i in range(SERVICES)
    )
    groups = Organisation.objects.bulk_create(
        Organisation(name=f"Bench Group {i + 1:03d}", kind="vcfse") for i in range(GROUPS)
    )
    assets = Asset.objects.bulk_create(
        Asset(
            organisation=group,
            name=f"{group.name} weekly session",
            description="A weekly session for anyone who would like to come along.",
            publication="published",
            capacity_status=CapacityStatus.OPEN,
        )
        for group in groups
    )
    through = Asset.terms.through
    through.objects.bulk_create(
        through(asset_id=asset.pk, taxonomyterm_id=term)
        for n, asset in enumerate(assets)
        for term in {needs[n % len(needs)], needs[(n * 7) % len(needs)]}
    )
    icb = Organisation.objects.create(name="Bench ICB", kind="icb")
    infrastructure = Organisation.objects.create(name="Bench CVS", kind="infrastructure")
    link_workers = [
        User(email=f"lw{i + 1}@bench.invalid", full_name=f"Link worker {i + 1}")
        for i in range(SERVICES)
    ]
    commissioner = User(email="commissioner@bench.invalid", full_name="Commissioner")
    admin = User(
        email="admin@bench.invalid", full_name="Administrator", is_staff=True, is_superuser=True
    )
    users = [*link_workers, commissioner, admin]
    for user in users:
        user.set_unusable_password()
    User.objects.bulk_create(users)
    Membership.objects.bulk_create(
        [
            Membership(user=lw, organisation=s, role="link_worker")
            for lw, s in zip(link_workers, services, strict=True)
        ]
        + [
            Membership(user=commissioner, organisation=icb, role="commissioner"),
            Membership(user=admin, organisation=infrastructure, role="admin"),
        ]
    )
    return SimpleNamespace(
        needs=needs,
        lsoas=lsoas,
        services=services,
        assets=assets,
        link_workers=link_workers,
        commissioner=commissioner,
        admin=admin,
        people=[],
        made=0,
        now=_now(),
    )


def _now() -> dt.datetime:
    from django.utils import timezone

    return timezone.now()


def _describe() -> str:
    from linkwork.outcomes.models import OtherOutcomes, Response
    from linkwork.referrals.models import Connection, Person, Referral

    responses = Response.objects.count()
    incomplete = Response.objects.filter(complete=False).count()
    baselined = (
        Response.objects.filter(timepoint="baseline", complete=True)
        .values("referral_id")
        .distinct()
        .count()
    )
    later = (
        Response.objects.exclude(timepoint="baseline")
        .filter(complete=True)
        .values("referral_id")
        .distinct()
        .count()
    )
    return (
        f"{Referral.objects.count():,} referrals of {Person.objects.count():,} people, "
        f"{Connection.objects.count():,} connections; {responses:,} responses "
        f"({incomplete:,} incomplete), {baselined:,} referrals with a baseline, {later:,} "
        f"with a later questionnaire; other outcomes on {OtherOutcomes.objects.count():,}"
    )


def grow(world: SimpleNamespace, rng: random.Random, *, to: int) -> None:
    """Add referrals (with everything on them) until there are `to`."""
    from django.db import connection, transaction

    while world.made < to:
        size = min(CHUNK, to - world.made)
        with transaction.atomic(), explicit_timestamps():
            _write_chunk(world, rng, size)
        world.made += size
    if connection.vendor == "postgresql":
        # As autovacuum would in time: without statistics the planner takes a service's
        # referrals for one row and loops over connections (0.4 s for a link worker);
        # and the triggers rewrite a referral's QuestionnaireFact rows at each of its
        # responses, leaving ~5 dead rows a live one until vacuumed (page 0.67 -> 0.50 s).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def _write_chunk(world: SimpleNamespace, rng: random.Random, size: int) -> None:
    from linkwork.outcomes.models import OtherOutcomes, Response
    from linkwork.referrals.models import Connection, Person, Referral

    made_before = len(world.people)
    fresh = [_person(world, rng) for _ in range(size)]
    Person.objects.bulk_create(world.people[made_before:])
    referrals = [_referral(world, rng, person) for person in fresh]
    Referral.objects.bulk_create(referrals)
    through = Referral.reasons.through
    through.objects.bulk_create(
        through(referral_id=referral.pk, taxonomyterm_id=term)
        for referral in referrals
        for term in rng.sample(world.needs, rng.choice([1, 1, 2, 2, 3]))
    )
    connections, responses, others = [], [], []
    for referral in referrals:
        if referral.status in t.CLOSING:
            connections.extend(_connections(world, rng, referral))
        if referral.status in REACHED_CONVERSATION and rng.random() < BASELINE_SHARE:
            responses.extend(_questionnaires(world, rng, referral))
            if rng.random() < OTHER_OUTCOMES_SHARE:
                others.append(_other_outcomes(rng, referral))
    Connection.objects.bulk_create(connections)
    Response.objects.bulk_create(responses, batch_size=CHUNK)
    OtherOutcomes.objects.bulk_create(others)


def _person(world: SimpleNamespace, rng: random.Random):
    """A new person, or (sometimes) someone referred before."""
    from linkwork.referrals.models import Person

    if world.people and rng.random() < REPEAT_PERSON_SHARE:
        return rng.choice(world.people)
    person = Person(
        given_name=rng.choice(FIRST_NAMES),
        family_name=rng.choice(FAMILY_NAMES),
        birth_date=dt.date(1935, 1, 1) + dt.timedelta(days=rng.randrange(70 * 365)),
        postcode="BL1 1AP",
        area=rng.choice(world.lsoas) if rng.random() < 0.95 else None,
        sex=_pick(rng, SEXES),
        created_at=world.now,
    )
    world.people.append(person)
    return person


def _referral(world: SimpleNamespace, rng: random.Random, person):
    from linkwork.referrals.models import Referral

    days_ago = rng.uniform(0, DAYS)
    status = _pick(rng, ENDED if days_ago > 120 else RECENT)
    received_at = world.now - dt.timedelta(days=days_ago)
    service = rng.randrange(SERVICES)
    referral = Referral(
        person=person,
        service=world.services[service],
        source=_pick(rng, SOURCES),
        status=status,
        assigned_to=world.link_workers[service],
        consent_to_refer=True,
        consent_share_with_groups=True,
        consent_recorded_at=received_at,
        received_at=received_at,
        first_contact_due=(received_at + dt.timedelta(days=7)).date(),
    )
    if status in REACHED_CONVERSATION:
        referral.first_contacted_at = received_at + dt.timedelta(days=rng.randint(1, 10))
    if status == "closed":
        referral.closed_at = received_at + dt.timedelta(days=rng.randint(60, 120))
    return referral


def _connections(world: SimpleNamespace, rng: random.Random, referral) -> list:
    from linkwork.referrals.models import Connection

    sent_at = referral.first_contacted_at + dt.timedelta(days=7)
    return [
        Connection(
            referral=referral,
            asset=rng.choice(world.assets),
            status=_pick(rng, ATTENDED),
            shared_fields=["first_name", "contact_preference"],
            sent_at=sent_at,
            response_due=(sent_at + dt.timedelta(days=14)).date(),
            responded_at=sent_at + dt.timedelta(days=5),
            created_by=referral.assigned_to,
            created_at=sent_at,
            updated_at=sent_at,
        )
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3]))
    ]


def _answer(rng: random.Random, centre: float, low: int, high: int, spread: float = 0.9) -> int:
    return max(low, min(high, round(rng.gauss(centre, spread))))


def _answers(rng: random.Random, code: str, lift: float) -> list[int | None]:
    """Made-up answers `lift` item steps better than a baseline's; a few left unanswered."""
    from linkwork.outcomes.instruments import instrument

    found = instrument(code)
    low, high = found.lowest, found.highest
    if code == "ons4":
        answers: list[int | None] = [
            _answer(rng, centre + (-lift if key == "anxiety" else lift) * 2.2, low, high, 1.3)
            for key, centre in ONS4_CENTRE.items()
        ]
    elif code == "ucla3":
        answers = [
            _answer(rng, BASELINE_CENTRE[code] - lift * 0.8, low, high, 0.6) for _ in found.items
        ]
    else:
        answers = [_answer(rng, BASELINE_CENTRE[code] + lift, low, high) for _ in found.items]
    if rng.random() < INCOMPLETE_SHARE:
        answers[rng.randrange(len(answers))] = None
    return answers


def _questionnaires(world: SimpleNamespace, rng: random.Random, referral) -> list:
    """Baselines, and for most people after six weeks a follow-up or a closure (or both)."""
    today = world.now.date()
    baseline = min(
        today, (referral.first_contacted_at + dt.timedelta(days=rng.randint(0, 7))).date()
    )
    later: list[tuple[str, dt.date]] = []
    if (today - baseline).days >= 42 and rng.random() < LATER_SHARE:
        if referral.status == "closed":
            closure = max(baseline, referral.closed_at.date())
            later.append(("closure", min(today, closure)))
            if rng.random() < BOTH_SHARE:
                later.insert(0, ("follow_up", baseline + dt.timedelta(weeks=6)))
        else:
            weeks = rng.choice((6, 8, 12))
            later.append(("follow_up", min(today, baseline + dt.timedelta(weeks=weeks))))
    lift = rng.choice(LIFTS)
    made = []
    for code in INSTRUMENTS:
        made.append(_response(referral, code, "baseline", _answers(rng, code, 0), baseline))
        for timepoint, on in later:
            answers = _answers(rng, code, lift + rng.gauss(0, 0.15))
            made.append(_response(referral, code, timepoint, answers, on))
    return made


def _response(referral, code: str, timepoint: str, answers: list, on: dt.date):
    """A response stored as recording it would store it: scored by the project's scoring."""
    from linkwork.outcomes.instruments import instrument
    from linkwork.outcomes.models import Response
    from linkwork.outcomes.scoring import score

    scored = score(instrument(code), answers, allow_missing=True)
    return Response(
        referral=referral,
        instrument=code,
        timepoint=timepoint,
        **scored.as_stored(),
        completed_on=on,
        recorded_by=referral.assigned_to,
    )


def _other_outcomes(rng: random.Random, referral):
    from linkwork.outcomes.models import OtherOutcomes

    other = OtherOutcomes(referral=referral, updated_by=referral.assigned_to)
    other.gp_contacts_baseline = rng.choice((1, 2, 2, 3, 4, 5, 6, 8))
    other.ae_contacts_baseline = rng.choice((0, 0, 0, 1, 1, 2))
    if rng.random() < 0.6:
        other.gp_contacts_follow_up = max(0, other.gp_contacts_baseline - rng.choice((0, 1, 1, 2)))
        other.ae_contacts_follow_up = max(0, other.ae_contacts_baseline - rng.choice((0, 0, 1)))
    if rng.random() < 0.4:
        other.income_annual = Decimal(rng.randrange(500, 6000, 50))
        other.debt_managed = Decimal(rng.randrange(0, 9000, 100)) if rng.random() < 0.5 else None
    other.group_joined = rng.random() < 0.5
    other.volunteering_started = rng.random() < 0.15
    return other


# --- Measuring -----------------------------------------------------------------------


def measure(world: SimpleNamespace) -> dict[str, int]:
    """Time each page and selector; returns the queries each made (one run)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from linkwork.outcomes import evaluation
    from linkwork.outcomes.models import Response

    def client_for(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    commissioner, admin = client_for(world.commissioner), client_for(world.admin)
    link_worker = client_for(world.link_workers[0])
    two_years = "?period=last-24-months"
    service = f"{two_years}&service={world.services[0].pk}"
    pages = [
        ("page, default (12 months, by service)", commissioner, reverse("evaluation")),
        ("page, two years, no filter", commissioner, reverse("evaluation") + two_years),
        ("page, two years, one service", commissioner, reverse("evaluation") + service),
        (
            "page, two years, by reason, anxiety",
            commissioner,
            reverse("evaluation") + two_years + "&by=reason&measure=anxiety",
        ),
        ("page, two years, link worker's own", link_worker, reverse("evaluation") + two_years),
        ("figures CSV, two years", commissioner, reverse("evaluation-csv") + two_years),
        ("report, two years", commissioner, reverse("evaluation-report") + two_years),
    ]
    # A response saved (as recording one saves it): its triggers change the data's
    # version, so the next request computes afresh instead of reading the cache.
    recorded = Response.objects.filter(complete=True).order_by("pk").first()

    def after_a_change(action) -> list[float]:
        """`timings` of `action`, each run just after a response is saved."""

        def run() -> float:
            recorded.save()
            started = time.perf_counter()
            action()
            return time.perf_counter() - started

        run()
        return [run() for _ in range(REPEAT)]

    counts: dict[str, int] = {}
    for name, client, path in pages:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        get = lambda c=client, p=path: c.get(p)  # noqa: E731
        cold = summary(f"{name} [first after a change]", after_a_change(get))
        figures = summary(f"{name} [cached]", timings(get, REPEAT))
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        counts[name] = len(queries)
        if name in TARGETED and world.made >= REFERRALS:
            record(
                f"evaluation {name} ({world.made:,} referrals)",
                f"cached {figures['p95']:.2f} s ({figures['p95_label']}; "
                f"median {figures['median']:.2f} s); first after a change "
                f"{cold['p95']:.2f} s ({cold['p95_label']}; median {cold['median']:.2f} s)",
                figures["p95"] < 0.5,
                item="4",
                engine=connection.vendor,
                goal="< 0.5 s (cached)",
            )

    filters = evaluation.parse_filters({"period": "last-24-months"}, None)
    selectors = [
        (
            "evaluate(), two years, all services",
            lambda: evaluation.evaluate(filters, None, by="service", measure="swemwbs"),
        ),
        ("load_episodes(), two years", lambda: evaluation.load_episodes(filters.period, None)),
    ]
    for name, action in selectors:
        if name.startswith("evaluate"):
            summary(f"{name} [first after a change]", after_a_change(action))
            name = f"{name} [cached]"
        summary(name, timings(action, REPEAT))
        with CaptureQueriesContext(connection) as queries:
            action()
        counts[name] = len(queries)

    export = reverse("research-export-csv")

    def download() -> int:
        response = admin.get(export)
        assert response.status_code == 200
        return sum(1 for _ in response.streaming_content) - 1  # rows, less the header

    rows = download()
    summary(f"research export ({rows:,} rows)", timings(download, EXPORT_REPEAT))
    with CaptureQueriesContext(connection) as queries:
        download()
    counts["research export"] = len(queries)
    report = evaluation.evaluate(filters, None, by="service", measure="swemwbs")
    swemwbs = report.measure("swemwbs")
    print(
        f"  (two years: {report.referred} people referred, {swemwbs.people} paired on "
        f"SWEMWBS, mean change {swemwbs.mean_change} [{swemwbs.ci_low}, {swemwbs.ci_high}])"
    )
    return counts


def _compare(counts: dict[int, dict[str, int]]) -> None:
    from linkwork.outcomes import research_export

    small, big = counts[SMALL_REFERRALS], counts[REFERRALS]
    print(f"  queries (one run) at {SMALL_REFERRALS:,} and {REFERRALS:,} referrals:")
    for name, few in small.items():
        many = big[name]
        verdict = "same" if few == many else "GROWS"
        if name == "research export" and few != many:
            verdict += f" (by design: a few a batch of {research_export.CHUNK:,} referrals)"
        print(f"    {name:<40} {few:5} {many:5}   {verdict}")


if __name__ == "__main__":
    main()
