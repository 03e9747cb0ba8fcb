"""Questionnaire links: a person answers at home through a link that works once, for a few
days; only the token's digest is kept."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linkwork.audit.services import record_event
from linkwork.errors import Conflict, InvalidInput
from linkwork.i18n import language_for
from linkwork.notifications.models import TextKind
from linkwork.notifications.services import send
from linkwork.notifications.texts import send_link_text, short_token
from linkwork.outcomes.models import QuestionnaireLink, Timepoint
from linkwork.outcomes.selectors import wording_available
from linkwork.outcomes.services._common import _instrument_or_422
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Referral
from linkwork.referrals.prescription import text_channel

QUESTIONNAIRE_TEXT = _(
    "Hello {first_name}, your link worker at {service} has asked you a few short "
    "questions (about 5 minutes): {link} (works once, until {until})"
)


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
    with translation.override(language_for(referral.person)):
        _send_questionnaire_link(referral, url, timezone.localtime(link.expires_at), email, text)
    record_event(
        by=by,
        action="questionnaire_link_created",
        object_type="referral",
        object_id=referral.pk,
        summary=f"link={link.pk} instruments={','.join(codes)} emailed={email} texted={text}",
    )
    return link, url


def _send_questionnaire_link(
    referral: Referral, url: str, expires: dt.datetime, email: bool, text: bool
) -> None:
    """The link by text and/or email, in the language now active (the person's)."""
    until = date_format(expires, "j F Y")
    if text:
        # The first name and the link: nothing says what the questions are about.
        send_link_text(
            kind=TextKind.QUESTIONNAIRE_LINK,
            referral=referral,
            link=url,
            until=until,
            words=QUESTIONNAIRE_TEXT,
        )
    if email:
        send(
            to=[referral.person.email],
            subject=gettext("A few questions from %(service)s")
            % {"service": settings.SERVICE_NAME},
            body=gettext(
                "Your link worker has asked you to answer a few short questions about how "
                "you are feeling. It takes about five minutes.\n\n%(link)s\n\nThe link works "
                "once and stops working on %(until)s. If you did not expect this message, you "
                "can ignore it."
            )
            % {"link": url, "until": until},
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
        raise LinkGone("not_needed")  # the referral has ended
    return link
