"""API shapes of /api/v1/funding. Money is a string of pounds and pence ("250.00") in
answers; in bodies a string ("250.00", "250") or a whole number of pounds, never a float."""

import datetime as dt
from typing import Annotated

from ninja import Field, Schema

from linkwork.paging import PageParams
from linkwork.schemas import MAX_LIST, Code, Input, Name, Note, QueryParams

Money = Annotated[
    Annotated[str, Field(max_length=20)] | int,
    Field(description='Pounds: "250.00" (or a whole number, 250).'),
]
Question = Annotated[str, Field(max_length=500)]
Short = Annotated[str, Field(max_length=200)]


class PriorityIn(Input):
    area_code: Annotated[str, Field(max_length=32)]
    category: Code


class RoundIn(Input):
    name: Name
    pot: Money
    max_award: Money
    opens: dt.date
    closes: dt.date
    priorities: list[PriorityIn] = Field(default_factory=list, max_length=20)
    questions: list[Question] = Field(..., max_length=MAX_LIST)
    panel_id: int | None = None
    funder_id: int | None = Field(None, description="Defaults to your own organisation.")
    guidance: Note = ""
    areas: list[Annotated[str, Field(max_length=32)]] = Field(
        default_factory=list, max_length=MAX_LIST
    )
    categories: list[Code] = Field(default_factory=list, max_length=MAX_LIST)
    size_bands: list[Code] = Field(default_factory=list, max_length=4)
    unconstituted_allowed: bool = True


class TransitionIn(Input):
    to: Code


class PriorityOut(Schema):
    id: int
    area_code: str
    area_name: str
    category: str
    category_name: str
    need: int | None
    score: float | None
    evidence: str


class RoundOut(Schema):
    id: int
    name: str
    status: str
    allowed_transitions: list[str]
    funder_id: int
    funder_name: str
    pot: str
    max_award: str
    awarded: str
    remaining: str
    paid: str
    applications: int
    opens: dt.date
    closes: dt.date
    guidance: str
    questions: list[str]
    priorities: list[PriorityOut]
    panel_id: int | None
    areas: list[str]
    categories: list[str]
    size_bands: list[str]
    unconstituted_allowed: bool
    public_url: str


class RoundParams(PageParams):
    status: Code | None = None


class ApplicationIn(Input):
    organization_id: int
    amount: Money
    purpose: Note
    priority: int | PriorityIn | None = Field(
        None, description='A priority id, or {"area_code", "category"} of one.'
    )
    answers: dict[Question, Note] = Field(default_factory=dict, max_length=6)
    size_band: Code = ""
    holding_organisation: Short = ""
    submit: bool = Field(True, description="false: save a draft to come back to.")


class LoadOut(Schema):
    referred: int | None
    started: int | None
    period: str
    suppressed: list[str]


class DecisionOut(Schema):
    decision: str
    amount: str | None
    reason: str
    decided_at: dt.datetime


class ScoreOut(Schema):
    member: str
    score: int
    comment: str


class ApplicationOut(Schema):
    id: int
    round_id: int
    organization_id: int
    organization_name: str
    status: str
    amount: str
    purpose: str
    priority: PriorityOut | None
    answers: dict[str, str]
    size_band: str
    holding_organisation: str
    submitted_at: dt.datetime | None
    load: LoadOut | None
    decision: DecisionOut | None
    grant_id: int | None
    paid: str
    conflicted: bool | None = Field(None, description="For panel members: may not score it.")
    your_score: int | None = None
    scores: list[ScoreOut] | None = Field(None, description="For the funder.")
    score_total: int | None = None


class ConflictIn(Input):
    reason: Note = ""


class ConflictOut(Schema):
    application_id: int
    conflicted: bool
    reason: str


class ScoreIn(Input):
    score: int = Field(..., ge=0, le=5)
    comment: Note = ""


class ScoreBack(Schema):
    application_id: int
    score: int
    comment: str


class DecisionIn(Input):
    decision: Code
    amount: Money | None = None
    reason: Note = ""


class DecisionBack(ApplicationOut):
    round_awarded: str
    round_remaining: str


class PaymentIn(Input):
    paid_on: dt.date
    amount: Money
    reference: Annotated[str, Field(min_length=1, max_length=100)]


class PaymentOut(Schema):
    id: int
    application_id: int
    organization_name: str
    paid_on: dt.date
    amount: str
    reference: str


class ReportIn(Input):
    what_happened: Note
    story: Note = ""
    story_consent: bool = False


class ReportOut(Schema):
    application_id: int
    what_happened: str
    story: str
    story_consent: bool


class TariffIn(Input):
    name: Name
    rate: Money
    starts: dt.date
    ends: dt.date | None = None
    size_bands: list[Code] = Field(default_factory=list, max_length=4)
    cap_per_quarter: Money | None = None
    pot: Money | None = None
    funder_id: int | None = None


class TariffOut(Schema):
    id: int
    name: str
    funder_id: int
    rate: str
    starts: dt.date
    ends: dt.date | None
    size_bands: list[str]
    cap_per_quarter: str | None
    pot: str | None


class StatementParams(PageParams):
    month: Annotated[str, Field(max_length=7, description="YYYY-MM; last month if left out.")] = ""


class StatementOut(Schema):
    id: int
    tariff_id: int
    tariff_name: str
    organization_id: int
    organization_name: str
    month: str
    people_started: int
    rate: str
    uncapped_amount: str
    amount_due: str
    capped: bool
    status: str
    approved_at: dt.datetime | None
    paid_at: dt.datetime | None
    paid_reference: str


class PaidIn(Input):
    reference: Annotated[str, Field(min_length=1, max_length=100)]


__all__ = ["QueryParams"]
