"""Writes for the directory. Each one is audited."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from linkwork.audit.services import record_event
from linkwork.directory.models import Organisation, OrganisationKind


@transaction.atomic
def ensure_organisation(
    *,
    name: str,
    kind: OrganisationKind,
    parent: Organisation | None = None,
    by: AbstractBaseUser | None,
) -> Organisation:
    """The organisation with this name and kind, created (and audited) if it is new."""
    organisation, created = Organisation.objects.get_or_create(
        name=name, kind=kind, defaults={"parent": parent}
    )
    if created:
        record_event(
            by=by,
            action="organisation_created",
            object_type="organisation",
            object_id=organisation.pk,
            summary=f"kind={kind}",
        )
    return organisation
