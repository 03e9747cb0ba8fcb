"""The audit log page: administrators only."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from linkwork.accounts.decorators import permission_required
from linkwork.accounts.roles import Perm
from linkwork.audit.forms import AuditFilterForm
from linkwork.audit.selectors import audit_events, audit_filter_counts
from linkwork.audit.words import describe

PAGE_SIZE = 50


@permission_required(Perm.AUDIT_VIEW)
def audit_event_list(request: HttpRequest) -> HttpResponse:
    """Newest first, filtered from the URL; each action and object type with its count
    under the other filters."""
    everything = audit_filter_counts()
    form = AuditFilterForm(
        request.GET or None,
        actions=sorted(everything["actions"]),
        object_types=sorted(everything["object_types"]),
    )
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = {key: value for key, value in filters.items() if value}
    form.count(audit_filter_counts(**filters) if filters else everything)
    events = audit_events(**filters)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/events.jinja",
        {
            "form": form,
            "page": page,
            "described": describe(list(page.object_list)),
            "query": query.urlencode(),
            "page_title": "Audit log",
        },
    )
