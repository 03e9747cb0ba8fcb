"""Reads for the community app: emerging groups, grants and interest counts.

Nothing here returns who registered an interest: emerging groups are counts, and every
count meant for a page goes through `linkwork.disclosure.publish_count`.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, QuerySet, Sum

from linkwork.community.models import Grant, Interest, InterestStatus
from linkwork.directory.models import Asset, CapacityStatus, Publication, TaxonomyTerm
from linkwork.disclosure import publish_count
from linkwork.places.models import Area
from linkwork.places.selectors import neighbourhood_ids_by_lsoa

# Why an asset with the wanted activity does not answer an emerging group.
NOT_OPEN = {
    CapacityStatus.FULL: "full",
    CapacityStatus.WAITLIST: "has a waiting list",
    CapacityStatus.PAUSED: "paused",
}


@dataclass(frozen=True)
class NearMiss:
    """A published asset with the wanted activity in reach that does not answer the group."""

    name: str
    asset_id: int
    reason: str


@dataclass
class EmergingGroup:
    """Open interests in one activity, in one neighbourhood (or, for a community of
    interest, across the area), with no open published asset serving them.

    `people` and `consented` are raw counts for code that suppresses them itself;
    pages use `people_published` / `consented_published` (None = withheld)."""

    activity: TaxonomyTerm
    neighbourhood: Area | None
    community_of_interest: str
    people: int
    consented: int
    near_misses: list[NearMiss] = field(default_factory=list)

    @property
    def people_published(self) -> int | None:
        return publish_count(self.people)

    @property
    def consented_published(self) -> int | None:
        return publish_count(self.consented)

    @property
    def is_community_wide(self) -> bool:
        return self.neighbourhood is None


def _community_key(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())


@dataclass
class _AssetReach:
    """What emerging groups need to know about one published asset."""

    asset: Asset
    activity_ids: set[int]
    neighbourhood_ids: set[int]

    def serves_neighbourhood(self, neighbourhood_id: int | None) -> bool:
        return self.asset.borough_wide or neighbourhood_id in self.neighbourhood_ids

    def community_problem(self, key: str, wanted: str) -> str:
        """'' when the asset is for this community (or, with no community, for anyone);
        otherwise why not, in words."""
        gender, community = (
            self.asset.gender_space,
            _community_key(self.asset.community_of_interest),
        )
        if key and (key in (gender, community) or (community and community in key)):
            return ""
        if community:
            return f"for {self.asset.community_of_interest}"
        if gender:
            return f"for {gender} only"
        return f"for anyone, not only {wanted}" if key else ""


def _reach_of_assets() -> list[_AssetReach]:
    """Published assets with an activity term, and the neighbourhoods each serves: its
    coverage areas plus the neighbourhoods of its locations' LSOAs."""
    neighbourhood_of = neighbourhood_ids_by_lsoa()
    assets = (
        Asset.objects.filter(publication=Publication.PUBLISHED, terms__vocabulary="activity")
        .distinct()
        .prefetch_related("terms", "coverage_areas", "asset_locations__location")
    )
    reach = []
    for asset in assets:
        located = {
            neighbourhood_of.get(link.location.area_id)
            for link in asset.asset_locations.all()
            if link.location.area_id
        }
        reach.append(
            _AssetReach(
                asset=asset,
                activity_ids={term.pk for term in asset.terms.all()},
                neighbourhood_ids={area.pk for area in asset.coverage_areas.all()}
                | (located - {None}),
            )
        )
    return reach


def _answer(
    reach: list[_AssetReach], activity_id: int, neighbourhood_id: int | None, key: str, wanted: str
) -> tuple[bool, list[NearMiss]]:
    """(an open asset answers the group, the near misses shown as evidence)."""
    misses = []
    for candidate in reach:
        if activity_id not in candidate.activity_ids:
            continue
        if neighbourhood_id is not None and not candidate.serves_neighbourhood(neighbourhood_id):
            continue
        problem = candidate.community_problem(key, wanted)
        status = candidate.asset.capacity_status
        if not problem and status == CapacityStatus.OPEN:
            return True, []
        reason = problem or NOT_OPEN.get(status, status)
        misses.append(NearMiss(candidate.asset.name, candidate.asset.pk, reason))
    return False, sorted(misses, key=lambda miss: miss.name)[:3]


