"""Casework at scale: the caseload page, the group inbox and GET /api/v1/referrals/{id}.

Generates 90,000 referrals over three years to 30 social prescribing services with 80
link workers, 300 open cases each (one link worker, alone in a service of their own, has
30, for comparison), with their people, reasons, status histories, connections to 300
groups' assets (one group is sent about 3,000 people over the years, another about 30),
follow-ups and unmet needs. Rows are written with bulk_create, not the services: this is
about reading, and it takes seconds, not hours.

Reports the median and p95 of each page (30 runs after a warm-up, signed in with a test
client) at caseload sizes 30 and 300, and the queries each makes: the counts must be
the same at both sizes. Pages not built yet are reported as such.
"""

import datetime as dt
import random
import time
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

REFERRALS = 90_000
SERVICES_STAFFING = [3, 1] + [3] * 20 + [2] * 8  # link workers in each of 30 services
OPEN_CASES, SMALL_CASELOAD = 300, 30
GROUPS, PRACTICES = 300, 40
BIG_INBOX, SMALL_INBOX = 3_000, 30  # about how many people each measured group is sent
DAYS = 3 * 365
CHUNK = 5_000
REPEAT = 30
SEED = 90_000

FIRST_NAMES = [
    "Ada",
    "Alan",
    "Beryl",
    "Colin",
    "Dawn",
    "Eric",
    "Fiona",
    "Gary",
    "Hazel",
    "Ian",
    "Joan",
    "Keith",
    "Mei",
    "Tariq",
    "Ewa",
    "Pravin",
]
FAMILY_NAMES = [
    "Alderholt",
    "Bramblewick",
    "Copperdale",
    "Dimbleford",
    "Elmsworth",
    "Fernhallow",
    "Gorsebrook",
    "Kettlewood",
    "Larchmere",
    "Mossborrow",
]
OPEN_MIX = {"received": 8, "accepted": 7, "contacted": 10, "in_progress": 75}
ENDED_MIX = {"closed": 75, "declined": 12, "returned": 13}
# Connection statuses while the referral is open, and after it has ended.
OPEN_CONNECTIONS = {
    "sent": 15,
    "waitlisted": 10,
    "accepted": 10,
    "attended_first": 10,
    "attending": 35,
    "declined": 10,
    "did_not_start": 5,
    "stopped": 5,
}
ENDED_CONNECTIONS = {
    "attending": 30,
    "completed": 30,
    "stopped": 15,
    "did_not_start": 10,
    "declined": 15,
}
REFERRAL_PATHS = {
    "received": ["received"],
    "accepted": ["received", "accepted"],
    "contacted": ["received", "accepted", "contacted"],
    "in_progress": ["received", "accepted", "contacted", "in_progress"],
    "closed": ["received", "accepted", "contacted", "in_progress", "closed"],
    "declined": ["received", "declined"],
    "returned": ["received", "accepted", "returned"],
}
CONNECTION_PATHS = {
    "sent": ["proposed", "sent"],
    "waitlisted": ["proposed", "sent", "waitlisted"],
    "declined": ["proposed", "sent", "declined"],
    "accepted": ["proposed", "sent", "accepted"],
    "attended_first": ["proposed", "sent", "accepted", "attended_first"],
    "attending": ["proposed", "sent", "accepted", "attended_first", "attending"],
    "completed": ["proposed", "sent", "accepted", "attended_first", "attending", "completed"],
    "stopped": ["proposed", "sent", "accepted", "attended_first", "stopped"],
    "did_not_start": ["proposed", "sent", "accepted", "did_not_start"],
}
REASON = "Could not reach them after three tries."
SUMMARY = "Going to two groups regularly; the money advice sorted out the debts."
# Days from receipt to each step.
STEP_DAYS = {
    "accepted": 2,
    "contacted": 7,
    "in_progress": 14,
    "closed": 90,
    "declined": 3,
    "returned": 9,
}


def main() -> None:
    django_with_fresh_database()
    from django.db import connection

    test_environment()
    started = time.perf_counter()
    world = build(random.Random(SEED))  # noqa: S311 (made-up data)
    built = time.perf_counter() - started
    print(
        f"Casework benchmark on {connection.vendor}: {world.referrals:,} referrals, "
        f"{world.connections:,} connections, {world.link_workers} link workers in "
        f"{len(SERVICES_STAFFING)} services (generated in {built:.0f} s)"
    )
    measure(world)


# --- Generating ----------------------------------------------------------------------


