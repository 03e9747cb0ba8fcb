"""API shapes for outcomes (DESIGN.md §9)."""

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from linkwork.paging import PageParams
from linkwork.schemas import Code, Input


class ScoreIn(Input):
    # Any: booleans, floats and strings reach the scorer, which names the bad item.
    answers: Any


class ScoreOut(Schema):
    instrument: str
    raw: Any
    score: Any
    band: Any = None


class ResponseIn(Input):
    instrument: Code
    timepoint: Literal["baseline", "follow_up", "closure"]
    # In item order; null for an item not answered (stored as incomplete). Required: null
    # for the whole list is not "absent".
    answers: Any = Field(...)
    completed_on: dt.date | None = None  # the day the person answered; default today


class ResponseOut(Schema):
    id: int
    instrument: str
    timepoint: str
    completed_on: dt.date
    complete: bool
    answers: list[Any]
    raw: Any
    score: Any
    band: Any = None
    by_person: bool


class ResponseListParams(PageParams):
    pass
