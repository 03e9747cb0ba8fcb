"""The notification preferences page: how often, and how, each kind of message arrives."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from linkwork.errors import InvalidInput
from linkwork.notifications.forms import PreferencesForm
from linkwork.notifications.models import FIXED_KINDS
from linkwork.notifications.preferences import (
    preferences_of,
    set_preferences,
    sms_available,
    sms_number_of,
)


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
            form.apply_errors(error)
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
