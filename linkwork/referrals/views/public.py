"""Public pages: the self-referral form (no account, a honeypot and a rate limit per
address) and the person's feedback at closure (a link that works once, no account)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from linkwork.errors import InvalidInput
from linkwork.pages import put_errors
from linkwork.referrals import feedback as person_feedback
from linkwork.referrals import services, throttle
from linkwork.referrals.forms_easy_read import EasyReadFeedbackForm, EasyReadSelfReferralForm
from linkwork.referrals.forms_feedback import FeedbackForm
from linkwork.referrals.forms_referrer import SelfReferralForm
from linkwork.referrals.views.referrer import services_to_choose


def self_referral(request: HttpRequest, *, easy_read: bool = False) -> HttpResponse:
    """The self-referral form; `easy_read` asks the same in short sentences with pictures
    (the same form underneath: the same checks, the same referral)."""
    choices = services_to_choose(None)
    form = (EasyReadSelfReferralForm if easy_read else SelfReferralForm)(
        request.POST if request.method == "POST" else None, services=choices or []
    )
    if request.method == "POST" and choices is not None:
        if form.is_from_a_robot():
            return redirect("self-referral-sent")  # it looks sent; nothing is saved
        if form.is_valid():
            if not throttle.allow(
                f"self-referral:{throttle.client_address(request)}",
                limit=settings.SELF_REFERRAL_LIMIT_PER_HOUR,
            ):
                return render(
                    request,
                    "referrals/public/too_many.jinja",
                    {"page_title": _("Please try again later")},
                    status=429,
                )
            try:
                # Nobody signs in to refer themselves: no referrer, whoever is signed in.
                services.create_referral(**form.referral(), by=None)
            except InvalidInput as error:
                put_errors(form, error)
            else:
                return redirect("self-referral-sent")
    return render(
        request,
        f"referrals/public/form{'_easy_read' if easy_read else ''}.jinja",
        {
            "form": form,
            "unavailable": choices is None,
            "page_title": (_("Error: ") if form.errors else "")
            + (_("Ask for a link worker (easy read)") if easy_read else _("Refer yourself")),
        },
    )


def self_referral_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "referrals/public/sent.jinja",
        {
            "working_days": settings.FIRST_CONTACT_WORKING_DAYS,
            "page_title": _("Your request has been sent"),
        },
    )


# --- The person's feedback ------------------------------------------------------------


def _private(response: HttpResponse) -> HttpResponse:
    """The address holds the token: never cached, and only our origin (not the path) is
    sent on as the referrer. (Not "no-referrer": browsers then send `Origin: null` with
    the form, which fails the CSRF check.)"""
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "strict-origin"
    return response


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "referrals/public/too_many.jinja",
        {"page_title": _("Please try again later")},
        status=429,
    )


def _throttled(request: HttpRequest) -> bool:
    return not throttle.allow(
        f"feedback:{throttle.client_address(request)}",
        limit=settings.FEEDBACK_LIMIT_PER_HOUR,
    )


def _gone(request: HttpRequest, why: str, status: int) -> HttpResponse:
    return _private(
        render(
            request,
            "referrals/public/feedback_gone.jinja",
            {
                "why": why,
                "days": settings.FEEDBACK_LINK_DAYS,
                "page_title": {
                    person_feedback.USED: _("You have already given your feedback"),
                    person_feedback.EXPIRED: _("This link has expired"),
                }.get(why, _("We cannot find this link")),
            },
            status=status,
        )
    )


def feedback(request: HttpRequest, token: str, *, easy_read: bool = False) -> HttpResponse:
    """How helpful was the support, 1 to 5, and a comment. An unknown link is a 404; a
    used or expired one a 410; either way nothing is written. `easy_read` asks the same
    in short sentences with pictures."""
    try:
        feedback_request = person_feedback.feedback_request_for(token)
    except person_feedback.FeedbackLinkUnknown:
        # Guessing links is counted against the address, as answers are.
        return _too_many(request) if _throttled(request) else _gone(request, "unknown", 404)
    except person_feedback.FeedbackLinkGone as gone:
        return _gone(request, gone.why, 410)
    form = (EasyReadFeedbackForm if easy_read else FeedbackForm)(
        request.POST if request.method == "POST" else None
    )
    if request.method == "POST":
        if _throttled(request):
            return _too_many(request)
        if form.is_valid():
            try:
                person_feedback.give_feedback(
                    token=token,
                    rating=form.cleaned_data["rating"],
                    comment=form.cleaned_data["comment"],
                    by=None,  # the person, who does not sign in
                )
            except InvalidInput as error:
                put_errors(form, error)
            except person_feedback.FeedbackLinkGone as gone:
                return _gone(request, gone.why, 410)
            else:
                return redirect("person-feedback-thanks")
    return _private(
        render(
            request,
            f"referrals/public/feedback{'_easy_read' if easy_read else ''}.jinja",
            {
                "form": form,
                "token": token,
                "service": feedback_request.referral.service,
                "page_title": (_("Error: ") if form.errors else "")
                + (
                    _("Tell us how the support went (easy read)")
                    if easy_read
                    else _("How helpful was the support?")
                ),
            },
        )
    )


def feedback_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "referrals/public/feedback_thanks.jinja", {"page_title": _("Thank you")})
