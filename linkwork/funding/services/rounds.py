"""Writes to grant rounds: create one (priorities snapshotted from the gap report) and
move it through its states."""

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Sum

from linkwork.accounts.models import Membership
from linkwork.accounts.roles import Role
from linkwork.audit.services import record_event
from linkwork.directory.models import Organisation, TaxonomyTerm
from linkwork.errors import Conflict, InvalidInput
from linkwork.funding import transitions
from linkwork.funding.models import (
    Application,
    ApplicationStatus,
    Priority,
    Round,
    RoundEvent,
    RoundStatus,
    SizeBand,
)
from linkwork.funding.services.applications import organisations_that_may_apply
from linkwork.funding.services.money import parse_money
from linkwork.insight.geography import DEFAULT_LEVEL, LEVELS
from linkwork.insight.selectors import gaps, insight_scope
from linkwork.insight.selectors.scope import CATEGORY_VOCABULARIES
from linkwork.notifications.models import Kind
from linkwork.notifications.services import notify_organisation, site_link
from linkwork.places.models import Area
from linkwork.words import long_date

MIN_QUESTIONS, MAX_QUESTIONS = 3, 6
MAX_PRIORITIES = 20


def _text(value: str | None) -> str:
    return (value or "").strip()


def _questions(raw: Sequence[str], errors: dict[str, str]) -> list[str]:
    questions = [_text(q) for q in raw or []]
    if any(not q for q in questions):
        errors["questions"] = "Every question needs words in it."
    elif not MIN_QUESTIONS <= len(questions) <= MAX_QUESTIONS:
        errors["questions"] = (
            f"Ask between {MIN_QUESTIONS} and {MAX_QUESTIONS} questions of your own."
        )
    elif len(set(questions)) != len(questions):
        errors["questions"] = "Each question must be different."
    elif any(len(q) > 500 for q in questions):
        errors["questions"] = "Keep each question under 500 characters."
    return questions


def snapshot_priorities(pairs: Iterable[tuple[str, str]]) -> tuple[list[Priority], dict[str, str]]:
    """Unsaved Priority rows for (area code, category code) pairs, with the gap report's
    published figures and evidence as they stand now; errors name `priorities`."""

    pairs = list(dict.fromkeys((_text(a), _text(c)) for a, c in pairs))
    if len(pairs) > MAX_PRIORITIES:
        return [], {"priorities": f"Choose at most {MAX_PRIORITIES} priorities."}
    areas = {a.code: a for a in Area.objects.filter(code__in=[a for a, _ in pairs])}
    terms = {
        t.code: t
        for t in TaxonomyTerm.objects.filter(
            code__in=[c for _, c in pairs], vocabulary__in=CATEGORY_VOCABULARIES
        )
    }
    errors = {}
    for i, (area, category) in enumerate(pairs):
        if area not in areas:
            errors[f"priorities.{i}.area_code"] = f"No area has the code “{area[:32]}”."
        if category not in terms:
            errors[f"priorities.{i}.category"] = (
                f"No need category or activity type has the code “{category[:64]}”."
            )
    if errors:
        return [], errors
    levels = {
        areas[a].area_type if areas[a].area_type in LEVELS else DEFAULT_LEVEL for a, _ in pairs
    }
    report = {}
    for level in levels:
        for row in gaps(insight_scope(level=level)):
            report[(row.area_code, row.category)] = row
    rows = []
    for position, (area, category) in enumerate(pairs):
        gap = report.get((area, category))
        rows.append(
            Priority(
                position=position,
                area_code=area,
                area_name=areas[area].name,
                category=category,
                category_name=terms[category].name,
                need=gap.need if gap else None,
                score=gap.score if gap else None,
                evidence=gap.evidence
                if gap
                else "The gap report showed no demand for this in this area when the round "
                "was made.",
            )
        )
    return rows, {}


def _panel(panel_id: int | None, errors: dict[str, str]) -> Organisation | None:
    if panel_id is None:
        return None
    panel = Organisation.objects.filter(pk=panel_id).first()
    if panel is None or not Membership.objects.filter(organisation=panel, role=Role.PANEL).exists():
        errors["panel_id"] = "Choose a community panel: an organisation with panel members."
        return None
    return panel


