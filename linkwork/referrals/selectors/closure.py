"""How a case ends: the summary the referrer hears, how long it may be reopened, and the
person's feedback (the referrer hears the rating, the link workers the comment too)."""

import datetime as dt

from django.conf import settings

from linkwork.referrals import transitions as t
from linkwork.referrals.models import FeedbackRequest, Referral

SNOMED = {
    "referred": {"code": "871731000000106", "term": "Referral to social prescribing service"},
    "declined": {"code": "871711000000103", "term": "Social prescribing declined"},
}


def closure_summary(referral: Referral) -> dict:
    """What the referrer hears at the end: what happened, connections made, needs unmet."""
    return {
        "status": referral.status,
        "summary": referral.closure_summary,
        "reason": referral.reason,
        "closed_at": referral.closed_at,
        "connections": [
            {"service": c.asset.name, "status": c.status}
            for c in referral.connections.all()
            if c.status != t.WITHDRAWN  # never made: not part of what happened
        ],
        "unmet_needs": [
            {"category": u.category.code, "reason": u.reason} for u in referral.unmet_needs.all()
        ],
        "snomed": SNOMED["declined"] if referral.status == t.DECLINED else SNOMED["referred"],
        "person_feedback": person_feedback_for_referrer(referral),
    }


def reopen_until(referral: Referral) -> dt.datetime | None:
    """Until when a closed referral can be reopened (None when it is not closed)."""
    if referral.status != t.CLOSED or referral.closed_at is None:
        return None
    return referral.closed_at + dt.timedelta(days=settings.REOPEN_WINDOW_DAYS)


def feedback_request_of(referral: Referral) -> FeedbackRequest | None:
    """The person's feedback request, asked at closure (None before, or if never asked)."""
    return getattr(referral, "feedback_request", None)


def person_feedback_for_referrer(referral: Referral) -> dict | None:
    """What the referrer hears of the person's feedback: whether they were asked and the
    rating, never the comment (which may be personal; it stays with the link workers)."""
    request = feedback_request_of(referral)
    if request is None:
        return None
    return {"link_sent": request.sent_at is not None, "rating": request.rating}


def person_feedback_for_case_worker(referral: Referral) -> dict | None:
    """The state of the feedback link and the answer, comment included."""
    request = feedback_request_of(referral)
    if request is None:
        return None
    return {
        "state": request.state,
        "sent_at": request.sent_at,
        "expires_at": request.expires_at,
        "not_sent_reason": request.not_sent_reason or None,
        "rating": request.rating,
        "comment": request.comment,
        "answered_at": request.answered_at,
    }
