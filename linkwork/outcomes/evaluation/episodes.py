"""The rows a report is computed from: one episode per referral in the period, with
its filters' values, paired questionnaire changes and other outcomes (seven queries)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models.fields.json import KT
from django.utils import timezone

from linkwork.bulk import no_cyclic_gc
from linkwork.outcomes.evaluation.cohorts import (
    ATTENDED_STATES,
    CONTACT_MEASURES,
    FLAGS,
    MONEY,
    NOT_KNOWN,
    age_band,
)
from linkwork.outcomes.instruments import (
    ordered,
)
from linkwork.outcomes.models import OtherOutcomes, Response, Timepoint
from linkwork.outcomes.scoring import Change, classify_change
from linkwork.periods import Period
from linkwork.places.selectors import neighbourhood_ids_by_lsoa
from linkwork.referrals.models import Connection, Referral

# --- The rows a report is computed from ------------------------------------------------


@dataclass(slots=True)
class Episode:
    """One referral in the period, with what the filters and statistics need."""

    referral_id: int
    person_id: int
    service_id: int
    source: str
    age_band: str
    neighbourhood_id: int | None
    imd_decile: int | None
    reasons: set[int] = field(default_factory=set)
    assets: set[int] = field(default_factory=set)
    baselines: set[str] = field(default_factory=set)  # instruments with a complete baseline
    changes: dict[str, Change] = field(default_factory=dict)  # measure key -> change
    questionnaire_changes: bool = False  # any paired questionnaire measure
    money: dict[str, Decimal] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    def value(self, name: str) -> object:
        """The episode's value for a filter or dimension (a set for reasons, assets)."""
        if name == "service":
            return self.service_id
        if name == "neighbourhood":
            return self.neighbourhood_id if self.neighbourhood_id is not None else NOT_KNOWN
        if name == "imd_decile":
            return self.imd_decile if self.imd_decile is not None else NOT_KNOWN
        if name == "reason":
            return self.reasons
        if name == "asset":
            return self.assets
        return getattr(self, name)

    def matches(self, name: str, key: object) -> bool:
        found = self.value(name)
        return key in found if isinstance(found, set) else found == key


def load_episodes(period: Period, services: frozenset[int] | None) -> list[Episode]:
    """Every referral received in the period (to the services in scope), oldest first,
    with its filters' values, paired outcomes and other outcomes. Seven queries; an
    episode per referral (30,000 for a busy two years), so built without cyclic-GC passes."""
    with no_cyclic_gc():
        return _load_episodes(period, services)


def _load_episodes(period: Period, services: frozenset[int] | None) -> list[Episode]:
    referrals = Referral.objects.filter(received_at__gte=period.start, received_at__lt=period.end)
    if services is not None:
        referrals = referrals.filter(service_id__in=services)
    ids = referrals.values("id")
    neighbourhood_of = neighbourhood_ids_by_lsoa()
    zone = timezone.get_current_timezone()
    episodes: dict[int, Episode] = {}
    for pk, person, service, source, received, born, lsoa, decile in referrals.order_by(
        "received_at", "id"
    ).values_list(
        "id",
        "person_id",
        "service_id",
        "source",
        "received_at",
        "person__birth_date",
        "person__area_id",
        "person__area__imd_decile",
    ):
        episodes[pk] = Episode(
            referral_id=pk,
            person_id=person,
            service_id=service,
            source=source,
            age_band=age_band(born, received.astimezone(zone).date()),
            neighbourhood_id=neighbourhood_of.get(lsoa) if lsoa else None,
            imd_decile=decile,
        )
    through = Referral.reasons.through
    # .order_by(): no default ordering to sort by; these only fill sets.
    for referral_id, term_id in (
        through.objects.filter(referral_id__in=ids)
        .order_by()
        .values_list("referral_id", "taxonomyterm_id")
    ):
        episodes[referral_id].reasons.add(term_id)
    for referral_id, asset_id in (
        Connection.objects.filter(referral_id__in=ids, status__in=ATTENDED_STATES)
        .order_by()
        .values_list("referral_id", "asset_id")
    ):
        episodes[referral_id].assets.add(asset_id)
    _add_responses(episodes, ids)
    _add_other_outcomes(episodes, ids)
    return list(episodes.values())


def _add_responses(episodes: dict[int, Episode], ids) -> None:
    """Pair each referral's complete baseline of an instrument with its latest complete
    follow-up or closure: the rule of `selectors.pair_responses`, applied to rows the
    database returns in (completed_on, recorded_at, id) order, so the last later row is
    the latest. Scores come from the `score` column, or for instruments with several
    measures (ONS4) from `measures` in the database: no JSON is decoded here."""
    known = {instrument.code: instrument for instrument in ordered()}
    several = [m.key for i in known.values() if len(i.measures) > 1 for m in i.measures]
    rows = (
        Response.objects.filter(referral_id__in=ids, complete=True, instrument__in=known)
        .annotate(**{f"m_{key}": KT(f"measures__{key}__score") for key in several})
        .order_by("completed_on", "recorded_at", "id")
        .values_list(
            "referral_id",
            "instrument",
            "timepoint",
            "completed_on",
            "score",
            *(f"m_{key}" for key in several),
        )
    )
    baselines: dict[tuple[int, str], tuple] = {}
    latest: dict[tuple[int, str], tuple] = {}
    for row in rows:
        key = (row[0], row[1])
        if row[2] == Timepoint.BASELINE:
            baselines[key] = row
        else:
            latest[key] = row
    position = {key: n for n, key in enumerate(several, start=5)}
    for key, before in baselines.items():
        episode = episodes[key[0]]
        episode.baselines.add(key[1])
        after = latest.get(key)
        if after is None or after[3] < before[3]:  # a later timepoint dated before it
            continue
        for measure in known[key[1]].measures:
            column = position.get(measure.key, 4)
            if before[column] is None or after[column] is None:
                continue
            episode.changes[measure.key] = classify_change(
                measure, Decimal(before[column]), Decimal(after[column])
            )
            episode.questionnaire_changes = True


def _add_other_outcomes(episodes: dict[int, Episode], ids) -> None:
    fields = (*MONEY, *FLAGS, *OtherOutcomes.CONTACT_FIELDS)
    for referral_id, *values in OtherOutcomes.objects.filter(referral_id__in=ids).values_list(
        "referral_id", *fields
    ):
        episode = episodes[referral_id]
        found = dict(zip(fields, values, strict=True))
        episode.money = {name: found[name] for name in MONEY if found[name] is not None}
        episode.flags = {name for name in FLAGS if found[name]}
        for key, measure in CONTACT_MEASURES.items():
            before, after = found[f"{key}_baseline"], found[f"{key}_follow_up"]
            if before is not None and after is not None:
                episode.changes[key] = classify_change(measure, Decimal(before), Decimal(after))
