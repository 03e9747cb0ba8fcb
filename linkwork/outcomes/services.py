"""Every write of outcomes: keyword-only, with `by=`, atomic, audited.

Audit summaries name the instrument and timepoint, never answers or scores (health data).
"""

import csv
import datetime as dt
import hashlib
import io
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from linkwork.audit.services import record_event
from linkwork.errors import Conflict, InvalidInput
from linkwork.notifications.models import TextKind
from linkwork.notifications.services import send
from linkwork.notifications.texts import send_text, short_token
from linkwork.outcomes.instruments import UnknownInstrument, instrument
from linkwork.outcomes.models import (
    ONCE_ONLY,
    ItemWording,
    OtherOutcomes,
    QuestionnaireLink,
    Response,
    Timepoint,
)
from linkwork.outcomes.scoring import AnswerError, score
from linkwork.outcomes.selectors import wording_available
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Plan, Referral
from linkwork.referrals.prescription import text_channel


def _instrument_or_422(code: Any):
    try:
        return instrument(str(code))
    except UnknownInstrument:
        raise InvalidInput({"instrument": f"There is no instrument called {code!r}."}) from None


def _check_state(referral: Referral, timepoint: str) -> None:
    """Declined or returned referrals take no outcomes; a closed one only closure ones."""
    if referral.status in t.TURNED_AWAY:
        raise Conflict(
            f"This referral was {referral.status}: no outcomes can be recorded on it.",
            current_state=referral.status,
        )
    if referral.status == t.CLOSED and timepoint != Timepoint.CLOSURE:
        raise Conflict(
            "This referral is closed: only closure questionnaires can be recorded now.",
            current_state=referral.status,
        )


def _check_date(referral: Referral, code: str, timepoint: str, completed_on: dt.date) -> None:
    """Not in the future, not before the referral arrived, and after the baseline."""
    if completed_on > timezone.localdate():
        raise InvalidInput({"completed_on": "The date answered cannot be in the future."})
    received = timezone.localdate(referral.received_at)
    if completed_on < received:
        raise InvalidInput(
            {
                "completed_on": "The date answered is before the referral was received "
                f"({date_format(received, 'j F Y')})."
            }
        )
    if timepoint == Timepoint.BASELINE:
        return
    baseline = referral.outcome_responses.filter(
        instrument=code, timepoint=Timepoint.BASELINE, complete=True
    ).first()
    if baseline and completed_on < baseline.completed_on:
        raise InvalidInput(
            {
                "completed_on": f"A {Timepoint(timepoint).label.lower()} cannot be dated before "
                f"the baseline ({date_format(baseline.completed_on, 'j F Y')})."
            }
        )


def _check_once(referral: Referral, code: str, timepoint: str, short_name: str) -> None:
    if timepoint not in ONCE_ONLY:
        return
    earlier = referral.outcome_responses.filter(
        instrument=code, timepoint=timepoint, complete=True
    ).first()
    if earlier is not None:
        raise Conflict(
            f"A {Timepoint(timepoint).label.lower()} {short_name} was already recorded on "
            f"{date_format(earlier.completed_on, 'j F Y')}: record a follow-up instead.",
            current_state="recorded",
        )


@transaction.atomic
def record_response(
    *,
    referral: Referral,
    instrument_code: str,
    timepoint: str,
    answers: Any,
    completed_on: dt.date | None = None,
    link: QuestionnaireLink | None = None,
    by: AbstractBaseUser | None,
) -> Response:
    """Record one questionnaire. Answers are checked against the scale (422 naming the
    item); a None answer stores the questionnaire as incomplete, never scored. Baseline
    and closure happen once per instrument (409 for a second); no date before the
    referral or (for later timepoints) before the baseline; declined or returned
    referrals take nothing, closed ones only closure."""
    found = _instrument_or_422(instrument_code)
    if timepoint not in Timepoint.values:
        raise InvalidInput({"timepoint": "Choose baseline, follow_up or closure."})
    # Lock the referral: two baselines submitted at once cannot both pass the check.
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _check_state(referral, timepoint)
    completed_on = completed_on or timezone.localdate()
    _check_date(referral, found.code, timepoint, completed_on)
    _check_once(referral, found.code, timepoint, found.short_name)
    goals: list[str] = []
    if found.items_from_plan:
        plan = Plan.objects.filter(referral=referral).first()
        goals = list(plan.goals) if plan else []
    try:
        scored = score(found, answers, allow_missing=True, item_count=len(goals))
    except AnswerError as error:
        raise InvalidInput(error.errors) from None
    try:
        with transaction.atomic():  # the unique constraint backs the check above up
            response = _create_response(
                referral, found, timepoint, scored, goals, completed_on, link, by
            )
    except IntegrityError:
        raise Conflict(
            f"A {Timepoint(timepoint).label.lower()} {found.short_name} was already recorded.",
            current_state="recorded",
        ) from None
    record_event(
        by=by,
        action="outcome_recorded",
        object_type="referral",
        object_id=referral.pk,
        summary=f"instrument={found.code} timepoint={timepoint} complete={scored.complete}"
        + (f" link={link.pk}" if link else ""),
    )
    return response


