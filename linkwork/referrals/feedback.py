"""The person's feedback at closure, by a link that works once, without signing in.

When a referral closes, `ask_for_feedback` makes a random token and keeps only its
SHA-256 digest (as API tokens are kept). The link goes to the person by email when they
have an address and agreed to be contacted by email, or as a short link (/f/...) by text
message when they agreed to texts and have no email or prefer texts; otherwise the
request records why no link was sent, for the link worker to see. The token is in that
message and nowhere else: not in the database, the audit trail or the logs (request logs
are redacted by `redaction.py`). The comment may be personal: only the service's link
workers see it; the referrer sees the rating.
"""

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
from linkwork.errors import InvalidInput
from linkwork.i18n import language_for
from linkwork.notifications.models import TextKind
from linkwork.notifications.services import send
from linkwork.notifications.texts import send_link_text, short_token
from linkwork.referrals.models import ContactMethod, FeedbackNotSent, FeedbackRequest, Referral
from linkwork.referrals.prescription import text_channel

USED, EXPIRED = "used", "expired"
EMAIL, TEXT = ContactMethod.EMAIL.value, ContactMethod.TEXT.value


class FeedbackLinkUnknown(Exception):
    """No feedback link has this token (a 404)."""


class FeedbackLinkGone(Exception):
    """The link has been used, or has expired (a 410)."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def _digest(token: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is enough; no salt is needed.
    return hashlib.sha256(token.encode()).hexdigest()


def feedback_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("person-feedback", args=[token])


def short_feedback_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("person-feedback-short", args=[token])


def _how_to_ask(referral: Referral) -> tuple[str, str]:
    """(channel, "") for the way the link can go: email, or a text message when there
    is no usable email or the person prefers texts; ("", why not) when neither can."""
    person = referral.person
    agreed = set(referral.consent_contact_methods.split(","))
    by_email = bool(person.email) and EMAIL in agreed
    by_text = not text_channel(referral).problem
    if by_text and (not by_email or person.preferred_contact_method == TEXT):
        return TEXT, ""
    if by_email:
        return EMAIL, ""
    if not person.email:
        return "", FeedbackNotSent.NO_EMAIL
    return "", FeedbackNotSent.NO_CONSENT


@transaction.atomic
def ask_for_feedback(
    *, referral: Referral, by: AbstractBaseUser | None
) -> tuple[FeedbackRequest, str]:
    """Ask the person, once, how helpful the support was: email them a link (or text
    them a short one) that works once for FEEDBACK_LINK_DAYS, or record why no link
    could be sent. Returns the request and the token (empty when no link was sent); the
    token is not kept."""
    existing = FeedbackRequest.objects.filter(referral=referral).first()
    if existing is not None:
        return existing, ""
    channel, why_not = _how_to_ask(referral)
    if why_not:
        request = FeedbackRequest.objects.create(referral=referral, not_sent_reason=why_not)
        _audit(by, "feedback_link_not_sent", referral.pk, f"reason={why_not}")
        return request, ""
    token = short_token() if channel == TEXT else secrets.token_urlsafe(32)
    now = timezone.now()
    expires_at = now + dt.timedelta(days=settings.FEEDBACK_LINK_DAYS)
    request = FeedbackRequest.objects.create(
        referral=referral,
        digest=_digest(token),
        sent_at=now,
        expires_at=expires_at,
        sent_by=channel,
    )
    with translation.override(language_for(referral.person)):
        _send_feedback_link(referral, channel, token, timezone.localtime(expires_at))
    _audit(by, "feedback_link_sent", referral.pk, f"by={channel}")  # never the token
    return request, token


def _send_feedback_link(referral: Referral, channel: str, token: str, expires: dt.datetime):
    """The link, in the language now active (the person's)."""
    until = date_format(expires, "j F Y")
    service = referral.service.name
    if channel == TEXT:
        send_link_text(
            kind=TextKind.FEEDBACK_LINK,
            referral=referral,
            link=short_feedback_url(token),
            until=until,
            words=FEEDBACK_TEXT,
        )
    else:
        # No name or details in the message: a forwarded or misdirected email tells
        # nobody who was supported.
        send(
            to=[referral.person.email],
            subject=gettext("How helpful was the support from %(service)s?") % {"service": service},
            body=gettext(
                "You have been getting support from a social prescribing link worker at "
                "%(service)s. We would like to know how helpful it was: it takes a minute, "
                "and you do not need to sign in.\n\n%(link)s\n\nThe link works once, until "
                "%(until)s."
            )
            % {"service": service, "link": feedback_url(token), "until": until},
        )


FEEDBACK_TEXT = _(
    "Hello {first_name}, how helpful was the support from {service}? It takes a "
    "minute, no sign-in: {link} (works once, until {until})"
)


def feedback_request_for(token: str) -> FeedbackRequest:
    """The request a link opens. FeedbackLinkUnknown when no link has this token;
    FeedbackLinkGone when it has been used or has expired."""
    request = (
        FeedbackRequest.objects.select_related("referral__service")
        .filter(digest=_digest(token))
        .first()
        if token
        else None
    )
    if request is None:
        raise FeedbackLinkUnknown
    if request.answered_at is not None:
        raise FeedbackLinkGone(USED)
    if request.expires_at <= timezone.now():
        raise FeedbackLinkGone(EXPIRED)
    return request


def feedback_errors(rating: object, comment: str) -> dict[str, str]:
    errors = {}
    if not isinstance(rating, int) or isinstance(rating, bool) or rating not in (1, 2, 3, 4, 5):
        errors["rating"] = "Choose how helpful the support was, from 1 to 5."
    if len(comment.strip()) > FeedbackRequest.COMMENT_MAX_LENGTH:
        errors["comment"] = (
            f"Your comment must be {FeedbackRequest.COMMENT_MAX_LENGTH} characters or fewer."
        )
    return errors


@transaction.atomic
def give_feedback(
    *, token: str, rating: int, comment: str = "", by: AbstractBaseUser | None = None
) -> FeedbackRequest:
    """The person's answer through their link: once, before it expires, nothing written
    for bad input."""
    return record_feedback(
        feedback_request=feedback_request_for(token), rating=rating, comment=comment, by=by
    )


@transaction.atomic
def record_feedback(
    *,
    feedback_request: FeedbackRequest,
    rating: int,
    comment: str = "",
    by: AbstractBaseUser | None,
) -> FeedbackRequest:
    """Record a rating (1 to 5) and an optional comment. The conditional update claims
    the request, so of two answers sent at once only one is kept."""
    errors = feedback_errors(rating, comment)
    if errors:
        raise InvalidInput(errors)
    claimed = FeedbackRequest.objects.filter(
        pk=feedback_request.pk, answered_at__isnull=True
    ).update(answered_at=timezone.now(), rating=rating, comment=comment.strip())
    if not claimed:
        raise FeedbackLinkGone(USED)
    # The rating only: the comment is the person's own words.
    _audit(by, "feedback_given", feedback_request.referral_id, f"rating={rating}")
    feedback_request.refresh_from_db()
    return feedback_request


def _audit(by: AbstractBaseUser | None, action: str, referral_id: int, summary: str) -> None:
    record_event(
        by=by, action=action, object_type="referral", object_id=referral_id, summary=summary
    )