def _open_interest_rows() -> list[tuple[int, int | None, str, str, bool]]:
    return list(
        Interest.objects.filter(status=InterestStatus.OPEN, activity__isnull=False).values_list(
            "activity_id", "neighbourhood_id", "community_of_interest", "consent_to_contact"
        )
    )


def emerging_groups(*, threshold: int | None = None) -> list[EmergingGroup]:
    """Clusters of open interests with no open, published asset answering them.

    A cluster is the same activity in the same neighbourhood for the same community
    (or for anyone); or, for a community of interest, the same activity across the
    whole area when its interests span more than one neighbourhood (communities of
    interest travel, and borough-wide groups serve them). A cluster counts when it
    has at least `threshold` people (setting EMERGING_GROUP_THRESHOLD, default 5) and
    no published asset with that activity, serving that neighbourhood (or anywhere,
    for a community), for that community (or for anyone), is open.
    """
    threshold = settings.EMERGING_GROUP_THRESHOLD if threshold is None else threshold
    place: dict[tuple, list[bool]] = defaultdict(list)
    community: dict[tuple, list[tuple[int | None, bool]]] = defaultdict(list)
    spellings: dict[str, Counter] = defaultdict(Counter)
    for activity_id, neighbourhood_id, words, consented in _open_interest_rows():
        key = _community_key(words)
        spellings[key][words.strip()] += 1
        if neighbourhood_id is not None:
            place[(activity_id, neighbourhood_id, key)].append(consented)
        if key:
            community[(activity_id, key)].append((neighbourhood_id, consented))
    candidates = [
        (activity_id, neighbourhood_id, key, consents)
        for (activity_id, neighbourhood_id, key), consents in place.items()
        if len(consents) >= threshold
    ] + [
        (activity_id, None, key, [consented for _, consented in rows])
        for (activity_id, key), rows in community.items()
        if len(rows) >= threshold and len({n for n, _ in rows}) > 1
    ]
    if not candidates:
        return []
    reach = _reach_of_assets()
    terms = TaxonomyTerm.objects.in_bulk({c[0] for c in candidates})
    areas = Area.objects.in_bulk({c[1] for c in candidates if c[1] is not None})
    groups = []
    for activity_id, neighbourhood_id, key, consents in candidates:
        wanted = spellings[key].most_common(1)[0][0] if key else ""
        answered, misses = _answer(reach, activity_id, neighbourhood_id, key, wanted)
        if answered:
            continue
        groups.append(
            EmergingGroup(
                activity=terms[activity_id],
                neighbourhood=areas.get(neighbourhood_id),
                community_of_interest=wanted,
                people=len(consents),
                consented=sum(consents),
                near_misses=misses,
            )
        )
    return sorted(groups, key=lambda g: (-g.people, g.activity.name, g.neighbourhood is None))


def interest_counts(
    *, status: str = InterestStatus.OPEN
) -> list[tuple[int | None, int | None, int]]:
    """(neighbourhood id, activity id, raw count) of interests: for demand figures, which
    publish them through suppression. Interests described only in words have no activity."""
    return list(
        Interest.objects.filter(status=status)
        .values_list("neighbourhood_id", "activity_id")
        .annotate(n=Count("id"))
        .order_by()
    )


def grants() -> QuerySet[Grant]:
    """Every grant, newest first (grants are about organisations, not people)."""
    return Grant.objects.select_related("organisation", "asset", "recorded_by")


def funding_by_organisation(organisation_ids: Iterable[int] | None = None) -> dict[int, Decimal]:
    """{organisation id: total of its grants}, for load-and-investment views."""
    rows = Grant.objects.all()
    if organisation_ids is not None:
        rows = rows.filter(organisation_id__in=list(organisation_ids))
    return dict(rows.values_list("organisation_id").annotate(total=Sum("amount")).order_by())
