"""Directory pages: public search and asset pages; groups keeping their listings fresh;
the review queue. Views check permission, call a selector or service, and render."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from linkwork import paging
from linkwork.accounts.decorators import permission_required
from linkwork.accounts.permissions import has_permission
from linkwork.accounts.roles import Perm
from linkwork.directory import selectors, services
from linkwork.directory.forms import (
    CapacityForm,
    ClaimForm,
    ListingNoteForm,
    ReportForm,
    SearchForm,
)
from linkwork.directory.forms_review import ReviewFilterForm
from linkwork.directory.listing_notes import (
    add_listing_note,
    listing_notes,
    search_listing_notes,
)
from linkwork.directory.models import (
    ACCESSIBILITY_FEATURES,
    Asset,
    ListingClaim,
    ListingReport,
    Publication,
)
from linkwork.directory.review import REVIEW_LISTS, review_counts, review_lists
from linkwork.directory.schedules import next_dates
from linkwork.errors import Conflict, InvalidInput
from linkwork.pages import put_errors, refusal, safe_next
from linkwork.places.selectors import InvalidPostcode, UnknownPostcode, postcode_location
from linkwork.public_cache import public_page
from linkwork.words import within_to_km

PAGE_SIZE = 20


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return max(1, int(raw)) if raw.isdigit() else 1


@public_page
def directory_search(request: HttpRequest) -> HttpResponse:
    """Anyone can search; the list works without JavaScript, the map adds to it."""
    form = SearchForm(request.GET or None)
    page = None
    number = _page_number(request)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        point = None
        if data["postcode"]:
            try:
                point = postcode_location(data["postcode"])
            except (InvalidPostcode, UnknownPostcode) as error:
                form.add_error("postcode", str(error))
        if form.is_valid():
            page = selectors.search_assets(
                selectors.AssetFilters(
                    text=data["q"],
                    point=point,
                    within_km=within_to_km(data["within"]),
                    categories=[data["category"]] if data["category"] else [],
                    activity_types=[data["activity"]] if data["activity"] else [],
                    weekday=data["day"],
                    time_of_day=data["time_of_day"],
                    free_only=data["free_only"],
                    accessibility=data["accessibility"],
                    language=data["language"],
                    community=data["community"],
                    open_only=data["open_only"],
                ),
                offset=(number - 1) * PAGE_SIZE,
                limit=PAGE_SIZE,
            )
    if page:
        prefetch_related_objects(
            [r.asset for r in page.results], "asset_locations__location", "schedules"
        )
    dates_of = {
        r.asset.pk: next_dates(r.asset.schedules.all()) for r in (page.results if page else [])
    }
    markers = [
        {
            "name": result.asset.name,
            "url": reverse("asset-detail", args=[result.asset.pk]),
            "lat": location.location.latitude,
            "lng": location.location.longitude,
        }
        for result in (page.results if page else [])
        for location in result.asset.asset_locations.all()[:1]
        if location.location.latitude is not None
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directory/search.jinja",
        {
            "form": form,
            "page": page,
            "page_number": number,
            "page_size": PAGE_SIZE,
            "query": query.urlencode(),
            "markers_json": json.dumps(markers),
            "dates_of": dates_of,
            "tile_url": settings.MAP_TILE_URL,
            "page_title": gettext("Find community support"),
        },
    )


@public_page
def asset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    asset = selectors.asset_for_public(pk)
    editable = selectors.assets_editable_by(request.user).filter(pk=pk).exists()
    preview = asset is None and (editable or selectors.may_preview(request.user, pk))
    if preview:
        asset = selectors.asset_with_details(pk)
    if asset is None:
        raise Http404
    return render(
        request,
        "directory/asset.jinja",
        {
            "asset": asset,
            "editable": editable,
            "preview": preview,
            "next_dates": next_dates(asset.schedules.all()),
            "keeps_notes": has_permission(request.user, Perm.CASEWORK),
            "notes": listing_notes(asset=asset, viewer=request.user),
            "note_form": ListingNoteForm(),
            "can_verify": editable or has_permission(request.user, Perm.DIRECTORY_VERIFY),
            "can_report": has_permission(request.user, Perm.DIRECTORY_VERIFY),
            "can_claim": request.user.is_authenticated
            and not editable
            and not selectors.has_group_members(asset),
            "features": ACCESSIBILITY_FEATURES,
            "capacity_history": selectors.capacity_history(asset) if editable else [],
            "page_title": asset.name,
        },
    )


@public_page
def directory_this_week(request: HttpRequest) -> HttpResponse:
    """What's on in the next seven days, day by day, from every published listing."""
    days = selectors.sessions_this_week()
    return render(
        request,
        "directory/this_week.jinja",
        {"days": days, "page_title": gettext("What's on this week")},
    )


