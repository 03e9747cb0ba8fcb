"""Reads for panels: the public decisions logs (per panel, per neighbourhood), a member's
panels, and the membership review (through suppression)."""

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from linkwork.accounts.models import User
from linkwork.accounts.permissions import organisations_with_permission
from linkwork.accounts.roles import Perm, Role
from linkwork.community.panels.models import Decision, Meeting, Panel, Priority
from linkwork.disclosure import publish_count
from linkwork.places.models import AGE_BANDS, Area, AreaPopulation, AreaType, Sex
from linkwork.places.selectors import lsoas_of


def panels_of(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Panel]:
    """The panels in which the user may decide (their own)."""
    ids = organisations_with_permission(user, Perm.PANEL_DECIDE)
    return Panel.objects.filter(organisation_id__in=ids).select_related("organisation")


def panel_for_member(user: AbstractBaseUser | AnonymousUser, pk: int) -> Panel:
    """One of the user's own panels; 404 for any other (never revealing it exists)."""
    panel = panels_of(user).filter(pk=pk).first()
    if panel is None:
        raise Http404
    return panel


def public_panel(pk: int) -> Panel:
    panel = Panel.objects.select_related("organisation").filter(pk=pk).first()
    if panel is None:
        raise Http404
    return panel


def _decisions() -> QuerySet[Decision]:
    return Decision.objects.select_related(
        "meeting", "meeting__panel__organisation", "priority", "neighbourhood"
    ).prefetch_related("evidence")


def decisions_of_panel(panel: Panel) -> QuerySet[Decision]:
    """The panel's public decisions log, newest meeting first."""
    return _decisions().filter(meeting__panel=panel)


def decisions_for_neighbourhood(area: Area) -> QuerySet[Decision]:
    """Decisions about a neighbourhood: those naming it, and those for the whole area of
    a panel that speaks for it."""
    return (
        _decisions()
        .filter(Q(neighbourhood=area) | Q(neighbourhood=None, meeting__panel__neighbourhoods=area))
        .distinct()
    )


def public_neighbourhood(code: str) -> Area:
    area = Area.objects.filter(code=code, area_type=AreaType.NEIGHBOURHOOD).first()
    if area is None:
        raise Http404
    return area


def decision_record(decision: Decision) -> dict[str, Any]:
    """One decision as both the API and the public pages show it (the same content)."""
    meeting, panel = decision.meeting, decision.meeting.panel
    return {
        "id": decision.pk,
        "title": decision.title,
        "decision": decision.decision,
        "decided_on": meeting.held_on,
        "panel": {"id": panel.pk, "name": panel.name},
        "meeting": {"id": meeting.pk, "title": meeting.title, "held_on": meeting.held_on},
        "neighbourhood": (
            {"code": decision.neighbourhood.code, "name": decision.neighbourhood.name}
            if decision.neighbourhood
            else None
        ),
        "priority": (
            {"id": decision.priority.pk, "title": decision.priority.title}
            if decision.priority
            else None
        ),
        "evidence": [
            {
                "kind": e.kind,
                "kind_label": e.get_kind_display(),
                "reference": e.reference,
                "title": e.title,
                "figures": e.figures,
                "suppressed": e.suppressed,
                "summary": e.words,
                "captured_at": e.captured_at,
            }
            for e in decision.evidence.all()
        ],
    }


def meetings_of(panel: Panel) -> QuerySet[Meeting]:
    return panel.meetings.prefetch_related("decisions")


def priorities_of(panel: Panel) -> QuerySet[Priority]:
    return panel.priorities.select_related("neighbourhood", "meeting").prefetch_related("evidence")


@dataclass(frozen=True)
class RepresentationRow:
    group: str
    members: int | None  # published
    members_share: float | None  # of members who said, %; None when withheld
    area_share: float | None  # of residents, %


def _members(panel: Panel) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        memberships__organisation=panel.organisation,
        memberships__role=Role.PANEL.value,
    ).distinct()


def _rows(counts: Counter, labels: list[tuple[str, str]], area: dict[str, int]) -> list:
    said = sum(counts.values())
    residents = sum(area.values())
    rows = []
    for key, label in labels:
        published = publish_count(counts.get(key, 0))
        share = (
            round(100 * published / said, 1)
            if published is not None and publish_count(said)
            else None
        )
        area_share = round(100 * area.get(key, 0) / residents, 1) if residents else None
        rows.append(RepresentationRow(label, published, share, area_share))
    return rows


def _usual_decile(neighbourhood: Area) -> int | None:
    """A neighbourhood's IMD decile: the commonest among its LSOAs."""

    found = Counter(
        lsoas_of(neighbourhood).exclude(imd_decile=None).values_list("imd_decile", flat=True)
    )
    return found.most_common(1)[0][0] if found else None


def membership_review(panel: Panel) -> dict[str, Any]:
    """How the panel's membership compares with its area, by age band, sex and the IMD
    decile of members' neighbourhoods. Member counts are published (1–7 withheld), so a
    small panel sees mostly `*`: that protects members, and is itself the finding that
    more members are needed before representation can be judged."""

    members = list(_members(panel).select_related("panel_profile__neighbourhood"))
    profiles = [getattr(m, "panel_profile", None) for m in members]
    profiles = [p for p in profiles if p is not None]
    lsoa_ids: list[int] = []
    for area in panel.neighbourhoods.all():
        lsoa_ids += list(lsoas_of(area).values_list("id", flat=True))
    by_age: Counter = Counter()
    by_sex: Counter = Counter()
    for age_band, sex, count in AreaPopulation.objects.filter(area_id__in=lsoa_ids).values_list(
        "age_band", "sex", "count"
    ):
        by_age[age_band] += count
        by_sex[sex] += count
    imd_area: Counter = Counter()
    for decile, population in Area.objects.filter(pk__in=lsoa_ids).values_list(
        "imd_decile", "population_total"
    ):
        if decile:
            imd_area[str(decile)] += population or 0
    deciles = {}
    for profile in profiles:
        area = profile.neighbourhood
        if area is not None and area.pk not in deciles:
            deciles[area.pk] = area.imd_decile or _usual_decile(area)
    return {
        "members": publish_count(len(members)),
        "answered": publish_count(len(profiles)),
        "age": _rows(
            Counter(p.age_band for p in profiles if p.age_band),
            [(band, band) for band in AGE_BANDS if band != "0-17"],
            {k: v for k, v in by_age.items() if k != "0-17"},
        ),
        "sex": _rows(Counter(p.sex for p in profiles if p.sex), list(Sex.choices), by_sex),
        "imd": _rows(
            Counter(
                str(deciles[p.neighbourhood_id])
                for p in profiles
                if p.neighbourhood_id and deciles.get(p.neighbourhood_id)
            ),
            [
                (str(d), f"Decile {d}" + (" (most deprived)" if d == 1 else ""))
                for d in range(1, 11)
            ],
            imd_area,
        ),
    }
