"""The listing form pages: adding a listing and changing one, both in sections (about,
sessions, cost, where and online, first visit, safeguarding, referrals) ending in
"check your answers", and both saved in one transaction by `listing_edit`.

The sections' answers wait in the session between the form and the check page (a draft
per listing, or one for a new listing), so "Change" links go back to the form as it was.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from linkwork.accounts.permissions import has_permission
from linkwork.accounts.roles import Perm
from linkwork.directory import listing_edit, selectors
from linkwork.directory.listing_forms import (
    FirstSessionFormSet,
    ListingDetailsForm,
    SessionFormSet,
    details_initial,
    session_initial,
)
from linkwork.directory.models import (
    ACCESSIBILITY_FEATURES,
    Asset,
    CostOption,
    Organisation,
    Publication,
    Schedule,
)
from linkwork.directory.schedules import clean_session, in_words
from linkwork.errors import InvalidInput

DRAFT_KEY = "listing-draft-{pk}"
NEW = "new"


def _editable_or_404(request: HttpRequest, pk: int) -> Asset:
    asset = selectors.assets_editable_by(request.user).filter(pk=pk).first()
    if asset is None:
        raise Http404
    return asset


def _listing_forms(asset: Asset | None, data=None):
    """The sectioned form: details and session rows, bound to `data` when given."""
    details = ListingDetailsForm(data, initial=details_initial(asset) if asset else {})
    initial = session_initial(asset) if asset else []
    formset = SessionFormSet if initial else FirstSessionFormSet
    sessions = formset(data, initial=initial, prefix="sessions")
    return details, sessions


def _with_added_row(post) -> dict:
    data = post.copy()
    data["sessions-TOTAL_FORMS"] = str(int(post.get("sessions-TOTAL_FORMS", "0")) + 1)
    return data


def _draft(request: HttpRequest, asset: Asset | None):
    stored = request.session.get(DRAFT_KEY.format(pk=asset.pk if asset else NEW))
    if stored is None:
        return None
    query = QueryDict(mutable=True)
    for key, values in stored.items():
        query.setlist(key, values)
    details, sessions = _listing_forms(asset, query)
    return (details, sessions) if details.is_valid() and sessions.is_valid() else None


def _session_words(forms: list) -> list[str]:
    words = []
    for form in forms:
        for row in clean_session(form.as_hsds(), field="s")[0]:
            note = f": {row['description']}" if row["description"] else ""
            words.append(in_words(Schedule(**row)) + note)
    return words


def _form_page(request: HttpRequest, asset: Asset | None, check_url: str) -> HttpResponse:
    """Every section on one page; "Continue" keeps the answers and goes to check them."""
    key = DRAFT_KEY.format(pk=asset.pk if asset else NEW)
    data = None
    if request.method == "POST":
        data = _with_added_row(request.POST) if "add_session" in request.POST else request.POST
    elif request.GET.get("draft") and key in request.session:
        data = request.session[key]
    details, sessions = _listing_forms(asset, data)
    saving = request.method == "POST" and "add_session" not in request.POST
    if saving and details.is_valid() and sessions.is_valid():
        request.session[key] = {k: request.POST.getlist(k) for k in request.POST}
        return redirect(check_url)
    return render(
        request,
        "directory/listing_edit.jinja",
        {
            "details": details,
            "sessions": sessions,
            "asset": asset,
            "added": "add_session" in request.POST,
            "page_title": f"Change {asset.name}" if asset else "Add a listing",
        },
    )


def _check_page(request: HttpRequest, asset: Asset | None, form_url: str, save) -> HttpResponse:
    """Check your answers, then `save(details, sessions)` everything at once."""
    draft = _draft(request, asset)
    if draft is None:
        return redirect(form_url)
    details, sessions = draft
    rows = [form for form in sessions.forms if form.has_changed() or form.initial]
    kept = [form for form in rows if not form.cleaned_data.get("DELETE") and form.cleaned_data]
    errors = {}
    if request.method == "POST":
        try:
            response = save(details, [form.as_hsds() for form in kept])
        except InvalidInput as error:
            errors = error.errors
        else:
            del request.session[DRAFT_KEY.format(pk=asset.pk if asset else NEW)]
            return response
    return render(
        request,
        "directory/listing_check.jinja",
        {
            "asset": asset,
            "change_url": form_url + "?draft=1",
            "details": details,
            "data": details.cleaned_data,
            "session_words": _session_words(kept),
            "cost_words": [
                listing_edit.cost_in_words(CostOption(**row))
                for row in listing_edit.clean_cost_options(details.cost_options())[0]
            ],
            "errors": errors,
            "features": ACCESSIBILITY_FEATURES,
            "page_title": f"Check your answers: {asset.name}" if asset else "Check your answers",
        },
    )


# --- A new listing ----------------------------------------------------------------------


def _new_listing_owner(request: HttpRequest) -> tuple[Organisation | None, bool]:
    """Whose listing it will be, and whether it is published at once: groups add their
    own (published); link workers and admins curate (published); residents suggest
    (reviewed first). Anyone else may not add one."""
    organisations = selectors.organisations_for_new_listing(request.user)
    curator = has_permission(request.user, Perm.DIRECTORY_CURATE)
    if not (organisations or curator or has_permission(request.user, Perm.DIRECTORY_SUGGEST)):
        raise PermissionDenied
    organisation = organisations[0] if organisations else None
    return organisation, curator or organisation is not None


@login_required
def asset_new(request: HttpRequest) -> HttpResponse:
    """The same sections as changing a listing, from blank."""
    _new_listing_owner(request)
    return _form_page(request, None, reverse("asset-new-check"))


@login_required
def asset_new_check(request: HttpRequest) -> HttpResponse:
    organisation, publish = _new_listing_owner(request)

    def save(details: ListingDetailsForm, schedules: list[dict]) -> HttpResponse:
        asset = listing_edit.create_listing(
            organisation=organisation,
            publication=Publication.PUBLISHED if publish else Publication.IN_REVIEW,
            by=request.user,
            schedules=schedules,
            cost_options=details.cost_options(),
            **details.details(),
        )
        if not publish:
            messages.success(
                request,
                "Thank you. A link worker will check your suggestion before it is published.",
            )
            return redirect("directory")
        messages.success(request, "Your listing is published.")
        return redirect("asset-detail", pk=asset.pk)

    return _check_page(request, None, reverse("asset-new"), save)


# --- Changing a listing -----------------------------------------------------------------


@login_required
def asset_edit(request: HttpRequest, pk: int) -> HttpResponse:
    asset = _editable_or_404(request, pk)
    return _form_page(request, asset, reverse("asset-edit-check", args=[pk]))


@login_required
def asset_edit_check(request: HttpRequest, pk: int) -> HttpResponse:
    asset = _editable_or_404(request, pk)

    def save(details: ListingDetailsForm, schedules: list[dict]) -> HttpResponse:
        listing_edit.update_listing(
            asset=asset,
            by=request.user,
            schedules=schedules,
            cost_options=details.cost_options(),
            **details.details(),
        )
        messages.success(request, "Your changes are saved.")
        return redirect("asset-detail", pk=pk)

    return _check_page(request, asset, reverse("asset-edit", args=[pk]), save)
