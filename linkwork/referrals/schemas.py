"""API shapes for casework (DESIGN.md §9)."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from linkwork.paging import PageParams
from linkwork.schemas import MAX_CODE, MAX_LIST, Code, Input, Note, PersonName

SourceIn = Literal[
    "gp",
    "nurse",
    "pharmacy",
    "mental_health",
    "secondary_care",
    "social_care",
    "housing",
    "vcfse",
    "self",
    "other",
]


class PersonIn(Input):
    given_name: PersonName
    family_name: PersonName
    birth_date: date
    postcode: str = Field(..., min_length=1, max_length=10)
    nhs_number: str = Field("", max_length=12)  # ten digits, perhaps spaced 3-3-4
    phone: str = Field("", max_length=32)
    email: str = Field("", max_length=254)
    language: str = Field("en", min_length=2, max_length=3)
    preferred_contact_method: Literal["phone", "text", "email", "letter"] = "phone"
    interpreter_needed: bool = False
    access_needs: Note = ""
    gp_practice: str = Field("", max_length=200)


class ConsentIn(Input):
    to_refer: bool
    share_with_groups: bool = False
    contact_methods: list[Literal["phone", "text", "email", "letter"]] = Field([], max_length=4)


class ReferralIn(Input):
    person: PersonIn
    source: SourceIn
    reasons: list[Code] = Field(..., max_length=MAX_LIST)
    consent: ConsentIn
    urgency: Literal["routine", "soon", "urgent"] = "routine"
    notes: Note = ""
    service_id: int | None = None


SEARCH_DESCRIPTION = "A name, NHS number, reference (first 8 characters) or postcode."
CONNECTION_SEARCH_DESCRIPTION = (
    f"{SEARCH_DESCRIPTION} A group searches only what it is shown: the first name the "
    "person agreed to share, or the connection's id."
)


class ReferralListParams(PageParams):
    status: str = Field("", max_length=MAX_CODE)
    q: str = Field("", max_length=100, description=SEARCH_DESCRIPTION)


class ReferralCreated(Schema):
    id: int
    reference: str
    status: str
    status_text: str


class EventOut(Schema):
    from_status: str
    to_status: str
    reason: str
    at: datetime


class PossibleDuplicateOut(Schema):
    person_id: int
    referral_ids: list[int]


class ReferralOut(Schema):
    id: int
    # The reference quoted in emails and on pages; the status as a sentence.
    reference: str
    status: str
    status_text: str
    source: str
    urgency: str
    reasons: list[str]
    received_at: datetime
    first_contact_due: date
    service_id: int
    history: list[EventOut]
    closure: dict | None = None
    # Case detail: only for the service's link workers, never for referrers.
    person: dict | None = None
    eligibility_flags: list[str] | None = None
    assigned_to: str | None = None
    # The person's feedback at closure: the link's state, the rating and the comment.
    person_feedback: dict | None = None
    # Case workers: the person's record, and records that may be the same person.
    person_id: int | None = None
    possible_duplicates: list[PossibleDuplicateOut] | None = None


class TransitionIn(Input):
    to: Code
    reason: Note = ""
    summary: Note = ""


class ConnectionIn(Input):
    service_id: int
    share: list[Code] = Field([], max_length=MAX_LIST)
    accompanied: bool = False
    first_session: str = Field("", max_length=200)
    # A short note for the group ("anxious in crowds"), shared only when "background_needs"
    # is in `share` (and the person consented to share with groups).
    background_needs: str = Field("", max_length=500)


class ConnectionListParams(PageParams):
    status: str = Field("", max_length=MAX_CODE)
    q: str = Field("", max_length=100, description=CONNECTION_SEARCH_DESCRIPTION)


class ConnectionOut(Schema):
    id: int
    status: str
    service_id: int
    service_name: str
    referral_id: int | None = None
    shared: dict[str, str]
    instructions: str = ""
    response_due: date | None = None
    alternatives: list[dict] | None = None


class UnmetNeedIn(Input):
    category: Code
    reason: Code
    notes: Note = ""


class UnmetNeedOut(Schema):
    id: int
    category: str
    reason: str
    area_code: str | None


class ConversationIn(Input):
    what_matters: Note
    strengths: Note = ""
    # Need code → what the person said about it, in their words.
    needs: dict[Code, Note] = Field({}, max_length=MAX_LIST)
    barriers: Note = ""


class ConversationOut(Schema):
    id: int
    referral_status: str
    recorded_at: datetime


class PlanIn(Input):
    goals: list[Note] = Field(..., max_length=MAX_LIST)


class PlanOut(Schema):
    goals: list[str]
    agreed_at: datetime


class FollowUpOut(Schema):
    """A review, without the person: open the referral to see who it is about."""

    id: int
    referral_id: int
    kind: str
    due_on: date
    connection_id: int | None = None
    service_name: str | None = None
    completed_at: datetime | None = None
    outcome: str = ""
    # pending, done (someone did it: completed_at and outcome) or cancelled (the referral
    # ended first: cancelled_at and cancelled_reason closed, declined or returned).
    status: Literal["pending", "done", "cancelled"] = "pending"
    cancelled_at: datetime | None = None
    cancelled_reason: str = ""


class FollowUpDoneIn(Input):
    outcome: Note


class FollowUpListParams(PageParams):
    due_by: date | None = None
    q: str = Field("", max_length=100, description=SEARCH_DESCRIPTION)


class MergeIn(Input):
    # The record that stays: this person's referrals move to it.
    into: int


class NotDuplicateIn(Input):
    of: int


class MergeOut(Schema):
    merge_id: int
    person_id: int
    merged_person_id: int
    referral_ids: list[int]
    changed: list[str]
    at: datetime
    undone_at: datetime | None = None


class NotDuplicateOut(Schema):
    person_id: int
    of: int
    recorded_at: datetime


CaseNoteKindIn = Literal["note", "call_made", "no_answer", "message_left", "visit"]


class CaseNoteIn(Input):
    kind: CaseNoteKindIn
    text: str = Field("", max_length=2000)
    happened_at: datetime | None = Field(None, description="When it happened; default now.")


class CaseNoteOut(Schema):
    id: int
    kind: str
    kind_label: str
    text: str
    happened_at: datetime
    recorded_at: datetime
    by: str | None
    unanswered_attempts: int | None = Field(
        None, description="On a new note: attempts in a row that have not reached the person."
    )
