"""The notification preferences page: how often, and how, each kind of message arrives;
and the endpoint GOV.UK Notify sends text messages' delivery receipts to."""

import hmac
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from linkwork.errors import InvalidInput
from linkwork.notifications.forms import PreferencesForm
from linkwork.notifications.models import FIXED_KINDS
from linkwork.notifications.preferences import (
    preferences_of,
    set_preferences,
    sms_available,
    sms_number_of,
)
from linkwork.notifications.texts import record_receipt
from linkwork.pages import put_errors


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """Anyone signed in chooses for themselves; safety messages are listed as fixed."""
    rows = preferences_of(request.user)
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        preferences=rows,
        sms=sms_available(),
        sms_number=sms_number_of(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            set_preferences(
                user=request.user,
                changes=form.changes(),
                sms_number=form.cleaned_data.get("sms_number") if form.sms else None,
                by=request.user,
            )
        except InvalidInput as error:
            put_errors(form, error)
        else:
            messages.success(request, "Your notification choices have been saved.")
            return redirect("notification-preferences")
    return render(
        request,
        "notifications/preferences.jinja",
        {
            "form": form,
            "fixed": [row for row in rows if row.kind in FIXED_KINDS],
            "page_title": ("Error: " if form.errors else "") + "How we contact you",
        },
    )


@csrf_exempt
@require_POST
def notify_callback(request: HttpRequest) -> JsonResponse:
    """GOV.UK Notify's delivery receipt for a text message. Notify sends the bearer
    token set in its callback settings (NOTIFY_CALLBACK_TOKEN): anything else is 401. A
    receipt for a message Linkwork did not send is 200 and ignored, so Notify does not
    keep retrying it; the same receipt twice changes nothing."""
    expected = settings.NOTIFY_CALLBACK_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if not (
        expected
        and scheme.lower() == "bearer"
        and hmac.compare_digest(given.strip().encode(), expected.encode())
    ):
        return JsonResponse({"detail": "A valid bearer token is required."}, status=401)
    try:
        receipt = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        receipt = None
    if not isinstance(receipt, dict):
        return JsonResponse({"detail": "The body must be a JSON object."}, status=400)
    try:
        message = record_receipt(receipt=receipt)
    except InvalidInput as error:
        return JsonResponse({"detail": "Invalid receipt.", "errors": error.errors}, status=400)
    if message is None:
        return JsonResponse({"result": "ignored"})
    return JsonResponse({"result": "recorded", "status": message.status})
