"""The case page's log: record a note, a phone call or a visit; close a referral whose
person could not be reached. Both are case actions on the one shape (`_action`)."""

from linkwork.referrals import services
from linkwork.referrals.forms_casework import CaseNoteForm, NoAnswerCloseForm
from linkwork.referrals.models import CaseNoteKind, Referral
from linkwork.referrals.views.casework.actions import _action
from linkwork.referrals.views.casework.pages import _detail_url

RECORDED = {
    CaseNoteKind.NOTE: "Note added.",
    CaseNoteKind.CALL_MADE: "Phone call recorded.",
    CaseNoteKind.NO_ANSWER: "Recorded: no answer.",
    CaseNoteKind.MESSAGE_LEFT: "Recorded: message left.",
    CaseNoteKind.VISIT: "Visit recorded.",
}


@_action("note", CaseNoteForm, back=True)
def add_case_note(request, referral: Referral, data: dict, *, form) -> tuple[str, str]:
    services.record_case_note(
        referral=referral,
        kind=data["kind"],
        text=data["text"],
        happened_at=form.happened_at(),
        by=request.user,
    )
    return RECORDED[data["kind"]], _detail_url(referral, "history")


@_action("no_answer", NoAnswerCloseForm, back=True)
def close_without_answer(request, referral: Referral, data: dict, *, form) -> tuple[str, str]:
    services.close_without_answer(referral=referral, summary=data["summary"], by=request.user)
    return (
        "Referral closed: they could not be reached. The referrer is told.",
        _detail_url(referral),
    )
