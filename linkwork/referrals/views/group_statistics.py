"""The "Your statistics" room of a group's home: its referrals by month and the feedback
it received, every count published through the suppression rules; and the same as CSV."""

import io

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from linkwork import csvsafe
from linkwork.accounts.decorators import permission_required
from linkwork.accounts.roles import Perm
from linkwork.audit.services import record_event
from linkwork.referrals.group_statistics import MEASURES, csv_rows, group_statistics


@permission_required(Perm.CONNECTION_RESPOND)
def statistics(request: HttpRequest) -> HttpResponse:
    """Referrals received, accepted, started and still coming, month by month."""
    figures = group_statistics(request.user)
    return render(
        request,
        "referrals/group/statistics.jinja",
        {
            "figures": figures,
            "measures": MEASURES,
            "threshold": figures.rule.threshold,
            "rounding": figures.rule.rounding,
            "page_title": "Your statistics",
        },
    )


@permission_required(Perm.CONNECTION_RESPOND)
def statistics_csv(request: HttpRequest) -> HttpResponse:
    """The same tables as CSV, audited as an aggregate export (no person in it)."""
    figures = group_statistics(request.user)
    out = io.StringIO()
    csvsafe.Writer(out).writerows(csv_rows(figures))
    record_event(
        by=request.user,
        action="group_statistics_exported",
        object_type="group_statistics",
        summary=f"aggregate export months={len(figures.months)}",
    )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"linkwork-your-statistics-{timezone.localdate():%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
