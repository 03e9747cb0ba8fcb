"""The person's social prescription, from one connection on the case page: a printable
A4 page, and sending it to them by email or text message when they agreed to that; and
their yes to a text the day before their first session."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_POST
from markupsafe import Markup

from linkwork.errors import InvalidInput
from linkwork.i18n import html_lang, language_for
from linkwork.referrals.prescription import (
    channels,
    easy_read,
    prescription_for,
    send_prescription,
)
from linkwork.referrals.services import agree_to_session_reminder
from linkwork.referrals.views.casework.pages import _case_connection, _detail_url, casework


class SendForm(forms.Form):
    channel = forms.ChoiceField(
        label="Send it to them by",
        choices=[("email", "Email"), ("text", "Text message")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose email or text message."},
    )


def _page(request: HttpRequest, pk: int, cid: int, form: SendForm) -> HttpResponse:
    referral, connection = _case_connection(request, pk, cid)
    easy = request.GET.get("format") == "easy-read"
    # The copy itself is in the person's language (Welsh when they chose it), as the
    # messages are; the link worker's controls around it stay in the page's.
    language = language_for(referral.person)
    with translation.override(language):
        prescription = prescription_for(connection)
        copy = render_to_string(
            f"referrals/casework/_prescription{'_easy_read' if easy else ''}_copy.jinja",
            {
                "p": prescription,
                "easy_read": easy_read(prescription) if easy else [],
                "lang": html_lang(language),
            },
            request=request,
        )
    return render(
        request,
        f"referrals/casework/prescription{'_easy_read' if easy else ''}.jinja",
        {
            "referral": referral,
            "person": referral.person,
            "p": prescription,
            "copy": Markup(copy),  # noqa: S704 (rendered by our own autoescaping template)
            "channels": channels(referral),
            "form": form,
            "back": _detail_url(referral, f"connection-{cid}"),
            "page_title": f"Social prescription: {connection.asset.name}",
        },
    )


@casework
def prescription(request: HttpRequest, pk: int, cid: int) -> HttpResponse:
    """The person's copy of the offer, to print (A4) or to send; `?format=easy-read`
    the same in easy read, to print."""
    return _page(request, pk, cid, SendForm())


@casework
@require_POST
def send(request: HttpRequest, pk: int, cid: int) -> HttpResponse:
    """Send it by the channel chosen; a refusal (no consent, no address) is named."""
    referral, connection = _case_connection(request, pk, cid)
    form = SendForm(request.POST)
    if form.is_valid():
        try:
            sent_by = send_prescription(
                connection=connection, channel=form.cleaned_data["channel"], by=request.user
            )
        except InvalidInput as error:
            form.add_error("channel", error.errors.get("channel", "It could not be sent."))
        else:
            messages.success(request, f"The social prescription was sent by {sent_by}.")
            return redirect(reverse("casework-prescription", args=[pk, cid]))
    return _page(request, pk, cid, form)


@casework
@require_POST
def session_reminder(request: HttpRequest, pk: int, cid: int) -> HttpResponse:
    """Record that the person wants a text the day before their first session."""
    referral, connection = _case_connection(request, pk, cid)
    try:
        agree_to_session_reminder(connection=connection, by=request.user)
    except InvalidInput as error:
        messages.error(request, error.errors.get("reminder", "The reminder was not set up."))
    else:
        messages.success(
            request,
            f"{referral.person.given_name} will get a text the day before their first session.",
        )
    return redirect(reverse("casework-prescription", args=[pk, cid]))
