"""The review queue as a work list: what waits for a link worker or panel (listings past
due for checking, new listings, requests to manage a listing, reported problems),
searched by the listing's name, filtered to one list and ordered oldest or newest
first, all from the URL.

Listings past due for checking come first: they are the queue's overdue work (search
already marks them out of date, and `send-reminders` tells reviewers about them).
Oldest first means the longest waiting, or for a listing past due the longest since it
was last checked (never checked before any)."""

from django.db.models import F, Q, QuerySet

from linkwork.directory.models import Asset
from linkwork.directory.selectors import published_assets, review_queue, stale_before

MAX_NAME_SEARCH = 100
REVIEW_LISTS = {
    "past_due": "Listings past due for checking",
    "listings": "New listings and suggestions",
    "claims": "Requests to manage a listing",
    "reports": "Reported problems",
}
REVIEW_SORTS = {"oldest": "Oldest first", "newest": "Newest first"}
# The field each list waits by; past due listings by when they were last checked.
_WAITING_SINCE = {"listings": "created_at", "claims": "created_at", "reports": "created_at"}
_NAME = {"past_due": "name", "listings": "name", "claims": "asset__name", "reports": "asset__name"}


def past_due_for_checking() -> QuerySet[Asset]:
    """Published listings not checked within LISTING_STALE_AFTER_DAYS (or never)."""
    stale = stale_before()
    return published_assets().filter(
        Q(last_verified_at__lt=stale) | Q(last_verified_at__isnull=True)
    )


def review_lists(*, q: str = "", sort: str = "oldest") -> dict[str, QuerySet]:
    """Each list of the queue, narrowed to listings whose name holds `q` and ordered."""
    lists = {"past_due": past_due_for_checking(), **review_queue()}
    q = " ".join(q.split())[:MAX_NAME_SEARCH]
    newest = sort == "newest"
    narrowed = {}
    for name, rows in lists.items():
        if q:
            rows = rows.filter(**{f"{_NAME[name]}__icontains": q})
        narrowed[name] = rows.order_by(*_order(name, newest))
    return narrowed


def _order(name: str, newest: bool) -> list:
    if name == "past_due":
        checked = F("last_verified_at")
        first = checked.desc(nulls_last=True) if newest else checked.asc(nulls_first=True)
        return [first, "-pk" if newest else "pk"]
    field = _WAITING_SINCE[name]
    return [f"-{field}", "-pk"] if newest else [field, "pk"]


def review_counts(lists: dict[str, QuerySet]) -> dict[str, int]:
    """How many wait in each list (of the search, if any), and in all of them."""
    counts = {name: rows.count() for name, rows in lists.items()}
    return {"": sum(counts.values()), **counts}
