"""/api/v1/referrals/{id}/notes: the case's log (notes, phone calls, visits) for the
service's link workers; everyone else gets a 404. Reading the log is an audited read
of the person's record; the audit line never holds what a note says."""

from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from linkwork import paging
from linkwork.audit.services import record_event
from linkwork.paging import Page, PageParams
from linkwork.referrals import selectors, services
from linkwork.referrals.models import CaseNote, Referral
from linkwork.referrals.schemas import CaseNoteIn, CaseNoteOut

router = Router(tags=["referrals"])


def _case(request: HttpRequest, referral_id: int) -> Referral:
    referral = selectors.referral_for(request.user, referral_id)
    if not selectors.is_case_worker(request.user, referral):
        raise Http404  # a referrer never learns the case has a log
    return referral


def note_out(note: CaseNote) -> dict:
    return {
        "id": note.pk,
        "kind": note.kind,
        "kind_label": note.get_kind_display(),
        "text": note.text,
        "happened_at": note.happened_at,
        "recorded_at": note.recorded_at,
        "by": note.by.email if note.by else None,
    }


@router.get("/referrals/{referral_id}/notes", response=Page[CaseNoteOut], summary="The case's log")
def list_notes(request: HttpRequest, referral_id: int, params: Query[PageParams]) -> dict:
    """Newest first, a page at a time."""
    referral = _case(request, referral_id)
    notes = referral.case_notes.select_related("by").order_by("-happened_at", "-id")
    rows, total = paging.window(notes, params)
    record_event(
        by=request.user,
        action="case_notes_viewed",
        object_type="referral",
        object_id=referral.pk,
        summary=f"n={len(rows)}",
    )
    return paging.page_body(request, params, [note_out(n) for n in rows], total)


@router.post(
    "/referrals/{referral_id}/notes",
    response={201: CaseNoteOut},
    summary="Add a note, phone call or visit",
)
def create_note(request: HttpRequest, referral_id: int, payload: CaseNoteIn) -> Status:
    referral = _case(request, referral_id)
    note = services.record_case_note(
        referral=referral,
        kind=payload.kind,
        text=payload.text,
        happened_at=payload.happened_at,
        by=request.user,
    )
    body = note_out(note) | {"unanswered_attempts": services.unanswered_attempts(referral)}
    return Status(201, body)
