"""A group's writes: apply (save and return, then submit with the group's load attached).
The panel's are in panel.py, the funder's in awards.py."""

from decimal import Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from linkwork.audit.services import record_event
from linkwork.directory.models import Asset, Organisation, OrganisationKind, Publication
from linkwork.disclosure import publish_count
from linkwork.errors import Conflict, InvalidInput
from linkwork.funding.models import (
    Application,
    ApplicationStatus,
    GroupSize,
    Priority,
    Round,
    RoundStatus,
    SizeBand,
)
from linkwork.funding.services import access
from linkwork.funding.services.money import parse_money
from linkwork.insight import queries
from linkwork.periods import parse_period
from linkwork.places.models import Area
from linkwork.places.selectors import lsoas_of

LOAD_PERIOD = "last-12-months"
# Who runs community assets and may apply for a grant.
GROUP_KINDS = (OrganisationKind.VCFSE, OrganisationKind.UNCONSTITUTED_GROUP)


def _text(value: str | None) -> str:
    return (value or "").strip()


def _not_found() -> Exception:
    # 404 for what the viewer may not reach: the API and pages map DoesNotExist to it.
    return Organisation.DoesNotExist("Not found.")


def _priority(round: Round, raw: Any, errors: dict[str, str]) -> Priority | None:
    """A priority by id, or by {"area_code", "category"}; None when not given."""
    if raw in (None, ""):
        return None
    rows = Priority.objects.filter(round=round)
    if isinstance(raw, dict):
        found = rows.filter(area_code=raw.get("area_code"), category=raw.get("category")).first()
    else:
        try:
            found = rows.filter(pk=int(raw)).first()
        except (TypeError, ValueError):
            found = None
    if found is None:
        errors["priority"] = "Choose one of this round's priorities."
    return found


def _answers(round: Round, raw: dict | None, errors: dict[str, str]) -> dict[str, str]:
    answers = {
        str(k).strip(): _text(str(v) if v is not None else "") for k, v in (raw or {}).items()
    }
    for question in answers:
        if question not in round.questions:
            errors[f"answers.{question[:60]}"] = "This round does not ask this question."
    for question in answers:
        if len(answers[question]) > 5000:
            errors[f"answers.{question[:60]}"] = "Keep each answer under 5,000 characters."
    return {q: answers[q] for q in round.questions if q in answers}


def _eligibility(
    round: Round,
    organisation: Organisation,
    size_band: str,
    holding: str,
    errors: dict[str, str],
    *,
    submitting: bool,
) -> None:
    if size_band and size_band not in SizeBand.values:
        errors["size_band"] = f"Choose one of: {', '.join(SizeBand.values)}."
    elif round.size_bands and submitting and size_band not in round.size_bands:
        labels = ", ".join(SizeBand(b).label for b in round.size_bands)
        errors["size_band"] = f"This round is for groups of these sizes: {labels}."
    if organisation.kind == OrganisationKind.UNCONSTITUTED_GROUP:
        if not round.unconstituted_allowed:
            errors["organization_id"] = "This round is for constituted groups only."
        elif submitting and not holding:
            errors["holding_organisation"] = (
                "Name the organisation that will hold the money for your group."
            )
    if round.areas and not _works_in(organisation, round.areas):
        errors["organization_id"] = "This round is for groups working in the areas it names."
    if (
        round.categories
        and not Asset.objects.filter(
            organisation=organisation, terms__code__in=round.categories
        ).exists()
    ):
        errors["organization_id"] = (
            "This round is for groups whose listings offer the categories it names."
        )


def _serving(area_codes: list[str]) -> Q:
    """Listings that serve the whole borough, cover one of the areas (or an area within
    one), or meet in one of them."""
    areas = list(Area.objects.filter(code__in=area_codes))
    within = {a.pk for a in areas}
    for area in areas:
        within |= set(lsoas_of(area).values_list("pk", flat=True))
    return (
        Q(borough_wide=True)
        | Q(coverage_areas__in=within)
        | Q(asset_locations__location__area__in=within)
    )


def _works_in(organisation: Organisation, area_codes: list[str]) -> bool:
    return Asset.objects.filter(_serving(area_codes), organisation=organisation).exists()