def _create_response(referral, found, timepoint, scored, goals, completed_on, link, by):
    return Response.objects.create(
        referral=referral,
        instrument=found.code,
        timepoint=timepoint,
        goals=goals,
        **scored.as_stored(),
        completed_on=completed_on,
        recorded_by=by if by is not None and by.is_authenticated else None,
        link=link,
    )


# --- Other outcomes ------------------------------------------------------------------


def _money(field: str, value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").replace("£", "").strip())
    except InvalidOperation:
        raise InvalidInput({field: "Enter an amount in pounds, like 250 or 1200.50."}) from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("100000000"):
        raise InvalidInput({field: "Enter an amount of 0 or more, in pounds."})
    return amount.quantize(Decimal("0.01"))


def _count(field: str, value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 999:
        raise InvalidInput({field: "Enter a whole number of contacts, 0 or more."})
    return value


@transaction.atomic
def save_other_outcomes(
    *, referral: Referral, values: dict[str, Any], by: AbstractBaseUser
) -> OtherOutcomes:
    """Income, debt, grants (pounds), volunteering and groups (yes/no), GP and A&E contacts
    in the last 3 months (baseline and follow-up). Only the fields given are changed; an
    empty value clears a field (not recorded is not the same as zero)."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status in t.TURNED_AWAY:
        raise Conflict(
            f"This referral was {referral.status}: no outcomes can be recorded on it.",
            current_state=referral.status,
        )
    unknown = set(values) - set(OtherOutcomes.PERSONAL_DATA_FIELDS)
    if unknown:
        raise InvalidInput(dict.fromkeys(sorted(unknown), "Not an outcome Linkwork records."))
    clean: dict[str, Any] = {}
    for field, value in values.items():
        if field in OtherOutcomes.MONEY_FIELDS:
            clean[field] = _money(field, value)
        elif field in OtherOutcomes.CONTACT_FIELDS:
            clean[field] = _count(field, value)
        elif value is None or isinstance(value, bool):
            clean[field] = value
        else:
            raise InvalidInput({field: "Answer yes or no."})
    outcomes, _ = OtherOutcomes.objects.update_or_create(
        referral=referral, defaults={**clean, "updated_by": by}
    )
    record_event(
        by=by,
        action="other_outcomes_saved",
        object_type="referral",
        object_id=referral.pk,
        summary="fields=" + ",".join(sorted(clean)),
    )
    return outcomes


# --- Questionnaire links -------------------------------------------------------------


class LinkNotFound(Exception):
    """No link has this token (404)."""


class LinkGone(Exception):
    """The link was used, has expired or is no longer needed (410); `reason` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_days() -> int:
    return int(getattr(settings, "QUESTIONNAIRE_LINK_DAYS", 14))


@transaction.atomic
def create_questionnaire_link(
    *,
    referral: Referral,
    instruments: list[str],
    base_url: str,
    email: bool,
    by: AbstractBaseUser,
    text: bool = False,
) -> tuple[QuestionnaireLink, str]:
    """A one-use link for the person to answer follow-up questionnaires without signing
    in. Returns the link and its URL, shown once: only the token's SHA-256 digest is
    kept. With `email`, the URL goes to the person's email address in a message that
    says nothing else about them; with `text`, a short link (/q/...) goes by text message
    to their mobile when they agreed to texts. Only instruments the person can read in full are
    offered (SWEMWBS needs its licensed wording imported); never the goal ladder, whose
    goals are in the person's own words."""
    referral = Referral.objects.select_for_update().select_related("person").get(pk=referral.pk)
    if referral.status not in t.OPEN_REFERRAL_STATES:
        raise Conflict(
            "Questionnaire links are for open referrals only.", current_state=referral.status
        )
    codes = list(dict.fromkeys(instruments))
    if not codes:
        raise InvalidInput({"instruments": "Choose at least one questionnaire to send."})
    for code in codes:
        found = _instrument_or_422(code)
        if found.items_from_plan:
            raise InvalidInput({"instruments": "Goals are rated with the person, not by link."})
        if not wording_available(code):
            raise InvalidInput(
                {
                    "instruments": f"{found.short_name} cannot be sent until its licensed wording "
                    "is imported."
                }
            )
    if email and not referral.person.email:
        raise InvalidInput({"email": "There is no email address for this person."})
    if text:
        problem = text_channel(referral).problem
        if problem:
            raise InvalidInput({"text": problem})
    token = short_token() if text else secrets.token_urlsafe(32)
    link = QuestionnaireLink.objects.create(
        referral=referral,
        instruments=codes,
        timepoint=Timepoint.FOLLOW_UP,
        token_digest=token_digest(token),
        expires_at=timezone.now() + dt.timedelta(days=link_days()),
        created_by=by,
    )
    url = base_url.rstrip("/") + reverse(
        "questionnaire-short" if text else "questionnaire", args=[token]
    )
    until = date_format(timezone.localtime(link.expires_at), "j F Y")
    if text:
        _text_link(referral, url, until)
    if email:
        send(
            to=[referral.person.email],
            subject=f"A few questions from {settings.SERVICE_NAME}",
            body=(
                "Your link worker has asked you to answer a few short questions about how "
                "you are feeling. It takes about five minutes.\n\n"
                f"{url}\n\n"
                f"The link works once and stops working on {until}. "
                "If you did not expect this message, you can ignore it."
            ),
        )
    record_event(
        by=by,
        action="questionnaire_link_created",
        object_type="referral",
        object_id=referral.pk,
        summary=f"link={link.pk} instruments={','.join(codes)} emailed={email} texted={text}",
    )
    return link, url


def _text_link(referral: Referral, url: str, until: str) -> None:
    # The first name and the link: nothing says what the questions are about.
    first_name, service = referral.person.given_name, referral.service.name
    send_text(
        kind=TextKind.QUESTIONNAIRE_LINK,
        to=referral.person.phone,
        body=(
            f"Hello {first_name}, your link worker at {service} has asked you a few short "
            f"questions (about 5 minutes): {url} (works once, until {until})"
        ),
        fields={"first_name": first_name, "service": service, "link": url, "expires": until},
        referral=referral,
        person=referral.person,
    )


def open_link(token: str, *, lock: bool = False) -> QuestionnaireLink:
    """The link a token opens, if it can still be used: LinkNotFound or LinkGone if not."""
    links = QuestionnaireLink.objects.select_related("referral")
    if lock:
        links = links.select_for_update()
    link = links.filter(token_digest=token_digest(token or "")).first()
    if link is None:
        raise LinkNotFound
    if link.used_at is not None:
        raise LinkGone("used")
    if link.expires_at <= timezone.now():
        raise LinkGone("expired")
    if link.referral.status not in t.OPEN_REFERRAL_STATES:
        raise LinkGone("closed")
    return link


@transaction.atomic
def complete_questionnaire_link(*, token: str, answers: dict[str, list]) -> QuestionnaireLink:
    """The person's answers through their link: one response per questionnaire on the
    link (a skipped item leaves that questionnaire incomplete), then the link is spent.
    All or nothing: a bad answer writes nothing and leaves the link usable."""
    link = open_link(token, lock=True)
    for code in link.instruments:
        record_response(
            referral=link.referral,
            instrument_code=code,
            timepoint=link.timepoint,
            answers=answers.get(code, []),
            link=link,
            by=None,
        )
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    return link


# --- Licensed wording ----------------------------------------------------------------


def read_wording_csv(text: str) -> list[dict[str, str]]:

    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"instrument", "item_number", "wording"} <= {
        name.strip() for name in reader.fieldnames
    }:
        raise InvalidInput({"file": "The CSV needs a header: instrument,item_number,wording"})
    return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]


