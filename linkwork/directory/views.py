"""Directory pages: public search and asset pages; groups keeping their listings fresh;
the review queue. Views check permission, call a selector or service, and render."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from linkwork import paging
from linkwork.accounts.decorators import permission_required
from linkwork.accounts.permissions import has_permission
from linkwork.accounts.roles import Perm
from linkwork.directory import listing_edit, selectors, services
from linkwork.directory.forms import (
    CapacityForm,
    ClaimForm,
    ListingForm,
    ListingNoteForm,
    ReportForm,
    SearchForm,
)
from linkwork.directory.listing_forms import (
    FirstSessionFormSet,
    ListingDetailsForm,
    SessionFormSet,
    details_initial,
    session_initial,
)
from linkwork.directory.listing_notes import (
    add_listing_note,
    listing_notes,
    search_listing_notes,
)
from linkwork.directory.models import (
    ACCESSIBILITY_FEATURES,
    Asset,
    CostOption,
    ListingClaim,
    ListingReport,
    Publication,
    Schedule,
)
from linkwork.directory.schedules import clean_session, in_words, next_dates
from linkwork.errors import Conflict, InvalidInput
from linkwork.places.selectors import InvalidPostcode, UnknownPostcode, postcode_point
from linkwork.words import within_to_km

PAGE_SIZE = 20


def _apply_domain_errors(form, error: InvalidInput) -> None:
    for field, message in error.errors.items():
        form.add_error(field if field in form.fields else None, message)


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return max(1, int(raw)) if raw.isdigit() else 1


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
                _, point, _ = postcode_point(data["postcode"])
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
            "page_title": "Find community support",
        },
    )


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


def directory_this_week(request: HttpRequest) -> HttpResponse:
    """What's on in the next seven days, day by day, from every published listing."""
    days = selectors.sessions_this_week()
    return render(
        request,
        "directory/this_week.jinja",
        {"days": days, "page_title": "What's on this week"},
    )


def _editable_or_404(request: HttpRequest, pk: int) -> Asset:
    asset = selectors.assets_editable_by(request.user).filter(pk=pk).first()
    if asset is None:
        raise Http404
    return asset


@login_required
def asset_new(request: HttpRequest) -> HttpResponse:
    """Groups add their own listings (published); residents suggest (reviewed first)."""
    organisations = selectors.organisations_for_new_listing(request.user)
    curator = has_permission(request.user, Perm.DIRECTORY_CURATE)
    if not (organisations or curator or has_permission(request.user, Perm.DIRECTORY_SUGGEST)):
        raise PermissionDenied
    form = ListingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = organisations[0] if organisations else None
        publish = curator or organisation is not None
        try:
            asset = services.create_asset(
                organisation=organisation,
                publication=Publication.PUBLISHED if publish else Publication.IN_REVIEW,
                by=request.user,
                **data,
            )
        except InvalidInput as error:
            _apply_domain_errors(form, error)
        else:
            messages.success(
                request,
                "Your listing is published."
                if publish
                else "Thank you. A link worker will check your suggestion before it is published.",
            )
            return redirect("asset-detail", pk=asset.pk) if publish else redirect("directory")
    return render(
        request,
        "directory/listing_form.jinja",
        {"form": form, "asset": None, "page_title": "Add a listing"},
    )


DRAFT_KEY = "listing-draft-{pk}"


def _listing_forms(request: HttpRequest, asset: Asset, data=None):
    """The sectioned form: details and session rows, bound to `data` when given."""
    details = ListingDetailsForm(data, initial=details_initial(asset))
    initial = session_initial(asset)
    formset = SessionFormSet if initial else FirstSessionFormSet
    sessions = formset(data, initial=initial, prefix="sessions")
    return details, sessions


def _with_added_row(post) -> dict:
    data = post.copy()
    data["sessions-TOTAL_FORMS"] = str(int(post.get("sessions-TOTAL_FORMS", "0")) + 1)
    return data


