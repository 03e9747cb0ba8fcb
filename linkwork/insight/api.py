"""/api/v1/insight: de-identified, small-number-suppressed neighbourhood intelligence.

Only for roles with `insight.view` (community panel, commissioner). There is no
anonymous API route: the public neighbourhood pages call the same selectors and show
the same suppressed figures, so an open JSON copy would add exposure (bulk querying for
differencing) without adding anything a resident cannot already see.
"""

from django.http import HttpRequest
from ninja import Query, Router

from linkwork import paging
from linkwork.accounts.permissions import has_permission
from linkwork.accounts.roles import Perm
from linkwork.errors import Forbidden
from linkwork.insight import selectors
from linkwork.insight.schemas import GapOut, GapParams

router = Router(tags=["insight"])


@router.get(
    "/insight/gaps", response=paging.Page[GapOut], summary="Gaps: demand against supply, ranked"
)
def gaps(request: HttpRequest, params: Query[GapParams]) -> dict:
    """Every area × category where people asked for something in the period, biggest gap
    first, a page at a time (`rank` counts from the top of the whole list).
    score = IMD weight × (unmet + waitlisted + interests) ÷ (open sessions a week + 1).
    Counts of people are rounded to the nearest 5; 1–7 (and any figure that would let one
    be worked out) is null and named in `suppressed`."""
    if not has_permission(request.user, Perm.INSIGHT_VIEW):
        raise Forbidden()
    scope = selectors.insight_scope(
        level=params.level, period=params.period, area=params.area, category=params.category
    )
    rows, total = paging.window(selectors.gaps(scope, limit=params.limit), params)
    fields = [name for name in GapOut.model_fields if name not in ("rank", "suppressed")]
    items = [
        {
            "rank": rank,
            **{name: getattr(row, name) for name in fields},
            "suppressed": list(row.suppressed),
        }
        for rank, row in enumerate(rows, start=params.offset + 1)
    ]
    return paging.page_body(request, params, items, total)
