"""Evidence snapshots: the published figures a panel looked at, copied at the time.

Every count of people in a snapshot has been through `linkwork.disclosure`:
gap rows and emerging groups arrive published from their selectors; figures handed in
by another app (an evaluation result, a funding round) name which of them count people,
and those are published here. A withheld figure is stored as null and named in
`suppressed`, so the public decisions log can never show more than the insight pages.
"""

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from linkwork.community.panels.models import EvidenceKind
from linkwork.community.selectors import _community_key, emerging_groups
from linkwork.disclosure import publish_count
from linkwork.errors import InvalidInput
from linkwork.funding import selectors as funding_selectors
from linkwork.funding.models import ApplicationStatus, Round
from linkwork.insight.selectors import gaps, insight_scope

GAP_FIGURES = (
    "demand",
    "unmet",
    "waitlisted",
    "interests",
    "need",
    "supply",
    "open_listings",
    "closed_listings",
    "open_sessions_per_week",
    "stale_listings",
    "score",
)


@dataclass(frozen=True)
class Snapshot:
    """Evidence as captured, before it is attached to a priority or decision."""

    kind: str
    reference: str
    title: str
    figures: dict[str, Any]
    suppressed: list[str] = field(default_factory=list)
    summary: str = ""
    captured_at: dt.datetime = field(default_factory=timezone.now)
    # What `summary` is written from, so it can be written again in the reader's language.
    facts: dict[str, Any] = field(default_factory=dict)


def gap_snapshot(*, area_code: str, category_code: str, period: str | None = None) -> Snapshot:
    """The gap row for one area and category, as the insight pages publish it."""
    scope = insight_scope(area=area_code, category=category_code, period=period)
    row = next((r for r in gaps(scope) if r.area_code == area_code), None)
    if row is None:
        raise InvalidInput(
            {"category": "Nobody in this area asked for this in the period: there is no gap."}
        )
    figures = {name: getattr(row, name) for name in GAP_FIGURES}
    figures["period"] = scope.period.words
    facts = row.facts
    return Snapshot(
        kind=EvidenceKind.GAP,
        reference=f"{row.area_code}/{row.category}",
        title=f"{row.category_name} in {row.area_name}",
        figures=figures,
        suppressed=list(row.suppressed),
        summary=row.evidence,
        facts={
            "area_name": facts.area_name,
            "category_name": facts.category_name,
            "vocabulary": facts.vocabulary,
            "period": scope.period.code,
            "top_unmet_reason": list(facts.top_unmet_reason or ()) or None,
            "hidden_to_protect": sorted(facts.hidden_to_protect),
            "threshold": scope.rule.threshold,
        },
    )


def emerging_group_snapshot(
    *, activity_code: str, neighbourhood_code: str = "", community: str = ""
) -> Snapshot:
    """An emerging group as the emerging-groups page shows it (counts published)."""

    key = _community_key(community)
    for group in emerging_groups():
        code = group.neighbourhood.code if group.neighbourhood else ""
        if (group.activity.code, code, _community_key(group.community_of_interest)) == (
            activity_code,
            neighbourhood_code,
            key,
        ):
            break
    else:
        raise InvalidInput({"activity": "There is no such emerging group now."})
    people, consented = group.people_published, group.consented_published
    place = group.neighbourhood.name if group.neighbourhood else "across the area"
    who = f" for {group.community_of_interest.lower()}" if group.community_of_interest else ""
    where = f"in {place}" if group.neighbourhood else place
    return Snapshot(
        kind=EvidenceKind.EMERGING_GROUP,
        reference=f"{activity_code}/{neighbourhood_code or '*'}/{key or '*'}",
        title=f"{group.activity.name}{who}, {place}",
        figures={
            "people": people,
            "consented_to_contact": consented,
            "near_misses": [miss.name for miss in group.near_misses],
        },
        suppressed=[
            name
            for name, value in (("people", people), ("consented_to_contact", consented))
            if value is None
        ],
        summary=(
            f"{'Some' if people is None else f'About {people}'} people asked for "
            f"{group.activity.name.lower()}{who} {where}, "
            "and no open group offers it."
        ),
        facts={
            "activity": group.activity.name,
            "community": group.community_of_interest,
            "place": group.neighbourhood.name if group.neighbourhood else "",
        },
    )


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)  # money in JSON is a string, "250.00"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def figures_snapshot(
    *,
    kind: str,
    reference: str,
    title: str,
    figures: Mapping[str, Any],
    people: Iterable[str] = (),
    summary: str = "",
    facts: Mapping[str, Any] | None = None,
) -> Snapshot:
    """Evidence from another app (an evaluation figure, a funding round): `people` names
    the figures that count people, which are published here (withheld: null). No foreign
    key is kept: `reference` names the source ("round 12") as it was."""
    if kind not in EvidenceKind.values:
        raise InvalidInput({"kind": f"Choose one of {', '.join(EvidenceKind.values)}."})
    people = set(people)
    published: dict[str, Any] = {}
    suppressed = []
    for name, value in figures.items():
        if name in people:
            value = publish_count(int(value)) if value is not None else None
            if value is None:
                suppressed.append(name)
        published[name] = _plain(value)
    try:
        json.dumps(published)
    except TypeError as error:
        raise InvalidInput({"figures": "Figures must be numbers, text or lists."}) from error
    return Snapshot(
        kind=kind,
        reference=str(reference)[:200],
        title=title[:300],
        figures=published,
        suppressed=suppressed,
        summary=summary,
        facts=dict(facts or {}),
    )


def round_snapshot(*, round_id: Any, viewer: Any) -> Snapshot:
    """A funding round the viewer may see, as its public page shows it: the pot, the
    most one group may get, what was awarded and is left, and how many groups applied
    and were awarded (groups, not people: nothing here needs withholding)."""
    try:
        round = funding_selectors.round_for(viewer, int(round_id))
    except (TypeError, ValueError, Round.DoesNotExist) as error:
        raise InvalidInput({"round": "Choose a funding round you can see."}) from error
    summary = funding_selectors.pot_summary(round)
    awards = round.applications.filter(status=ApplicationStatus.AWARDED).count()
    return figures_snapshot(
        kind=EvidenceKind.FUNDING_ROUND,
        reference=f"round {round.pk}",
        title=f"Funding round: {round.name}",
        figures={
            "status": round.get_status_display(),
            "pot": summary.pot,
            "max_award": round.max_award,
            "awarded": summary.awarded,
            "remaining": summary.remaining,
            "applications": summary.applications,
            "awards": awards,
        },
        summary=(
            f"“{round.name}”: £{summary.awarded:,} of a £{summary.pot:,} pot awarded to "
            f"{awards} group{'' if awards == 1 else 's'} from {summary.applications} "
            f"application{'' if summary.applications == 1 else 's'}; "
            f"£{summary.remaining:,} left."
        ),
        facts={"round": round.name},
    )
