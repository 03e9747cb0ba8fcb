"""The case page's log: record a note, a phone call or a visit; close a referral whose
person could not be reached."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from linkwork.errors import Conflict, InvalidInput
from linkwork.referrals import services
from linkwork.referrals.forms_casework import CaseNoteForm, NoAnswerCloseForm
from linkwork.referrals.models import CaseNoteKind
from linkwork.referrals.views.casework.pages import (
    _back,
    _case,
    _detail_url,
    _invalid,
    _refused,
    casework,
)

RECORDED = {
    CaseNoteKind.NOTE: "Note added.",
    CaseNoteKind.CALL_MADE: "Phone call recorded.",
    CaseNoteKind.NO_ANSWER: "Recorded: no answer.",
    CaseNoteKind.MESSAGE_LEFT: "Recorded: message left.",
    CaseNoteKind.VISIT: "Visit recorded.",
}


@casework
@require_POST
def add_case_note(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _case(request, pk)
    form = CaseNoteForm(request.POST, auto_id="note-%s")
    if not form.is_valid():
        return _invalid(request, referral, "note", form)
    try:
        services.record_case_note(
            referral=referral,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            happened_at=form.happened_at(),
            by=request.user,
        )
    except InvalidInput as error:
        if "happened_at" in error.errors:
            error.errors["happened_on"] = error.errors.pop("happened_at")
        return _refused(request, referral, "note", form, error)
    messages.success(request, RECORDED[form.cleaned_data["kind"]])
    return _back(request, _detail_url(referral, "history"))


@casework
@require_POST
def close_without_answer(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _case(request, pk)
    form = NoAnswerCloseForm(request.POST, auto_id="no-answer-%s")
    if not form.is_valid():
        return _invalid(request, referral, "no_answer", form)
    try:
        services.close_without_answer(
            referral=referral, summary=form.cleaned_data["summary"], by=request.user
        )
    except (InvalidInput, Conflict) as error:
        return _refused(request, referral, "no_answer", form, error)
    messages.success(request, "Referral closed: they could not be reached. The referrer is told.")
    return _back(request, _detail_url(referral))
