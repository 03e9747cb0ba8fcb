"""Link workers' private log on listings: visits made and notes on who a group suits.

Each note belongs to the social prescribing service of the link worker who wrote it
(the organisation where they hold casework), and only that service's link workers
read or search it. Groups, residents and the ORUK feed never see notes.
"""

from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import QuerySet

from linkwork.accounts.permissions import organisations_with_permission
from linkwork.accounts.roles import Perm
from linkwork.audit.services import record_event
from linkwork.directory.models import Asset, ListingNote, Organisation
from linkwork.errors import Forbidden, InvalidInput


def services_of(user: AbstractBaseUser | AnonymousUser) -> set[int]:
    """The services whose listing notes this user may read and write."""
    return organisations_with_permission(user, Perm.CASEWORK)


@transaction.atomic
def add_listing_note(
    *,
    asset: Asset,
    kind: str,
    text: str,
    visited_on: date | None = None,
    by: AbstractBaseUser,
) -> ListingNote:
    """A link worker's visit or note, kept for their own service."""
    services = sorted(services_of(by))
    if not services:
        raise Forbidden("Only link workers keep notes on listings.")
    errors = {}
    if kind not in ListingNote.Kind.values:
        errors["kind"] = "Choose a visit or a note."
    if not text.strip():
        errors["text"] = "Write what you found or know."
    if visited_on is not None and visited_on > date.today():
        errors["visited_on"] = "The visit date cannot be in the future."
    if kind == ListingNote.Kind.VISIT and visited_on is None and "kind" not in errors:
        errors["visited_on"] = "Enter the date of the visit."
    if errors:
        raise InvalidInput(errors)
    note = ListingNote.objects.create(
        asset=asset,
        service=Organisation.objects.get(pk=services[0]),
        kind=kind,
        text=text.strip(),
        visited_on=visited_on,
        author=by,
    )
    record_event(
        by=by,
        action="listing_note_added",
        object_type="asset",
        object_id=asset.pk,
        summary=f"kind={kind} note={note.pk}",
    )
    return note


def listing_notes(*, asset: Asset, viewer: AbstractBaseUser | AnonymousUser) -> QuerySet:
    """The notes on this listing the viewer's service keeps (none for anyone else)."""
    return ListingNote.objects.filter(
        asset=asset, service_id__in=services_of(viewer)
    ).select_related("author")


def search_listing_notes(*, text: str, viewer: AbstractBaseUser | AnonymousUser) -> QuerySet:
    """The viewer's service's notes containing `text`, newest first, with their listing."""
    notes = ListingNote.objects.filter(service_id__in=services_of(viewer)).select_related(
        "asset", "author"
    )
    return notes.filter(text__icontains=text.strip()) if text.strip() else notes
