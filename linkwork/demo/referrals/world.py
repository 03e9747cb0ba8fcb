"""What the demo stories share: the actors, the listings, the queue and the clock."""

import datetime as dt
import heapq
import itertools
import math
import random
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from linkwork.accounts.models import Membership, User
from linkwork.accounts.roles import Role
from linkwork.directory.models import Asset, CapacityStatus, Organisation, Publication
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Connection

KEY_PREFIX = "demo-"
SERVICE = "Tonge Moor Community Links"
PRACTICE = "Haulgh Brook Surgery"
REFERRER = "referrer@example.org"
LINK_WORKER = "linkworker@example.org"
REACH_KM = 3.5  # how far a link worker looks for a group near someone
TAKING = CapacityStatus.TAKING_PEOPLE
LONDON = ZoneInfo(settings.TIME_ZONE)

Story = Generator[dt.datetime, None, None]


@dataclass
class Case:
    """One referral's story: who, why, and where it has got to by today."""

    n: int
    rng: random.Random
    person: dict
    sex: str
    point: tuple[float, float]
    reasons: list[str]
    self_referral: bool
    outcome: str
    at_triage: bool  # declined or returned before acceptance
    received_at: dt.datetime


@dataclass
class Listing:
    asset: Asset
    needs: frozenset[str]
    point: tuple[float, float]
    first_session: str


@contextmanager
def clock(at: dt.datetime) -> Iterator[None]:
    """The services' "now" (and so every timestamp and due date they write) is `at`."""
    real_now = timezone.now
    timezone.now = lambda: at
    try:
        yield
    finally:
        timezone.now = real_now


class World:
    """What every story shares: the actors, the listings, and the stories still to run,
    ordered by when their next step happens."""

    def __init__(self, *, now: dt.datetime) -> None:
        self.now = now
        self.service = Organisation.objects.get(name=SERVICE)
        self.practice = Organisation.objects.get(name=PRACTICE)
        self.referrer = User.objects.get(email=REFERRER)
        self.link_worker = User.objects.get(email=LINK_WORKER)
        self.listings = _listings()
        self.group_members = {
            m.organisation_id: m.user
            for m in Membership.objects.filter(role=Role.GROUP.value).select_related("user")
        }
        self._queue: list[tuple[dt.datetime, int, Story]] = []
        self._order = itertools.count()

    def spawn(self, story: Story) -> None:
        """Queue a story at the time of its first step (stories start by yielding it)."""
        self._advance(story)

    def run(self) -> None:
        while self._queue:
            at, _, story = heapq.heappop(self._queue)
            with clock(at):
                self._advance(story)

    def _advance(self, story: Story) -> None:
        try:
            at = next(story)
        except StopIteration:
            return
        if at <= self.now:
            heapq.heappush(self._queue, (at, next(self._order), story))
        else:
            story.close()  # the rest of this story has not happened yet

    def responder(self, asset: Asset):
        """The group's own member when it has one; else the link worker, noting what the
        group said on the phone."""
        return self.group_members.get(asset.organisation_id, self.link_worker)

    def has_room(self, asset: Asset) -> bool:
        """Room to accept without taking the last place (which would set the listing to
        full and change the demo directory)."""
        if asset.places is None:
            return True
        holding = Connection.objects.filter(
            asset=asset, status__in=t.CONNECTION_STATES_HOLDING_A_PLACE
        ).count()
        return holding + 1 < asset.places

    def candidates(self, case: Case, need: str) -> list[Listing]:
        """Published listings for a need that suit the person, nearest first."""
        age = _age(case.person["birth_date"], self.now.date())
        fitting = [
            listing
            for listing in self.listings
            if need in listing.needs
            and _distance_km(case.point, listing.point) <= REACH_KM
            and (listing.asset.minimum_age or 0) <= age <= (listing.asset.maximum_age or 200)
            and listing.asset.gender_space in ("", {"female": "women", "male": "men"}[case.sex])
        ]
        return sorted(fitting, key=lambda listing: _distance_km(case.point, listing.point))


def _listings() -> list[Listing]:
    assets = (
        Asset.objects.filter(publication=Publication.PUBLISHED)
        .prefetch_related("terms", "asset_locations__location", "schedules")
        .order_by("pk")
    )
    listings = []
    for asset in assets:
        located = [link.location for link in asset.asset_locations.all()]
        if not located or located[0].latitude is None:
            continue
        schedules = list(asset.schedules.all())
        first_session = (
            f"{schedules[0].get_weekday_display()} {schedules[0].opens_at:%H:%M}"
            if schedules
            else ""
        )
        needs = frozenset(term.code for term in asset.terms.all() if term.vocabulary == "need")
        point = (located[0].latitude, located[0].longitude)
        listings.append(Listing(asset, needs, point, first_session))
    return listings


# --- Time and distance ---------------------------------------------------------------


def at_work(day: dt.date, rng: random.Random) -> dt.datetime:
    """A moment in working hours on `day`, or the next weekday."""
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(
        day, dt.time(rng.randint(9, 16), rng.randrange(0, 60, 5)), tzinfo=LONDON
    )


def after(start: dt.datetime, days: int, rng: random.Random) -> dt.datetime:
    """A moment in working hours `days` days after `start`, and always after it."""
    day = timezone.localtime(start, LONDON).date() + dt.timedelta(days=days)
    return max(at_work(day, rng), start + dt.timedelta(minutes=rng.randint(5, 40)))


def _age(birth_date: dt.date, today: dt.date) -> int:
    return (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 12742 * math.asin(math.sqrt(h))
