"""The funder's writes after scoring: decisions within the pot (each award a community
Grant), payments, and the group's end-of-grant report."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from linkwork.audit.services import record_event
from linkwork.community.services import record_grant
from linkwork.errors import Conflict, InvalidInput
from linkwork.funding.models import (
    Application,
    ApplicationStatus,
    EndOfGrantReport,
    Payment,
    RoundStatus,
)
from linkwork.funding.services import access
from linkwork.funding.services.applications import _not_found, _text
from linkwork.funding.services.money import parse_money
from linkwork.funding.services.rounds import awarded_total, lock_pot


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
    application = Application.objects.get(pk=application.pk)  # as decided, not as first read
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
