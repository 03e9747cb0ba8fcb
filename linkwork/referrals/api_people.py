"""/api/v1/people/...: a link worker's decisions about possible duplicates (the
casework-safety issue): merge two records of one person, undo a merge, or record that
two records are different people. Outside the caller's services: 404."""

from django.http import HttpRequest
from ninja import Router

from linkwork.accounts.permissions import has_permission
from linkwork.accounts.roles import Perm
from linkwork.errors import Forbidden
from linkwork.referrals import merging
from linkwork.referrals.models import PersonMerge
from linkwork.referrals.schemas import MergeIn, MergeOut, NotDuplicateIn, NotDuplicateOut

router = Router(tags=["people"])


def _link_worker(request: HttpRequest) -> None:
    if not has_permission(request.user, Perm.CASEWORK):
        raise Forbidden("Only link workers can decide whether two records are one person.")


def merge_out(merge: PersonMerge) -> dict:
    return {
        "merge_id": merge.pk,
        "person_id": merge.kept_id,
        "merged_person_id": merge.merged_id,
        "referral_ids": merge.referral_ids,
        "changed": sorted(merge.changed),
        "at": merge.at,
        "undone_at": merge.undone_at,
    }


@router.post("/people/{person_id}/merge", response=MergeOut, summary="Merge into another record")
def merge_person(request: HttpRequest, person_id: int, payload: MergeIn) -> dict:
    """The two records are one person: this one's referrals move to `into`, which keeps
    the newer contact details. 409 when their NHS numbers differ."""
    _link_worker(request)
    person = merging.person_for(request.user, person_id)
    into = merging.person_for(request.user, payload.into)
    return merge_out(merging.merge_people(person=person, into=into, by=request.user))


@router.post("/merges/{merge_id}/undo", response=MergeOut, summary="Undo a merge")
def undo_merge(request: HttpRequest, merge_id: int) -> dict:
    _link_worker(request)
    merge = merging.merge_for(request.user, merge_id)
    return merge_out(merging.undo_merge(merge=merge, by=request.user))


@router.post(
    "/people/{person_id}/not-duplicate",
    response=NotDuplicateOut,
    summary="Record that two records are different people",
)
def not_duplicate(request: HttpRequest, person_id: int, payload: NotDuplicateIn) -> dict:
    _link_worker(request)
    person = merging.person_for(request.user, person_id)
    other = merging.person_for(request.user, payload.of)
    decision = merging.mark_not_duplicate(person=person, of=other, by=request.user)
    return {"person_id": person.pk, "of": other.pk, "recorded_at": decision.at}