def build(rng: random.Random) -> SimpleNamespace:
    from django.db import transaction
    from django.utils import timezone

    from linkwork.directory.models import TaxonomyTerm
    from linkwork.directory.services import load_default_taxonomy
    from linkwork.referrals.models import Connection, Referral

    now = timezone.now()
    load_default_taxonomy(by=None)
    needs = list(TaxonomyTerm.objects.filter(vocabulary="need").values_list("pk", flat=True))
    orgs = _organisations_and_people()
    plan = _referral_plan(rng, orgs)
    for start in range(0, len(plan), CHUNK):
        with transaction.atomic(), explicit_timestamps():
            _write_chunk(plan[start : start + CHUNK], rng, orgs, needs, now)
    return SimpleNamespace(
        referrals=Referral.objects.count(),
        connections=Connection.objects.count(),
        link_workers=len(orgs.link_workers),
        big=orgs.link_workers[0],
        small=orgs.small_link_worker,
        big_group=orgs.big_group_user,
        small_group=orgs.small_group_user,
    )


def _organisations_and_people() -> SimpleNamespace:
    from linkwork.accounts.models import Membership, User
    from linkwork.directory.models import Asset, CapacityStatus, Organisation

    services = Organisation.objects.bulk_create(
        Organisation(name=f"Bench Community Links {i + 1}", kind="sp_service")
        for i in range(len(SERVICES_STAFFING))
    )
    practices = Organisation.objects.bulk_create(
        Organisation(name=f"Bench Surgery {i + 1}", kind="gp_practice") for i in range(PRACTICES)
    )
    groups = Organisation.objects.bulk_create(
        Organisation(name=f"Bench Group {i + 1}", kind="vcfse") for i in range(GROUPS)
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
    users = []
    memberships = []
    link_workers_of = []
    for i, staff in enumerate(SERVICES_STAFFING):
        team = []
        for j in range(staff):
            user = User(email=f"lw{i + 1}-{j + 1}@bench.invalid", full_name=f"Link worker {i}-{j}")
            team.append(user)
            users.append(user)
            memberships.append(("link_worker", user, services[i]))
        link_workers_of.append(team)
    referrers = []
    for i, practice in enumerate(practices):
        user = User(email=f"gp{i + 1}@bench.invalid", full_name=f"Referrer {i + 1}")
        referrers.append(user)
        users.append(user)
        memberships.append(("referrer", user, practice))
    group_users = []
    for i, group in enumerate(groups[:2]):
        user = User(email=f"group{i + 1}@bench.invalid", full_name=f"Group member {i + 1}")
        group_users.append(user)
        users.append(user)
        memberships.append(("group", user, group))
    for user in users:
        user.set_unusable_password()
    User.objects.bulk_create(users)
    Membership.objects.bulk_create(
        Membership(user=user, organisation=org, role=role) for role, user, org in memberships
    )
    return SimpleNamespace(
        services=services,
        practices=practices,
        referrers=referrers,
        assets=assets,
        link_workers_of=link_workers_of,
        link_workers=[lw for team in link_workers_of for lw in team],
        small_link_worker=link_workers_of[1][0],
        big_group_user=group_users[0],
        small_group_user=group_users[1],
    )


def _referral_plan(rng: random.Random, orgs) -> list[tuple[int, object, str]]:
    """(service index, link worker, status) for every referral: each link worker's open
    cases, then the ended ones of three years shared among them."""
    plan = []
    for i, team in enumerate(orgs.link_workers_of):
        for link_worker in team:
            cases = SMALL_CASELOAD if link_worker is orgs.small_link_worker else OPEN_CASES
            statuses = rng.choices(list(OPEN_MIX), list(OPEN_MIX.values()), k=cases)
            plan.extend((i, link_worker, status) for status in statuses)
    workers = [(i, lw) for i, team in enumerate(orgs.link_workers_of) for lw in team]
    for _ in range(REFERRALS - len(plan)):
        i, link_worker = rng.choice(workers)
        plan.append((i, link_worker, rng.choices(list(ENDED_MIX), list(ENDED_MIX.values()))[0]))
    rng.shuffle(plan)
    return plan


def _write_chunk(plan, rng: random.Random, orgs, needs: list[int], now: dt.datetime) -> None:
    from linkwork.referrals import models as m

    people = m.Person.objects.bulk_create(_person(rng, now) for _ in plan)
    referrals = [
        _referral(rng, person, orgs, i, link_worker, status, now)
        for person, (i, link_worker, status) in zip(people, plan, strict=True)
    ]
    m.Referral.objects.bulk_create(referrals)
    through = m.Referral.reasons.through
    reasons, events, follow_ups, unmet = [], [], [], []
    connections: list = []
    for referral in referrals:
        for term in rng.sample(needs, rng.choice([1, 1, 2, 2, 3])):
            reasons.append(through(referral_id=referral.pk, taxonomyterm_id=term))
        path = REFERRAL_PATHS[referral.status]
        events.extend(
            m.ReferralEvent(
                referral=referral,
                from_status=before,
                to_status=after,
                reason=referral.reason if after == referral.status else "",
                by=referral.assigned_to if before else referral.referrer,
                at=_step(referral, after, now),
            )
            for before, after in zip(["", *path], path, strict=False)
        )
        if t.ACCEPTED in path:
            follow_ups.extend(_reviews(rng, referral, now))
        if referral.status in t.CLOSING:
            connections.extend(_connections(rng, referral, orgs, now))
            if rng.random() < 0.1:
                unmet.append(
                    m.UnmetNeed(
                        referral=referral,
                        category_id=rng.choice(needs),
                        reason=rng.choice(["none_exists", "full", "cost", "transport"]),
                        recorded_by=referral.assigned_to,
                        recorded_at=_step(referral, "in_progress", now),
                    )
                )
    through.objects.bulk_create(reasons)
    m.ReferralEvent.objects.bulk_create(events, batch_size=CHUNK)
    m.Connection.objects.bulk_create(connections)
    m.ConnectionEvent.objects.bulk_create(
        (
            m.ConnectionEvent(
                connection=c, from_status=before, to_status=after, by=c.created_by, at=c.sent_at
            )
            for c in connections
            for before, after in zip(
                ["", *CONNECTION_PATHS[c.status]], CONNECTION_PATHS[c.status], strict=False
            )
        ),
        batch_size=CHUNK,
    )
    follow_ups.extend(
        m.FollowUp(
            referral_id=c.referral_id,
            connection=c,
            kind="connection_review",
            due_on=(c.responded_at + dt.timedelta(weeks=2)).date(),
            completed_at=c.responded_at + dt.timedelta(weeks=2) if rng.random() < 0.8 else None,
            outcome="Going well.",
        )
        for c in connections
        if t.ACCEPTED in CONNECTION_PATHS[c.status]
    )
    m.FollowUp.objects.bulk_create(follow_ups, batch_size=CHUNK)
    m.UnmetNeed.objects.bulk_create(unmet)


def _person(rng: random.Random, now: dt.datetime):
    from linkwork.referrals.models import Person

    return Person(
        given_name=rng.choice(FIRST_NAMES),
        family_name=rng.choice(FAMILY_NAMES),
        birth_date=dt.date(1935, 1, 1) + dt.timedelta(days=rng.randrange(72 * 365)),
        postcode="BL1 1AP",
        phone=f"07700 900{rng.randrange(1000):03d}",
        created_at=now,
    )


def _referral(rng, person, orgs, service_index, link_worker, status, now):
    from linkwork.referrals.models import Referral

    ended = status in ENDED_MIX
    days_ago = (
        rng.uniform(100, DAYS)
        if ended
        else {"received": 14, "accepted": 30, "contacted": 60, "in_progress": 180}[status]
        * rng.random()
    )
    received_at = now - dt.timedelta(days=days_ago)
    practice = rng.randrange(PRACTICES) if rng.random() < 0.8 else None
    referral = Referral(
        person=person,
        service=orgs.services[service_index],
        source="gp" if practice is not None else "self",
        referrer=orgs.referrers[practice] if practice is not None else None,
        referrer_organisation=orgs.practices[practice] if practice is not None else None,
        status=status,
        assigned_to=link_worker,
        consent_to_refer=True,
        consent_share_with_groups=rng.random() < 0.85,
        consent_recorded_at=received_at,
        received_at=received_at,
        first_contact_due=(received_at + dt.timedelta(days=7)).date(),
        reason=REASON if status in t.TURNED_AWAY else "",
        closure_summary=SUMMARY if status == t.CLOSED else "",
    )
    if t.CONTACTED in REFERRAL_PATHS[status]:
        referral.first_contacted_at = _step(referral, t.CONTACTED, now)
    if status == t.CLOSED:
        referral.closed_at = _step(referral, t.CLOSED, now)
    return referral


def _step(referral, status: str, now: dt.datetime) -> dt.datetime:
    """When a referral reached `status` (never later than now)."""
    at = referral.received_at + dt.timedelta(days=STEP_DAYS.get(status, 0))
    return min(at, now)


def _reviews(rng: random.Random, referral, now: dt.datetime) -> list:
    from linkwork.referrals.models import FollowUp

    accepted = _step(referral, t.ACCEPTED, now)
    reviews = []
    for kind, weeks in (("six_weeks", 6), ("twelve_weeks", 12)):
        due = accepted + dt.timedelta(weeks=weeks)
        done = referral.status in ENDED_MIX or (due < now and rng.random() < 0.8)
        reviews.append(
            FollowUp(
                referral=referral,
                kind=kind,
                due_on=due.date(),
                completed_at=min(due, now) if done else None,
                outcome="Reviewed by phone." if done else "",
            )
        )
    return reviews


def _connections(rng: random.Random, referral, orgs, now: dt.datetime) -> list:
    from linkwork.referrals.models import Connection

    mix = ENDED_CONNECTIONS if referral.status == t.CLOSED else OPEN_CONNECTIONS
    sent_at = _step(referral, t.IN_PROGRESS, now)
    made = []
    for _ in range(rng.choice([1, 1, 2, 2, 3] if referral.status == t.IN_PROGRESS else [0, 1, 2])):
        roll = rng.random()
        # About BIG_INBOX and SMALL_INBOX of the ~100,000 connections go to the two
        # measured groups; the rest anywhere.
        if roll < BIG_INBOX / 100_000:
            asset = orgs.assets[0]
        elif roll < (BIG_INBOX + SMALL_INBOX) / 100_000:
            asset = orgs.assets[1]
        else:
            asset = rng.choice(orgs.assets[2:])
        status = rng.choices(list(mix), list(mix.values()))[0]
        responded = status != t.SENT
        made.append(
            Connection(
                referral=referral,
                asset=asset,
                status=status,
                shared_fields=["first_name", "contact_preference"]
                if referral.consent_share_with_groups
                else [],
                sent_at=sent_at,
                response_due=(sent_at + dt.timedelta(days=14)).date(),
                responded_at=min(sent_at + dt.timedelta(days=5), now) if responded else None,
                created_by=referral.assigned_to,
                created_at=sent_at,
                updated_at=sent_at,
            )
        )
    return made


# --- Measuring -----------------------------------------------------------------------


def measure(world: SimpleNamespace) -> None:
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from linkwork.referrals.models import Connection, Referral

    def client_for(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def sample_referral(link_worker) -> int:
        return (
            Referral.objects.filter(assigned_to=link_worker, status=t.IN_PROGRESS)
            .annotate(n=Count("connections"))
            .order_by("-n", "pk")
            .values_list("pk", flat=True)
            .first()
        )

    def url(name: str, query: str = "") -> str | None:
        try:
            return reverse(name) + query
        except NoReverseMatch:
            return None

    inbox_size = {
        user: Connection.objects.filter(asset__organisation__memberships__user=user)
        .exclude(status=t.PROPOSED)
        .count()
        for user in (world.small_group, world.big_group)
    }
    sizes = {
        "small": (SMALL_CASELOAD, world.small, world.small_group),
        "big": (OPEN_CASES, world.big, world.big_group),
    }
    pages = [
        ("caseload page (the service's)", url("caseload"), "link worker"),
        ("caseload page, mine only", url("caseload", "?mine=on"), "link worker"),
        ("group inbox", url("group-inbox"), "group"),
        ("GET /api/v1/referrals/{id}", "api", "link worker"),
    ]
    counts: dict[str, dict[str, tuple[int, float]]] = {}
    for name, path, who in pages:
        if path is None:
            print(f"  {name:<58} not available yet")
            continue
        for size, (cases, link_worker, group_user) in sizes.items():
            user = group_user if who == "group" else link_worker
            target = f"/api/v1/referrals/{sample_referral(link_worker)}" if path == "api" else path
            client = client_for(user)
            response = client.get(target)
            assert response.status_code == 200, (target, response.status_code)
            scale = f"{inbox_size[user]:,} in inbox" if who == "group" else f"{cases} open cases"
            figures = summary(
                f"{name} ({scale})", timings(lambda c=client, p=target: c.get(p), REPEAT)
            )
            if size == "big" and name in ("group inbox", "caseload page (the service's)"):
                record(
                    f"{name} p95 ({scale})",
                    f"{figures['p95'] * 1000:.0f} ms (median {figures['median'] * 1000:.0f}, "
                    f"{figures['p95_label']})",
                    figures["p95"] <= 0.150,
                    item="2",
                    engine=connection.vendor,
                    goal="≤ 150 ms",
                )
            with CaptureQueriesContext(connection) as queries:
                client.get(target)
            sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
            counts.setdefault(name, {})[size] = (len(queries), sql_ms)
    print(
        f"  queries per page (and their SQL time, one run), at caseload sizes "
        f"{SMALL_CASELOAD} and {OPEN_CASES}:"
    )
    for name, by_size in counts.items():
        (small, small_ms), (big, big_ms) = by_size["small"], by_size["big"]
        verdict = "same" if small == big else "GROWS"
        print(
            f"    {name:<34} {small:3} ({small_ms:5.1f} ms) {big:5} ({big_ms:5.1f} ms)   {verdict}"
        )


if __name__ == "__main__":
    main()
