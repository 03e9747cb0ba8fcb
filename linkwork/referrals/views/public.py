"""The public self-referral form: no account, a honeypot and a rate limit per address."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from linkwork.errors import InvalidInput
from linkwork.referrals import services, throttle
from linkwork.referrals.forms_referrer import SelfReferralForm
from linkwork.referrals.views.referrer import services_to_choose


def self_referral(request: HttpRequest) -> HttpResponse:
    choices = services_to_choose(None)
    form = SelfReferralForm(
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
                    {"page_title": "Please try again later"},
                    status=429,
                )
            try:
                # Nobody signs in to refer themselves: no referrer, whoever is signed in.
                services.create_referral(**form.referral(), by=None)
            except InvalidInput as error:
                form.apply_errors(error)
            else:
                return redirect("self-referral-sent")
    return render(
        request,
        "referrals/public/form.jinja",
        {
            "form": form,
            "unavailable": choices is None,
            "page_title": ("Error: " if form.errors else "") + "Refer yourself",
        },
    )


def self_referral_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "referrals/public/sent.jinja",
        {
            "working_days": settings.FIRST_CONTACT_WORKING_DAYS,
            "page_title": "Your request has been sent",
        },
    )
