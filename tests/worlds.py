"""The test worlds every area shares, built once here.

`signed_in(user)` is a Client signed in as that user. `surgery_and_service()` is a
practice and a social prescribing service in one PCN; `casework()` is the small world of
referrals pages and the API (tests/referrals/conftest.py `world`); `Builder` writes
casework, listings, interests and grants in bulk for insight, funding and community tests,
and `town_of(build)` is the borough those tests share.
"""

import datetime as dt
import itertools
from types import SimpleNamespace

from django.test import Client
from django.utils import timezone

from linkwork.accounts.roles import Role
from linkwork.community.models import Grant, Interest
from linkwork.directory.models import CapacityStatus, OrganisationKind, TaxonomyTerm
from linkwork.directory.services import load_default_taxonomy
from linkwork.places.models import Area, AreaPopulation, AreaType
from linkwork.referrals.models import (
    Connection,
    ConnectionEvent,
    Person,
    Referral,
    UnmetNeed,
)
from tests.factories import (
    AssetFactory,
    LocationFactory,
    OrganisationFactory,
    PostcodeFactory,
    ScheduleFactory,
    user_with_role,
)
from tests.places.factories import AreaFactory, local_authority, neighbourhood


def signed_in(user) -> Client:
    """A Client signed in as `user` (kept as `client.user`)."""
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def surgery_and_service() -> SimpleNamespace:
    """The default taxonomy; Bolton 020A with the postcode BL2 6LT; the Moor PCN with its
    practice (Brook Surgery) and social prescribing service (Community Links). The start of
    the casework world, and of the browser tests' journeys."""
    load_default_taxonomy(by=None)
    lsoa = Area.objects.create(code="E01004800", name="Bolton 020A", area_type="lsoa")
    PostcodeFactory(postcode="BL2 6LT", latitude=53.5837, longitude=-2.3803, lsoa=lsoa)
    pcn = OrganisationFactory(name="Moor PCN", kind=OrganisationKind.PCN)
    practice = OrganisationFactory(
        name="Brook Surgery", kind=OrganisationKind.GP_PRACTICE, parent=pcn
    )
    service = OrganisationFactory(
        name="Community Links", kind=OrganisationKind.SOCIAL_PRESCRIBING_SERVICE, parent=pcn
    )
    return SimpleNamespace(lsoa=lsoa, pcn=pcn, practice=practice, service=service)


def casework() -> SimpleNamespace:
    """A PCN with a practice and a social prescribing service (and a service elsewhere); a
    walking group whose walk has two places, and a choir whose walk is full; each signed in."""
    borough = surgery_and_service()
    lsoa, practice, service = borough.lsoa, borough.practice, borough.service
    other_service = OrganisationFactory(
        name="Elsewhere Links", kind=OrganisationKind.SOCIAL_PRESCRIBING_SERVICE
    )
    group_org = OrganisationFactory(name="Walking group")
    other_group_org = OrganisationFactory(name="Choir")
    activity = TaxonomyTerm.objects.get(code="need-physical-activity")
    near = LocationFactory(latitude=53.584, longitude=-2.381)
    walk = AssetFactory(
        organisation=group_org,
        name="Health walk",
        categories=[activity],
        location=near,
        places=2,
    )
    full = AssetFactory(
        organisation=other_group_org,
        name="Full walk",
        categories=[activity],
        capacity_status=CapacityStatus.FULL,
        location=LocationFactory(latitude=53.585, longitude=-2.382),
    )
    return SimpleNamespace(
        practice=practice,
        service=service,
        walk=walk,
        full=full,
        lsoa=lsoa,
        gp=signed_in(user_with_role(Role.REFERRER, organisation=practice)),
        other_gp=signed_in(user_with_role(Role.REFERRER, organisation=practice)),
        link_worker=signed_in(user_with_role(Role.LINK_WORKER, organisation=service)),
        other_link_worker=signed_in(user_with_role(Role.LINK_WORKER, organisation=other_service)),
        group=signed_in(user_with_role(Role.GROUP, organisation=group_org)),
        other_group=signed_in(user_with_role(Role.GROUP, organisation=other_group_org)),
        commissioner=signed_in(user_with_role(Role.COMMISSIONER)),
    )


_serial = itertools.count(1)


