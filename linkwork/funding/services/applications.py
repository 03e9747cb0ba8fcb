"""Writes to applications: apply (save and return, then submit with the group's load
attached), declare conflicts, score, decide within the pot, pay, report at the end."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from linkwork.audit.services import record_event
from linkwork.community.services import record_grant
from linkwork.directory.models import Asset, Organisation, OrganisationKind
from linkwork.errors import Conflict, InvalidInput
from linkwork.funding.models import (
    Application,
    ApplicationStatus,
    ConflictOfInterest,
    EndOfGrantReport,
    GroupSize,
    Payment,
    Priority,
    Round,
    RoundStatus,
    Score,
    SizeBand,
)
from linkwork.funding.services import access
from linkwork.funding.services.money import parse_money
from linkwork.funding.services.rounds import awarded_total, lock_pot

LOAD_PERIOD = "last-12-months"


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
    if (
        round.categories
        and not Asset.objects.filter(
            organisation=organisation, terms__code__in=round.categories
        ).exists()
    ):
        errors["organization_id"] = (
            "This round is for groups whose listings offer the categories it names."
        )


def _check_amount(round: Round, amount: Decimal | None, errors: dict[str, str]) -> None:
    if amount is not None and amount > round.max_award:
        errors["amount"] = f"The most this round awards is £{round.max_award:,}."


def _attach_load(application: Application) -> None:
    """People sent to the group and people who started, in the last 12 months, as
    published figures (1–7 withheld), so no group has to count them."""
    from linkwork.insight import queries
    from linkwork.insight.periods import parse_period
    from linkwork.insight.suppression import publish_count

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


def _scorable(application: Application, by: AbstractBaseUser) -> None:
    if (
        not access.is_panel_member(by, application.round)
        or application.status == ApplicationStatus.DRAFT
    ):
        raise _not_found()


@transaction.atomic
def declare_conflict(
    *, application: Application, reason: str = "", by: AbstractBaseUser
) -> ConflictOfInterest:
    """A panel member says they have an interest in this application; from then on they
    cannot score it (a score already given is withdrawn)."""
    _scorable(application, by)
    conflict, _ = ConflictOfInterest.objects.get_or_create(
        application=application, member=by, defaults={"reason": _text(reason)[:2000]}
    )
    Score.objects.filter(application=application, member=by).delete()
    record_event(
        by=by,
        action="funding_conflict_declared",
        object_type="funding_application",
        object_id=application.pk,
    )
    return conflict


def is_conflicted(application: Application, user: AbstractBaseUser) -> bool:
    """Declared, or automatic: a member of the applying organisation."""
    return (
        access.member_of_applicant(user, application)
        or ConflictOfInterest.objects.filter(application=application, member_id=user.pk).exists()
    )


@transaction.atomic
def score_application(
    *, application: Application, score: Any, comment: str = "", by: AbstractBaseUser
) -> Score:
    """A panel member's score, 0–5, with a comment; again replaces their last. Not while
    conflicted, and only while the round is being scored."""
    _scorable(application, by)
    round = Round.objects.get(pk=application.round_id)  # its state now, not as first read
    if round.status != RoundStatus.SCORING:
        raise Conflict(
            f"This round is {round.status}: scores are given only while it is being scored.",
            current_state=round.status,
        )
    if is_conflicted(application, by):
        raise Conflict(
            "You have a conflict of interest in this application, so you cannot score it.",
            current_state="conflicted",
        )
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 5:
        raise InvalidInput({"score": "Give a whole number from 0 to 5."})
    row, _ = Score.objects.update_or_create(
        application=application,
        member=by,
        defaults={"score": score, "comment": _text(comment)[:5000]},
    )
    record_event(
        by=by,
        action="funding_application_scored",
        object_type="funding_application",
        object_id=application.pk,
        summary=f"score={score}",
    )
    return row


@transaction.atomic
def decide_application(
    *,
    application: Application,
    decision: str,
    amount: Any = None,
    reason: str = "",
    by: AbstractBaseUser,
) -> Application:
    """The funder awards (in full, or in part) or declines, with a reason, while the
    round is being scored. Awards never exceed the maximum award or what is left of the
    pot (409); an award becomes a community Grant."""
    if not access.is_funder(by, application.round):
        raise _not_found()
    round = lock_pot(application.round)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status == ApplicationStatus.DRAFT:
        raise _not_found()
    if round.status != RoundStatus.SCORING:
        raise Conflict(
            f"This round is {round.status}: decisions are made while it is being scored.",
            current_state=round.status,
        )
    if application.status != ApplicationStatus.SUBMITTED:
        raise Conflict(
            f"This application is already {application.status}.", current_state=application.status
        )
    errors: dict[str, str] = {}
    if decision not in ("award", "decline"):
        errors["decision"] = "Choose award or decline."
    value = None
    if decision == "award":
        value = (
            application.amount if amount in (None, "") else parse_money(amount, "amount", errors)
        )
        if value is not None and value > application.amount:
            errors["amount"] = f"The group asked for £{application.amount:,}: award that or less."
        elif value is not None and value > round.max_award:
            errors["amount"] = f"The most this round awards is £{round.max_award:,}."
    elif decision == "decline" and not _text(reason):
        errors["reason"] = "Say why the application is declined."
    if errors:
        raise InvalidInput(errors)
    now = timezone.now()
    if decision == "award":
        left = round.pot - awarded_total(round)
        if value > left:
            raise Conflict(
                f"Only £{left:,} of the pot is left: this award of £{value:,} would go over it.",
                current_state="pot_exceeded",
            )
        application.grant = record_grant(
            organisation=application.organisation,
            amount=value,
            funder=f"{round.funder.name}: {round.name}"[:200],
            purpose=application.purpose,
            period_start=timezone.localdate(now),
            by=by,
        )
        application.status = ApplicationStatus.AWARDED
    else:
        application.status = ApplicationStatus.DECLINED
    application.decision_amount = value
    application.decision_reason = _text(reason)[:5000]
    application.decided_by, application.decided_at = by, now
    application.save()
    record_event(
        by=by,
        action=f"funding_application_{application.status}",
        object_type="funding_application",
        object_id=application.pk,
        summary=f"round={round.pk} amount={value or 0}",
    )
    return application


def paid_total(application: Application) -> Decimal:
    return application.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


@transaction.atomic
def record_payment(
    *,
    application: Application,
    paid_on: dt.date | None,
    amount: Any,
    reference: str,
    by: AbstractBaseUser,
) -> Payment:
    """The funder records money paid against an award; never more than was awarded."""
    if not access.is_funder(by, application.round):
        raise _not_found()
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.AWARDED:
        raise Conflict("Only an award can be paid.", current_state=application.status)
    errors: dict[str, str] = {}
    value = parse_money(amount, "amount", errors)
    if paid_on is None:
        errors["paid_on"] = "Enter the date it was paid."
    if not _text(reference):
        errors["reference"] = "Enter the payment reference from your finance system."
    left = application.decision_amount - paid_total(application)
    if value is not None and value > left:
        errors["amount"] = f"Only £{left:,} of this award is left to pay."
    if errors:
        raise InvalidInput(errors)
    payment = Payment.objects.create(
        application=application,
        paid_on=paid_on,
        amount=value,
        reference=_text(reference)[:100],
        recorded_by=by,
    )
    record_event(
        by=by,
        action="funding_payment_recorded",
        object_type="funding_application",
        object_id=application.pk,
        summary=f"payment={payment.pk} amount={value}",
    )
    return payment


@transaction.atomic
def report_on_grant(
    *,
    application: Application,
    what_happened: str,
    story: str = "",
    story_consent: bool = False,
    by: AbstractBaseUser,
) -> EndOfGrantReport:
    """The end-of-grant report: what happened, and one story only with the consent of
    anyone in it. What happened becomes the Grant's "what it achieved"."""
    if not access.is_applicant(by, application):
        raise _not_found()
    if application.status != ApplicationStatus.AWARDED:
        raise Conflict("Only an awarded grant is reported on.", current_state=application.status)
    errors: dict[str, str] = {}
    if not _text(what_happened):
        errors["what_happened"] = "Say what happened with the money."
    if _text(story) and not story_consent:
        errors["story_consent"] = "Confirm that everyone in the story agreed to it being shared."
    if errors:
        raise InvalidInput(errors)
    report, _ = EndOfGrantReport.objects.update_or_create(
        application=application,
        defaults={
            "what_happened": _text(what_happened)[:5000],
            "story": _text(story)[:5000],
            "story_consent": bool(_text(story)) and story_consent,
            "by": by,
        },
    )
    if application.grant_id:
        type(application.grant).objects.filter(pk=application.grant_id).update(
            achieved=_text(what_happened)[:5000], updated_at=timezone.now()
        )
    record_event(
        by=by,
        action="funding_report_given",
        object_type="funding_application",
        object_id=application.pk,
    )
    return report
