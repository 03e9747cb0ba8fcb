"""Writes for citizen asset mapping: submit, run a walk, accept or reject. Audited."""

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from linkwork.audit.services import record_event
from linkwork.community.mapping.models import (
    MAX_PHOTO_BYTES,
    AssetSubmission,
    MappingWalk,
    SubmissionStatus,
)
from linkwork.directory.models import Publication, TaxonomyTerm, Vocabulary
from linkwork.directory.services import create_asset
from linkwork.errors import Conflict, InvalidInput
from linkwork.places.models import Area, AreaType
from linkwork.places.selectors import (
    InvalidPostcode,
    UnknownPostcode,
    neighbourhood_of_lsoa,
    postcode_point,
)

# What a photo's first bytes must be: JPEG, PNG or WebP (no Pillow needed to tell).
PHOTO_SIGNATURES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}


def photo_type(data: bytes) -> str | None:
    for signature, kind in PHOTO_SIGNATURES.items():
        if data.startswith(signature):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


@transaction.atomic
def submit_asset(
    *,
    name: str,
    description: str,
    where: str,
    postcode: str = "",
    activity_code: str = "",
    photo: bytes | None = None,
    credit_name: str = "",
    walk: MappingWalk | None = None,
    by: AbstractBaseUser,
) -> AssetSubmission:
    """A resident or panel member tells us about an asset; it waits for review."""
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Enter what it is called, or a short name for it."
    if not description.strip():
        errors["description"] = "Say what happens there and who it is for."
    if not where.strip():
        errors["where"] = "Say where it is."
    activity = None
    if activity_code:
        activity = TaxonomyTerm.objects.filter(
            code=activity_code, vocabulary=Vocabulary.ACTIVITY
        ).first()
        if activity is None:
            errors["activity"] = "Choose an activity from the list."
    neighbourhood = walk.neighbourhood if walk else None
    normalised = ""
    if postcode.strip():
        try:
            normalised, _, lsoa = postcode_point(postcode)
            neighbourhood = neighbourhood_of_lsoa(lsoa) or neighbourhood
        except (InvalidPostcode, UnknownPostcode) as error:
            errors["postcode"] = str(error)
    kind = ""
    if photo:
        kind = photo_type(photo) or ""
        if len(photo) > MAX_PHOTO_BYTES:
            errors["photo"] = "The photo must be smaller than 2 MB."
        elif not kind:
            errors["photo"] = "The photo must be a JPEG, PNG or WebP image."
    if errors:
        raise InvalidInput(errors)
    submission = AssetSubmission.objects.create(
        name=name.strip()[:200],
        description=description.strip(),
        where=where.strip()[:300],
        postcode=normalised,
        activity=activity,
        neighbourhood=neighbourhood,
        photo=photo or None,
        photo_type=kind,
        credit_name=credit_name.strip()[:100],
        submitted_by=by,
        walk=walk,
    )
    record_event(
        by=by, action="asset_submitted", object_type="asset_submission", object_id=submission.pk
    )
    return submission


@transaction.atomic
def start_walk(
    *, neighbourhood: Area | None, title: str, held_on: dt.date | None, panel=None, by
) -> MappingWalk:
    """A mapping walk: people walk a neighbourhood and submit what they find."""
    errors = {}
    if neighbourhood is None or neighbourhood.area_type != AreaType.NEIGHBOURHOOD:
        errors["neighbourhood"] = "Choose the neighbourhood the walk covers."
    if not title.strip():
        errors["title"] = "Give the walk a title, like “Tonge Moor walk”."
    if held_on is None:
        errors["held_on"] = "Enter the date of the walk."
    if errors:
        raise InvalidInput(errors)
    walk = MappingWalk.objects.create(
        neighbourhood=neighbourhood,
        title=title.strip()[:200],
        held_on=held_on,
        panel=panel,
        created_by=by,
    )
    record_event(
        by=by, action="mapping_walk_started", object_type="mapping_walk", object_id=walk.pk
    )
    return walk


@transaction.atomic
def review_submission(
    *, submission: AssetSubmission, accept: bool, note: str = "", by: AbstractBaseUser
) -> AssetSubmission:
    """A curator accepts (it becomes a published listing, crediting the submitter) or
    rejects (with a note) a pending submission."""

    submission = AssetSubmission.objects.select_for_update().get(pk=submission.pk)
    if submission.status != SubmissionStatus.PENDING:
        raise Conflict(
            "This submission has already been reviewed.", current_state=submission.status
        )
    if accept:
        credit = (
            f" Added through citizen mapping by {submission.credit_name}."
            if submission.credit_name
            else " Added through citizen mapping."
        )
        submission.asset = create_asset(
            organisation=None,
            name=submission.name,
            description=submission.description + credit,
            categories=[submission.activity.code] if submission.activity else [],
            postcode=submission.postcode or None,
            location_name=submission.where[:200],
            neighbourhoods=[submission.neighbourhood.code] if submission.neighbourhood else None,
            publication=Publication.PUBLISHED,
            by=by,
        )
        submission.status = SubmissionStatus.ACCEPTED
    else:
        submission.status = SubmissionStatus.REJECTED
    submission.review_note = note.strip()[:300]
    submission.reviewed_by, submission.reviewed_at = by, timezone.now()
    submission.save()
    record_event(
        by=by,
        action="asset_submission_reviewed",
        object_type="asset_submission",
        object_id=submission.pk,
        summary=f"status={submission.status}",
    )
    return submission