class Builder:
    """Writes casework rows directly, in bulk (not through services): insight, funding and
    community tests read them, and 14 people cost one insert."""

    def __init__(self) -> None:
        load_default_taxonomy(by=None)
        self.service = OrganisationFactory(
            name="Community Links", kind=OrganisationKind.SOCIAL_PRESCRIBING_SERVICE
        )
        self.now = timezone.now()

    def term(self, code: str) -> TaxonomyTerm:
        return TaxonomyTerm.objects.get(code=code)

    def lsoa(self, name: str, *, imd: int | None = None, population: int | None = None) -> Area:
        return AreaFactory(
            code=f"E0199{next(_serial):04d}",
            name=name,
            area_type=AreaType.LSOA,
            imd_decile=imd,
            population_total=population,
        )

    def people(
        self,
        n: int,
        lsoa: Area | None,
        *,
        sex: str = "",
        ethnicity: str = "",
        born: dt.date = dt.date(1960, 6, 1),
    ) -> list[Person]:
        return Person.objects.bulk_create(
            Person(
                given_name="Test",
                family_name=f"Person{next(_serial)}",
                birth_date=born,
                postcode="BL1 1AA",
                area=lsoa,
                sex=sex,
                ethnicity=ethnicity,
            )
            for _ in range(n)
        )

    def refer(
        self,
        n: int,
        lsoa: Area | None,
        needs: list[str],
        *,
        status: str = "received",
        days_ago: float = 10,
        people: list[Person] | None = None,
        **person_fields,
    ) -> list[Referral]:
        """n people in `lsoa` referred `days_ago` with these need codes."""
        people = people or self.people(n, lsoa, **person_fields)
        at = self.now - dt.timedelta(days=days_ago)
        referrals = Referral.objects.bulk_create(
            Referral(
                person=person,
                service=self.service,
                source="gp",
                status=status,
                consent_to_refer=True,
                consent_recorded_at=at,
                first_contact_due=at.date(),
            )
            for person in people
        )
        Referral.objects.filter(pk__in=[r.pk for r in referrals]).update(received_at=at)
        through = Referral.reasons.through
        terms = [self.term(code) for code in needs]
        through.objects.bulk_create(
            through(referral_id=r.pk, taxonomyterm_id=term.pk) for r in referrals for term in terms
        )
        return referrals

    def unmet(
        self, n: int, lsoa: Area, need: str, reason: str = "none_exists", *, days_ago: float = 10
    ) -> list[UnmetNeed]:
        referrals = self.refer(n, lsoa, [need], status="in_progress", days_ago=days_ago)
        needs = UnmetNeed.objects.bulk_create(
            UnmetNeed(referral=r, category=self.term(need), reason=reason, area=lsoa)
            for r in referrals
        )
        UnmetNeed.objects.filter(pk__in=[u.pk for u in needs]).update(
            recorded_at=self.now - dt.timedelta(days=days_ago)
        )
        return needs

    def connect(
        self,
        n: int,
        lsoa: Area,
        asset,
        status: str,
        *,
        need: str = "need-loneliness",
        days_ago: float = 10,
    ) -> list[Connection]:
        """n people referred for `need` and connected to `asset`, now in `status`."""
        referrals = self.refer(n, lsoa, [need], status="in_progress", days_ago=days_ago)
        at = self.now - dt.timedelta(days=days_ago)
        connections = Connection.objects.bulk_create(
            Connection(referral=r, asset=asset, status=status, sent_at=at) for r in referrals
        )
        events = ConnectionEvent.objects.bulk_create(
            ConnectionEvent(connection=c, from_status="sent", to_status=status) for c in connections
        )
        ConnectionEvent.objects.filter(pk__in=[e.pk for e in events]).update(at=at)
        return connections

    def waitlist(self, n: int, lsoa: Area, asset, **kwargs) -> list[Connection]:
        return self.connect(n, lsoa, asset, "waitlisted", **kwargs)

    def interests(
        self,
        n: int,
        activity: str,
        *,
        lsoa: Area | None = None,
        neighbourhood=None,
        status: str = "open",
        days_ago: float = 10,
    ) -> None:
        made = Interest.objects.bulk_create(
            Interest(
                activity=self.term(activity), lsoa=lsoa, neighbourhood=neighbourhood, status=status
            )
            for _ in range(n)
        )
        Interest.objects.filter(pk__in=[i.pk for i in made]).update(
            created_at=self.now - dt.timedelta(days=days_ago)
        )

    def asset(
        self,
        name: str,
        categories: list[str],
        *,
        lsoa: Area | None = None,
        coverage=(),
        sessions: int = 0,
        **fields,
    ):
        """A published listing with a location in `lsoa` (if given), covering `coverage`."""
        location = LocationFactory(area=lsoa) if lsoa is not None else False
        asset = AssetFactory(
            name=name,
            categories=[self.term(code) for code in categories],
            location=location,
            **fields,
        )
        asset.coverage_areas.set(coverage)
        for day in range(sessions):
            ScheduleFactory(asset=asset, weekday=day)
        return asset

    def grant(self, organisation, amount: int = 500, *, days_ago: int = 30) -> Grant:
        start = (self.now - dt.timedelta(days=days_ago)).date()
        return Grant.objects.create(
            organisation=organisation,
            amount=amount,
            funder="Small grants",
            purpose="Sessions",
            period_start=start,
        )

    def population(self, lsoa: Area, cells: dict[tuple[str, str], int]) -> None:
        AreaPopulation.objects.bulk_create(
            AreaPopulation(area=lsoa, age_band=band, sex=sex, count=count)
            for (band, sex), count in cells.items()
        )


def town_of(build: Builder) -> SimpleNamespace:
    """A borough with two neighbourhoods: Northfield (two LSOAs, one very deprived) and
    Southgate (one LSOA, least deprived)."""
    borough = local_authority()
    north_a = build.lsoa("Northfield 001A", imd=1, population=1500)
    north_b = build.lsoa("Northfield 001B", imd=3, population=1500)
    south = build.lsoa("Southgate 002A", imd=10, population=2000)
    for lsoa in (north_a, north_b, south):
        lsoa.parent = borough
        lsoa.save()
    northfield = neighbourhood("N-NORTH", "Northfield", lsoas=[north_a, north_b])
    southgate = neighbourhood("N-SOUTH", "Southgate", lsoas=[south])
    return SimpleNamespace(
        borough=borough,
        north_a=north_a,
        north_b=north_b,
        south=south,
        northfield=northfield,
        southgate=southgate,
    )
