"""/api/v1 bodies of the community app: panel decisions, closing an interest."""

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema

from linkwork.paging import PageParams
from linkwork.schemas import Input


class PanelRef(Schema):
    id: int
    name: str


class MeetingRef(Schema):
    id: int
    title: str
    held_on: dt.date


class AreaRef(Schema):
    code: str
    name: str


class PriorityRef(Schema):
    id: int
    title: str


class EvidenceOut(Schema):
    kind: str = Field(..., description="gap | emerging_group | evaluation | funding_round")
    kind_label: str
    reference: str = Field(..., description="What it was about, e.g. area code/category.")
    title: str
    figures: dict[str, Any] = Field(
        ..., description="Published figures as they were: a withheld count is null."
    )
    suppressed: list[str] = Field(..., description="Figures withheld (null in `figures`).")
    summary: str
    captured_at: dt.datetime


class DecisionOut(Schema):
    id: int
    title: str
    decision: str
    decided_on: dt.date
    panel: PanelRef
    meeting: MeetingRef
    neighbourhood: AreaRef | None
    priority: PriorityRef | None
    evidence: list[EvidenceOut]


class DecisionParams(PageParams):
    pass


class InterestCloseIn(Input):
    reason: Annotated[str, Field(min_length=1, max_length=200)]
    # A listing that answers the interest: the person is sent it (by their channel).
    asset_id: int | None = None


class InterestClosedOut(Schema):
    id: int
    status: str
    closed_reason: str
    closed_at: dt.datetime | None
    asset_id: int | None
    person_told: bool = Field(..., description="Whether the person was sent a message.")