def _editable_or_404(request: HttpRequest, pk: int) -> Asset:
    asset = selectors.assets_editable_by(request.user).filter(pk=pk).first()
    if asset is None:
        raise Http404
    return asset


def _back(request: HttpRequest, default: str) -> HttpResponse:
    return redirect(safe_next(request, default))


@login_required
@require_POST
def asset_capacity(request: HttpRequest, pk: int) -> HttpResponse:
    """One click from the group's home: open, waiting list, full or paused."""
    asset = _editable_or_404(request, pk)
    form = CapacityForm(request.POST)
    if not form.is_valid():
        first = next(iter(form.errors.get("may_reopen_on", [])), None)
        messages.error(request, first or "Choose open, waiting list, full or paused.")
        return _back(request, reverse("home-group"))
    reopening = (
        {"may_reopen_on": form.cleaned_data["may_reopen_on"]}
        if "may_reopen_on" in request.POST
        else {}
    )
    try:
        services.set_capacity(
            asset=asset,
            status=form.cleaned_data["status"],
            places=form.cleaned_data["places"],
            by=request.user,
            **reopening,
        )
    except InvalidInput as error:
        messages.error(request, next(iter(error.errors.values())))
        return _back(request, reverse("home-group"))
    else:
        asset.refresh_from_db()
        if request.headers.get("HX-Request"):
            return render(request, "directory/_listing_row.jinja", {"asset": asset})
        messages.success(request, f"{asset.name}: {asset.get_capacity_status_display()}.")
    return _back(request, reverse("home-group"))


@login_required
@require_POST
def asset_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """ "This is still right", in one click."""
    editable = selectors.assets_editable_by(request.user).filter(pk=pk).first()
    if editable is None and not has_permission(request.user, Perm.DIRECTORY_VERIFY):
        raise Http404
    asset = editable or get_object_or_404(Asset, pk=pk)
    services.verify_asset(asset=asset, by=request.user)
    asset.refresh_from_db()
    if request.headers.get("HX-Request"):
        return render(request, "directory/_listing_row.jinja", {"asset": asset})
    messages.success(request, f"Thank you: {asset.name} is marked as checked today.")
    return _back(request, reverse("asset-detail", args=[asset.pk]))


@login_required
def asset_claim(request: HttpRequest, pk: int) -> HttpResponse:
    asset = selectors.asset_for_public(pk)
    if asset is None:
        raise Http404
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_listing(
                asset=asset, role_in_group=form.cleaned_data["role_in_group"], by=request.user
            )
        except Conflict as error:
            put_errors(form, error)
        else:
            messages.success(request, "Thank you. A link worker will confirm and let you know.")
            return redirect("asset-detail", pk=asset.pk)
    return render(
        request,
        "directory/claim.jinja",
        {"form": form, "asset": asset, "page_title": f"Manage {asset.name}"},
    )


@permission_required(Perm.DIRECTORY_VERIFY)
def asset_report(request: HttpRequest, pk: int) -> HttpResponse:
    asset = selectors.asset_for_public(pk)
    if asset is None:
        raise Http404
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_listing(asset=asset, by=request.user, **form.cleaned_data)
        messages.success(request, "Thank you. The group and the review queue have been told.")
        return redirect("asset-detail", pk=asset.pk)
    return render(
        request,
        "directory/report.jinja",
        {"form": form, "asset": asset, "page_title": f"Report a problem with {asset.name}"},
    )