@transaction.atomic
def import_wording(*, rows: list[dict[str, str]], by: AbstractBaseUser | None) -> dict[str, int]:
    """A licensed organisation's item wording, stored in the database (never in git).
    Every item of each instrument named must be given, once; all or nothing. Returns
    how many items were stored per instrument."""

    by_code: dict[str, dict[int, str]] = {}
    for line, row in enumerate(rows, start=2):
        found = _instrument_or_422(row.get("instrument", ""))
        if not found.licensed_wording:
            raise InvalidInput({f"line {line}": f"{found.short_name} wording is shipped already."})
        try:
            number = int(row.get("item_number", ""))
        except ValueError:
            raise InvalidInput({f"line {line}": "item_number must be a whole number."}) from None
        if not 1 <= number <= len(found.items):
            raise InvalidInput(
                {f"line {line}": f"{found.short_name} items are numbered 1 to {len(found.items)}."}
            )
        if not row.get("wording"):
            raise InvalidInput({f"line {line}": "The wording is empty."})
        if number in by_code.setdefault(found.code, {}):
            raise InvalidInput({f"line {line}": f"Item {number} is given twice."})
        by_code[found.code][number] = row["wording"]
    if not by_code:
        raise InvalidInput({"file": "No wording found in the file."})
    for code, items in by_code.items():
        missing = sorted(set(range(1, len(instrument(code).items) + 1)) - set(items))
        if missing:
            raise InvalidInput({code: f"Items missing: {', '.join(map(str, missing))}."})
        ItemWording.objects.filter(instrument=code).delete()
        ItemWording.objects.bulk_create(
            ItemWording(instrument=code, item_number=n, wording=w) for n, w in items.items()
        )
        record_event(
            by=by,
            action="instrument_wording_imported",
            object_type="instrument",
            object_id=code,
            summary=f"items={len(items)}",
        )
    return {code: len(items) for code, items in by_code.items()}