@transaction.atomic
def create_round(
    *,
    funder: Organisation,
    name: str,
    pot: Any,
    max_award: Any,
    opens: dt.date | None,
    closes: dt.date | None,
    questions: Sequence[str],
    priorities: Iterable[tuple[str, str]] = (),
    panel_id: int | None = None,
    guidance: str = "",
    areas: Sequence[str] = (),
    categories: Sequence[str] = (),
    size_bands: Sequence[str] = (),
    unconstituted_allowed: bool = True,
    by: AbstractBaseUser,
) -> Round:
    """A draft round. The maximum award is within the pot; it closes on or after it
    opens; 3–6 questions; priorities are gap-report rows whose evidence is kept as it
    stands now; the panel is an organisation with panel members."""
    errors: dict[str, str] = {}
    if not _text(name):
        errors["name"] = "Give the round a name."
    pot_value = parse_money(pot, "pot", errors)
    max_value = parse_money(max_award, "max_award", errors)
    if pot_value and max_value and max_value > pot_value:
        errors["max_award"] = "The maximum award cannot be more than the pot."
    if opens is None:
        errors["opens"] = "Enter the date the round opens."
    if closes is None:
        errors["closes"] = "Enter the date the round closes."
    elif opens is not None and closes < opens:
        errors["closes"] = "The closing date must be on or after the opening date."
    question_list = _questions(questions, errors)
    bands = list(dict.fromkeys(size_bands))
    if any(b not in SizeBand.values for b in bands):
        errors["size_bands"] = f"Size bands are: {', '.join(SizeBand.values)}."
    panel = _panel(panel_id, errors)
    rows, priority_errors = snapshot_priorities(priorities)
    errors.update(priority_errors)
    if errors:
        raise InvalidInput(errors)
    round = Round.objects.create(
        funder=funder,
        name=_text(name)[:200],
        guidance=_text(guidance),
        pot=pot_value,
        max_award=max_value,
        opens=opens,
        closes=closes,
        questions=question_list,
        panel=panel,
        areas=list(dict.fromkeys(_text(a) for a in areas if _text(a))),
        categories=list(dict.fromkeys(_text(c) for c in categories if _text(c))),
        size_bands=bands,
        unconstituted_allowed=unconstituted_allowed,
        created_by=by,
    )
    for row in rows:
        row.round = round
    Priority.objects.bulk_create(rows)
    RoundEvent.objects.create(round=round, to_status=RoundStatus.DRAFT, by=by)
    record_event(
        by=by,
        action="funding_round_created",
        object_type="funding_round",
        object_id=round.pk,
        summary=f"funder={funder.pk} pot={pot_value} priorities={len(rows)}",
    )
    return round


@transaction.atomic
def transition_round(*, round: Round, to: str, by: AbstractBaseUser) -> Round:
    """Move a round on (transitions.ROUND). Closing applications keeps drafts as drafts:
    nothing is submitted for a group. A round is decided only when every submitted
    application has a decision."""
    round = Round.objects.select_for_update().get(pk=round.pk)
    transitions.check(round.status, to)
    if to == RoundStatus.DECIDED:
        waiting = round.applications.filter(status=ApplicationStatus.SUBMITTED).count()
        if waiting:
            raise Conflict(
                f"{waiting} submitted application{'s have' if waiting != 1 else ' has'} "
                "no decision yet: decide each one first.",
                current_state=round.status,
            )
    RoundEvent.objects.create(round=round, from_status=round.status, to_status=to, by=by)
    record_event(
        by=by,
        action="funding_round_transition",
        object_type="funding_round",
        object_id=round.pk,
        summary=f"{round.status}->{to}",
    )
    round.status = to
    round.save(update_fields=["status", "updated_at"])
    if to == RoundStatus.OPEN:
        _tell_groups_it_opened(round)
    return round


def _tell_groups_it_opened(round: Round) -> int:
    """Each group that may apply hears, by its members' choice for funding rounds (a
    weekly digest by default); the message names the round, never a person."""
    link = site_link("funding-round", round.pk)
    closes = f" Applications close on {long_date(round.closes)}." if round.closes else ""
    reached = 0
    for organisation in organisations_that_may_apply(round):
        reached += notify_organisation(
            organisation=organisation,
            kind=Kind.FUNDING_ROUNDS,
            subject=f"A grant round is open: {round.name}",
            body=(
                f"“{round.name}” is open for applications from groups like yours: up to "
                f"£{round.max_award:,} each.{closes}\n\nRead about it and apply: {link}"
            ),
        )
    return reached


def awarded_total(round: Round) -> Decimal:
    """Pounds awarded so far in the round."""
    total = round.applications.filter(status=ApplicationStatus.AWARDED).aggregate(
        total=Sum("decision_amount")
    )["total"]
    return total or Decimal("0.00")


def lock_pot(round: Round) -> Round:
    """The round row locked, so two decisions at once cannot both fit in the last of the pot."""
    return Round.objects.select_for_update().get(pk=round.pk)


__all__ = [
    "Application",
    "awarded_total",
    "create_round",
    "lock_pot",
    "snapshot_priorities",
    "transition_round",
]