@permission_required(Perm.DIRECTORY_VERIFY)
def review_queue(request: HttpRequest) -> HttpResponse:
    """Listings past due for checking first, then what waits for a decision: searched by
    listing name, one list or all, oldest or newest first; each list pages on its own
    parameter, keeping the others and the filters."""
    form = ReviewFilterForm(request.GET or None)
    show, sort = form.value("show"), form.value("sort", "oldest")
    lists = review_lists(q=form.value("q"), sort=sort)
    form.count(review_counts(lists))
    pages = {}
    for name, rows in lists.items():
        param = "page" if name == "listings" else f"{name}_page"
        page = paging.page_of(request, rows if show in ("", name) else rows.none(), param=param)
        pages[name] = {"page": page, "links": paging.pagination_links(request, page, param=param)}
    return render(
        request,
        "directory/review.jinja",
        {
            "form": form,
            "show": show,
            "titles": REVIEW_LISTS,
            "past_due": pages["past_due"]["page"].object_list,
            "pages": pages,
            "listings": pages["listings"]["page"].object_list,
            "claims": pages["claims"]["page"].object_list,
            "reports": pages["reports"]["page"].object_list,
            "can_decide_claims": has_permission(request.user, Perm.DIRECTORY_CURATE),
            "page_title": "Review queue",
        },
    )


@permission_required(Perm.DIRECTORY_VERIFY)
@require_POST
def review_listing(request: HttpRequest, pk: int) -> HttpResponse:
    asset = get_object_or_404(Asset, pk=pk, publication=Publication.IN_REVIEW)
    approve = request.POST.get("decision") == "publish"
    services.set_publication(
        asset=asset,
        to=Publication.PUBLISHED if approve else Publication.ARCHIVED,
        by=request.user,
    )
    messages.success(request, f"{asset.name}: {'published' if approve else 'not published'}.")
    return _back(request, reverse("directory-review"))


@permission_required(Perm.DIRECTORY_CURATE)
@require_POST
def review_claim(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(ListingClaim, pk=pk)
    try:
        services.decide_claim(
            claim=claim, approve=request.POST.get("decision") == "approve", by=request.user
        )
    except Conflict as error:
        messages.error(request, refusal(error))
    return _back(request, reverse("directory-review"))


@permission_required(Perm.DIRECTORY_VERIFY)
@require_POST
def resolve_report(request: HttpRequest, pk: int) -> HttpResponse:
    services.resolve_report(report=get_object_or_404(ListingReport, pk=pk), by=request.user)
    return _back(request, reverse("directory-review"))


@permission_required(Perm.CASEWORK)
def asset_note(request: HttpRequest, pk: int) -> HttpResponse:
    """A link worker adds a private visit or note (GET shows the form alone)."""
    asset = selectors.asset_for_public(pk)
    if asset is None and selectors.may_preview(request.user, pk):
        asset = selectors.asset_with_details(pk)
    if asset is None:
        raise Http404
    form = ListingNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            add_listing_note(asset=asset, by=request.user, **form.cleaned_data)
        except InvalidInput as error:
            put_errors(form, error)
        else:
            messages.success(
                request, "Your note is saved. Only your service's link workers see it."
            )
            return redirect(reverse("asset-detail", args=[pk]) + "#service-notes")
    return render(
        request,
        "directory/listing_note.jinja",
        {"form": form, "asset": asset, "page_title": f"Add a note on {asset.name}"},
    )


@permission_required(Perm.CASEWORK)
def listing_notes_search(request: HttpRequest) -> HttpResponse:
    """Search what your service's link workers know about groups."""
    text = request.GET.get("q", "")[:200]
    notes = search_listing_notes(text=text, viewer=request.user)[:100]
    return render(
        request,
        "directory/notes_search.jinja",
        {"notes": notes, "q": text, "page_title": "What our link workers know about groups"},
    )