def organisations_that_may_apply(round: Round) -> list[Organisation]:
    """Groups with a published listing the round's areas and categories admit (its
    size bands are the group's own word, given when applying)."""
    listings = Asset.objects.filter(publication=Publication.PUBLISHED)
    if round.areas:
        listings = listings.filter(_serving(round.areas))
    if round.categories:
        listings = listings.filter(terms__code__in=round.categories)
    organisations = Organisation.objects.filter(
        pk__in=listings.values("organisation_id"), kind__in=GROUP_KINDS
    )
    if not round.unconstituted_allowed:
        organisations = organisations.exclude(kind=OrganisationKind.UNCONSTITUTED_GROUP)
    return list(organisations.order_by("name"))


def _check_amount(round: Round, amount: Decimal | None, errors: dict[str, str]) -> None:
    if amount is not None and amount > round.max_award:
        errors["amount"] = f"The most this round awards is £{round.max_award:,}."


def _attach_load(application: Application) -> None:
    """People sent to the group and people who started, in the last 12 months, as
    published figures (1–7 withheld), so no group has to count them."""

    period = parse_period(LOAD_PERIOD)
    sent, _accepted, started = queries.group_load_counts(period, None).get(
        application.organisation_id, (0, 0, 0)
    )
    application.load_referred = publish_count(sent)
    application.load_started = publish_count(started)
    application.load_words = period.words


@transaction.atomic
def save_application(
    *,
    round: Round,
    organisation: Organisation,
    amount: Any,
    purpose: str,
    priority: Any = None,
    answers: dict | None = None,
    size_band: str = "",
    holding_organisation: str = "",
    submit: bool = False,
    application: Application | None = None,
    by: AbstractBaseUser,
) -> Application:
    """Start or change the group's application (one per organisation per round) while
    the round is open; with `submit`, send it: every question answered, within the
    maximum award, eligible, and the group's load attached."""
    if not access.is_applicant_of(by, organisation.pk):
        raise _not_found()
    round = Round.objects.select_for_update().get(pk=round.pk)
    if round.status != RoundStatus.OPEN:
        raise Conflict(
            f"This round is {round.status}: it takes applications only while open.",
            current_state=round.status,
        )
    existing = (
        application or Application.objects.filter(round=round, organisation=organisation).first()
    )
    if existing is not None and (application is None or existing.status != ApplicationStatus.DRAFT):
        raise Conflict(
            "Your group has already applied to this round.",
            current_state=existing.status,
        )
    errors: dict[str, str] = {}
    value = parse_money(amount, "amount", errors)
    _check_amount(round, value, errors)
    if not _text(purpose):
        errors["purpose"] = "Say what the money is for."
    elif len(_text(purpose)) > 5000:
        errors["purpose"] = "Keep what it is for under 5,000 characters."
    chosen = _priority(round, priority, errors)
    given = _answers(round, answers, errors)
    if not size_band and hasattr(organisation, "size"):
        size_band = organisation.size.size_band
    holding = _text(holding_organisation)[:200]
    _eligibility(round, organisation, size_band, holding, errors, submitting=submit)
    if submit:
        for i, question in enumerate(round.questions):
            if not given.get(question):
                errors[f"answers.{question[:60]}"] = f"Answer question {i + 1}: {question}"
    if errors:
        raise InvalidInput(errors)
    target = existing or Application(round=round, organisation=organisation, created_by=by)
    target.amount, target.purpose, target.priority = value, _text(purpose), chosen
    target.answers, target.size_band, target.holding_organisation = given, size_band, holding
    if submit:
        target.status, target.submitted_at = ApplicationStatus.SUBMITTED, timezone.now()
        _attach_load(target)
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError:
        raise Conflict("Your group has already applied to this round.") from None
    if size_band:
        GroupSize.objects.update_or_create(
            organisation=organisation, defaults={"size_band": size_band}
        )
    record_event(
        by=by,
        action="funding_application_submitted" if submit else "funding_application_saved",
        object_type="funding_application",
        object_id=target.pk,
        summary=f"round={round.pk} organisation={organisation.pk} amount={value}",
    )
    return target


@transaction.atomic
def submit_application(*, application: Application, by: AbstractBaseUser) -> Application:
    """Send a saved draft, with the same checks as applying in one go."""
    return save_application(
        round=application.round,
        organisation=application.organisation,
        amount=application.amount,
        purpose=application.purpose,
        priority=application.priority_id,
        answers=application.answers,
        size_band=application.size_band,
        holding_organisation=application.holding_organisation,
        submit=True,
        application=application,
        by=by,
    )