@login_required
def asset_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Every section of a listing on one page; "Continue" goes to check your answers."""
    asset = _editable_or_404(request, pk)
    key = DRAFT_KEY.format(pk=pk)
    data = None
    if request.method == "POST":
        data = _with_added_row(request.POST) if "add_session" in request.POST else request.POST
    elif request.GET.get("draft") and key in request.session:
        data = request.session[key]
    details, sessions = _listing_forms(request, asset, data)
    saving = request.method == "POST" and "add_session" not in request.POST
    if saving and details.is_valid() and sessions.is_valid():
        request.session[key] = {k: request.POST.getlist(k) for k in request.POST}
        return redirect("asset-edit-check", pk=pk)
    return render(
        request,
        "directory/listing_edit.jinja",
        {
            "details": details,
            "sessions": sessions,
            "asset": asset,
            "added": "add_session" in request.POST,
            "page_title": f"Change {asset.name}",
        },
    )


def _draft(request: HttpRequest, asset: Asset):
    stored = request.session.get(DRAFT_KEY.format(pk=asset.pk))
    if stored is None:
        return None
    query = QueryDict(mutable=True)
    for key, values in stored.items():
        query.setlist(key, values)
    details, sessions = _listing_forms(request, asset, query)
    return (details, sessions) if details.is_valid() and sessions.is_valid() else None


def _session_words(forms: list) -> list[str]:
    words = []
    for form in forms:
        for row in clean_session(form.as_hsds(), field="s")[0]:
            note = f": {row['description']}" if row["description"] else ""
            words.append(in_words(Schedule(**row)) + note)
    return words


@login_required
def asset_edit_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Check your answers, then save everything at once."""
    asset = _editable_or_404(request, pk)
    draft = _draft(request, asset)
    if draft is None:
        return redirect("asset-edit", pk=pk)
    details, sessions = draft
    rows = [form for form in sessions.forms if form.has_changed() or form.initial]
    kept = [form for form in rows if not form.cleaned_data.get("DELETE") and form.cleaned_data]
    errors = {}
    if request.method == "POST":
        try:
            listing_edit.update_listing(
                asset=asset,
                by=request.user,
                schedules=[form.as_hsds() for form in kept],
                cost_options=details.cost_options(),
                **details.details(),
            )
        except InvalidInput as error:
            errors = error.errors
        else:
            del request.session[DRAFT_KEY.format(pk=pk)]
            messages.success(request, "Your changes are saved.")
            return redirect("asset-detail", pk=pk)
    return render(
        request,
        "directory/listing_check.jinja",
        {
            "asset": asset,
            "details": details,
            "data": details.cleaned_data,
            "session_words": _session_words(kept),
            "cost_words": [
                listing_edit.cost_in_words(CostOption(**row))
                for row in listing_edit.clean_cost_options(details.cost_options())[0]
            ],
            "errors": errors,
            "features": ACCESSIBILITY_FEATURES,
            "page_title": f"Check your answers: {asset.name}",
        },
    )


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next") or default
    # Only go back to our own pages.
    return redirect(target if target.startswith("/") and not target.startswith("//") else default)


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
            form.add_error(None, str(error))
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
    """Each of the three lists pages on its own parameter, keeping the others."""
    pages = {}
    for name, rows in selectors.review_queue().items():
        param = "page" if name == "listings" else f"{name}_page"
        page = paging.page_of(request, rows, param=param)
        pages[name] = {"page": page, "links": paging.pagination_links(request, page, param=param)}
    return render(
        request,
        "directory/review.jinja",
        {
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
    return redirect("directory-review")


@permission_required(Perm.DIRECTORY_CURATE)
@require_POST
def review_claim(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(ListingClaim, pk=pk)
    try:
        services.decide_claim(
            claim=claim, approve=request.POST.get("decision") == "approve", by=request.user
        )
    except Conflict as error:
        messages.error(request, str(error))
    return redirect("directory-review")


@permission_required(Perm.DIRECTORY_VERIFY)
@require_POST
def resolve_report(request: HttpRequest, pk: int) -> HttpResponse:
    services.resolve_report(report=get_object_or_404(ListingReport, pk=pk), by=request.user)
    return redirect("directory-review")


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
            _apply_domain_errors(form, error)
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
