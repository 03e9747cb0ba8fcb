"""Query parameters of the feed, parsed in one place: every problem is named, none guessed.

Bad input is a 422 naming each parameter (the project's API convention, DESIGN.md §9),
raised as `InvalidInput`. Parameters the feed does not know are ignored, as HTTP
APIs usually do; parameters it knows must be well formed.
"""

import math
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from django.http import QueryDict
from django.utils.dateparse import parse_date, parse_datetime

from linkwork.errors import InvalidInput
from linkwork.places.selectors import InvalidPostcode, Point, UnknownPostcode, postcode_location

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
TRUE, FALSE = {"true", "1"}, {"false", "0"}
# A "+01:00" offset sent unencoded arrives as " 01:00"; put the plus back.
SPACED_OFFSET = re.compile(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$")


@dataclass(frozen=True)
class Paging:
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class ServiceQuery:
    """Filters of /services and /service_at_locations (all optional, all combined)."""

    text: str = ""
    taxonomy_term_ids: list[uuid.UUID] = field(default_factory=list)
    taxonomy_ids: list[uuid.UUID] = field(default_factory=list)
    organization_ids: list[uuid.UUID] = field(default_factory=list)
    modified_after: datetime | None = None
    point: Point | None = None
    within_km: float | None = None
    full: bool = False


@dataclass(frozen=True)
class TermQuery:
    text: str = ""
    taxonomy_ids: list[uuid.UUID] = field(default_factory=list)
    parent_ids: list[uuid.UUID] = field(default_factory=list)
    top_only: bool = False


@dataclass(frozen=True)
class OrganisationQuery:
    text: str = ""
    full: bool = False
    full_service: bool = False


class _Reader:
    """Reads a query string, collecting problems so one response can name them all."""

    def __init__(self, query: QueryDict) -> None:
        self.query = query
        self.errors: dict[str, str] = {}

    def raw(self, name: str) -> str:
        return (self.query.get(name) or "").strip()

    def text(self, *names: str) -> str:
        return next((self.raw(name) for name in names if self.raw(name)), "")

    def integer(self, name: str, *, default: int, minimum: int, maximum: int | None = None) -> int:
        value = self.raw(name)
        if not value:
            return default
        if not re.fullmatch(r"[0-9]+", value):
            self.errors[name] = f"Must be a whole number, not {value!r}."
            return default
        number = int(value)
        if number < minimum or (maximum is not None and number > maximum):
            upper = f" and {maximum}" if maximum is not None else " or more"
            self.errors[name] = f"Must be between {minimum}{upper}; got {number}."
            return default
        return number

    def boolean(self, name: str) -> bool:
        value = self.raw(name).lower()
        if value and value not in TRUE | FALSE:
            self.errors[name] = f"Must be true or false, not {self.raw(name)!r}."
        return value in TRUE

    def ids(self, name: str) -> list[uuid.UUID]:
        """One or more ids, repeated (?x=a&x=b) or between commas (?x=a,b)."""
        values = [part.strip() for raw in self.query.getlist(name) for part in raw.split(",")]
        ids = []
        for value in filter(None, values):
            try:
                ids.append(uuid.UUID(value))
            except ValueError:
                self.errors[name] = f"{value!r} is not an id: ids in this feed are UUIDs."
        return ids

    def moment(self, name: str) -> datetime | None:
        value = SPACED_OFFSET.sub(r"\1+\2", self.raw(name))
        if not value:
            return None
        try:
            moment = parse_datetime(value)
            if moment is None and (day := parse_date(value)) is not None:
                moment = datetime.combine(day, time.min)
        except ValueError:
            moment = None
        if moment is None:
            self.errors[name] = (
                f"{value!r} is not an ISO 8601 date or date-time, "
                "such as 2025-01-31 or 2025-01-31T09:30:00Z."
            )
            return None
        # A time without an offset is read as UTC, which is what ORUK feeds publish.
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    def place(self) -> tuple[Point | None, float | None]:
        """`postcode`, and `proximity` in metres from its centroid (the spec's unit)."""
        postcode, proximity = self.raw("postcode"), self.raw("proximity")
        within_km = None
        if proximity:
            try:
                metres = float(proximity)
            except ValueError:
                metres = math.nan
            if not math.isfinite(metres) or metres <= 0:
                self.errors["proximity"] = (
                    f"Must be a distance in metres above 0, not {proximity!r}."
                )
            else:
                within_km = metres / 1000
            if not postcode:
                self.errors["proximity"] = "Give a postcode to measure the proximity from."
        if not postcode:
            return None, None
        try:
            point = postcode_location(postcode)
        except (InvalidPostcode, UnknownPostcode) as error:
            self.errors["postcode"] = str(error)
            return None, None
        return point, within_km

    def paging(self) -> Paging:
        fmt = self.raw("format").lower()
        if fmt and fmt != "json":
            self.errors["format"] = f"Only json is offered, not {fmt!r}."
        return Paging(
            page=self.integer("page", default=1, minimum=1),
            per_page=self.integer(
                "per_page", default=DEFAULT_PER_PAGE, minimum=1, maximum=MAX_PER_PAGE
            ),
        )

    def check(self) -> None:
        if self.errors:
            raise InvalidInput(self.errors)


def services(query: QueryDict) -> tuple[ServiceQuery, Paging]:
    """/services and /service_at_locations. The spec calls free text `search`; DESIGN.md
    calls it `text`: both are read."""
    reader = _Reader(query)
    point, within_km = reader.place()
    service_query = ServiceQuery(
        text=reader.text("text", "search"),
        taxonomy_term_ids=reader.ids("taxonomy_term_id"),
        taxonomy_ids=reader.ids("taxonomy_id"),
        organization_ids=reader.ids("organization_id"),
        modified_after=reader.moment("modified_after"),
        point=point,
        within_km=within_km,
        full=reader.boolean("full"),
    )
    paging = reader.paging()
    reader.check()
    return service_query, paging


def organisations(query: QueryDict) -> tuple[OrganisationQuery, Paging]:
    reader = _Reader(query)
    organisation_query = OrganisationQuery(
        text=reader.text("search", "text"),
        full=reader.boolean("full"),
        full_service=reader.boolean("full_service"),
    )
    paging = reader.paging()
    reader.check()
    return organisation_query, paging


def organisation_detail(query: QueryDict) -> bool:
    """Whether /organizations/{id} should nest its services in full (`full_service`)."""
    reader = _Reader(query)
    full_service = reader.boolean("full_service")
    reader.check()
    return full_service


def taxonomies(query: QueryDict) -> tuple[str, Paging]:
    reader = _Reader(query)
    text = reader.text("search", "text")
    paging = reader.paging()
    reader.check()
    return text, paging


def taxonomy_terms(query: QueryDict) -> tuple[TermQuery, Paging]:
    reader = _Reader(query)
    term_query = TermQuery(
        text=reader.text("search", "text"),
        taxonomy_ids=reader.ids("taxonomy_id"),
        parent_ids=reader.ids("parent_id"),
        top_only=reader.boolean("top_only"),
    )
    paging = reader.paging()
    reader.check()
    return term_query, paging
