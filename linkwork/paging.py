"""Every list of /api/v1 pages the same way (DESIGN.md §9): `?page=&per_page=` (default 50,
at most 200) and a body `{"items", "total", "page", "per_page", "next"}`, where `next` is
the root-relative URL of the following page with the other query parameters kept, or
null on the last page. Nothing is silently cut short: the last row is always reachable.

Pages of long lists (the triage queue, caseload, group inbox, review queue, audit log)
page the same way with `page_of()` and NHS.UK pagination links from `pagination_links()`.

A list route takes `Query[...]` of a schema that extends `PageParams`, answers with
`Page[ItemSchema]`, and builds its body with `window()` then `page_body()`, so it can
audit or shape exactly the rows it returns.
"""

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from django.core.paginator import Page as DjangoPage
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema

from linkwork.schemas import QueryParams

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_PAGE = 1_000_000

Item = TypeVar("Item")


class PageParams(QueryParams):
    # The bound keeps the offset a number every database can take.
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Pages start at 1.")
    per_page: int = Field(
        DEFAULT_PER_PAGE, ge=1, le=MAX_PER_PAGE, description=f"At most {MAX_PER_PAGE}."
    )

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


class Page(Schema, Generic[Item]):
    """One page of a list."""

    items: list[Item]
    total: int = Field(..., description="Rows in the whole list, on every page.")
    page: int
    per_page: int
    next: str | None = Field(..., description="The next page's URL, or null on the last.")


def window(rows: QuerySet | Sequence, params: PageParams) -> tuple[list, int]:
    """The rows of the requested page, and how many rows the whole list has."""
    if isinstance(rows, QuerySet):
        rows = _stably_ordered(rows)
        total = rows.count()
    else:
        total = len(rows)
    return list(rows[params.offset : params.offset + params.per_page]), total


def _stably_ordered(rows: QuerySet) -> QuerySet:
    # Rows that tie on the ordering (same received_at) must not move between pages.
    ordering = list(rows.query.order_by or rows.model._meta.ordering or [])
    if not {"pk", "-pk", "id", "-id"} & {str(field) for field in ordering}:
        ordering.append("pk")
    return rows.order_by(*ordering)


def page_body(
    request: HttpRequest, params: PageParams, items: list[Any], total: int
) -> dict[str, Any]:
    more = params.offset + len(items) < total and len(items) == params.per_page
    return {
        "items": items,
        "total": total,
        "page": params.page,
        "per_page": params.per_page,
        "next": _url_of_page(request, params.page + 1) if more else None,
    }


def _url_of_page(request: HttpRequest, page: int) -> str:
    return request.path + _with(request, "page", page)


# --- Pages (HTML) ------------------------------------------------------------------------


def page_of(
    request: HttpRequest,
    rows: QuerySet | Sequence,
    *,
    param: str = "page",
    per_page: int = DEFAULT_PER_PAGE,
) -> DjangoPage:
    """The page of `rows` named by `?<param>=` (a bad or missing number is the first page,
    past the end the last), DEFAULT_PER_PAGE (or `per_page`) at a time."""
    return Paginator(rows, per_page).get_page(request.GET.get(param))


def pagination_links(
    request: HttpRequest,
    page: DjangoPage,
    *,
    param: str = "page",
    previous: str = "Previous",
    later: str = "Next",
) -> dict[str, dict[str, str]]:
    """The NHS.UK `pagination` macro's links for `page`, keeping every other parameter in
    the URL (the page's filters, another list's page)."""
    links = {}
    if page.has_previous():
        links["previous"] = {
            "href": _with(request, param, page.previous_page_number()),
            "labelText": previous,
        }
    if page.has_next():
        links["next"] = {"href": _with(request, param, page.next_page_number()), "labelText": later}
    return links


def _with(request: HttpRequest, param: str, number: int) -> str:
    query = request.GET.copy()
    query[param] = str(number)
    return f"?{query.urlencode()}"
