"""The link worker's decisions about possible duplicates, on the case page: the same
person (merge, undoable), different people (remembered), and details a referral gave
that differ from the record (accept into it, or keep the record as it is)."""

from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from linkwork.accounts.decorators import permission_required
from linkwork.accounts.roles import Perm
from linkwork.errors import Conflict, InvalidInput
from linkwork.pages import refusal
from linkwork.referrals import matching, merging, selectors
from linkwork.referrals.models import Person, PersonMerge, Referral

casework = permission_required(Perm.CASEWORK)


def people_context(user: AbstractBaseUser, referral: Referral) -> dict:
    """What the case page shows about who this is: possible duplicates side by side,
    other open referrals, merges that can be undone, details that differ."""
    person = referral.person
    found = matching.possible_duplicates_of([person], viewer=user)
    duplicates = found.get(person.pk, [])
    open_elsewhere = matching.other_open_referrals([referral], viewer=user, duplicates=found)[
        referral.pk
    ]
    visible = selectors.referrals_visible_to(user)
    return {
        "duplicates": [
            {
                "person": other,
                "rows": _side_by_side(person, other),
                "referrals": list(visible.filter(person=other).order_by("received_at")),
            }
            for other in duplicates
        ],
        "same_person_open": [o.referral for o in open_elsewhere if o.same_person],
        "merges": list(
            PersonMerge.objects.filter(kept=person, undone_at__isnull=True).select_related("by")
        ),
        "differences": matching.differing_details(referral),
    }


def _side_by_side(person: Person, other: Person) -> list[dict]:
    return [
        {
            "label": label,
            "this": matching.detail_value(person, field),
            "other": matching.detail_value(other, field),
            "differs": matching.detail_value(person, field) != matching.detail_value(other, field),
        }
        for field, label in matching.DETAIL_FIELDS.items()
    ]


def _case(request: HttpRequest, pk: int) -> Referral:
    referral = selectors.referral_for(request.user, pk)
    if not selectors.is_case_worker(request.user, referral):
        raise Http404
    return referral


def _candidate(request: HttpRequest, referral: Referral, person_id: int) -> Person:
    """One of the referral's possible duplicates the user may see (404 otherwise)."""
    found = matching.possible_duplicates_of([referral.person], viewer=request.user)
    for other in found.get(referral.person_id, []):
        if other.pk == person_id:
            return other
    raise Http404


def _detail(referral: Referral, anchor: str = "who") -> str:
    return reverse("referral-detail", args=[referral.pk]) + f"#{anchor}"


@casework
@require_POST
def same_person(request: HttpRequest, pk: int, person_id: int) -> HttpResponse:
    """Merge: the newer record goes into the older one, which keeps the newer details."""
    referral = _case(request, pk)
    other = _candidate(request, referral, person_id)
    newer, older = sorted((referral.person, other), key=lambda p: (p.created_at, p.pk))[::-1]
    try:
        merging.merge_people(person=newer, into=older, by=request.user)
    except (Conflict, InvalidInput) as error:
        messages.error(request, refusal(error))
        return redirect(_detail(referral))
    messages.success(
        request, "The two records are now one. Every referral and its history is kept."
    )
    return redirect(_detail(referral))


@casework
@require_POST
def different_people(request: HttpRequest, pk: int, person_id: int) -> HttpResponse:
    referral = _case(request, pk)
    other = _candidate(request, referral, person_id)
    merging.mark_not_duplicate(person=referral.person, of=other, by=request.user)
    messages.success(request, "Recorded as different people: you will not be asked again.")
    return redirect(_detail(referral))


@casework
@require_POST
def undo_merge(request: HttpRequest, pk: int, merge_id: int) -> HttpResponse:
    referral = _case(request, pk)
    merge = merging.merge_for(request.user, merge_id)
    if merge.kept_id != referral.person_id:
        raise Http404
    try:
        merging.undo_merge(merge=merge, by=request.user)
    except Conflict as error:
        messages.error(request, refusal(error))
        return redirect(_detail(referral))
    messages.success(request, "Merge undone: the two records are separate again.")
    return redirect(_detail(referral))


@casework
@require_POST
def referral_details(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept the ticked details into the record; none ticked keeps the record as it is."""
    referral = _case(request, pk)
    fields = request.POST.getlist("fields")
    try:
        merging.accept_referral_details(referral=referral, fields=fields, by=request.user)
    except InvalidInput as error:
        messages.error(request, " ".join(error.errors.values()))
        return redirect(_detail(referral, "details-given"))
    messages.success(
        request,
        "The record now has the details you chose." if fields else "The record is kept as it is.",
    )
    return redirect(_detail(referral, "details-given"))
