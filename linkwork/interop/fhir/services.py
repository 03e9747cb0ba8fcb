"""Writes of the FHIR interface's own records: integration clients (keyword-only, `by=`,
atomic, audited like every service)."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from linkwork.accounts.roles import Role
from linkwork.accounts.services import (
    create_api_token,
    create_user,
    grant_role,
    revoke_all_api_tokens,
)
from linkwork.audit.services import record_event
from linkwork.directory.models import Organisation
from linkwork.errors import InvalidInput
from linkwork.interop.fhir.models import SCOPES, IntegrationClient


@transaction.atomic
def create_client(
    *, organisation: Organisation, name: str, scopes: list[str], by: AbstractBaseUser | None
) -> tuple[IntegrationClient, str]:
    """A client acting for `organisation` with `scopes`, and its token (shown once). The
    client signs in as a service account that refers for the organisation, so what it
    may see is decided by the same casework rules as for a person who refers."""
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise InvalidInput({"scopes": f"Choose from {', '.join(SCOPES)}."})
    if not name.strip():
        raise InvalidInput({"name": "Name the client (e.g. the GP system)."})
    count = IntegrationClient.objects.count() + 1
    email = f"fhir-client-{count}-{slugify(name)[:40]}@clients.linkwork.invalid"
    user = create_user(email=email, password=None, full_name=f"{name} (integration)", by=by)
    grant_role(user=user, organisation=organisation, role=Role.REFERRER, by=by)
    client = IntegrationClient.objects.create(
        name=name.strip()[:100], organisation=organisation, user=user, scopes=sorted(set(scopes))
    )
    _, raw = create_api_token(user=user, name=f"FHIR client {client.pk}", by=by)
    record_event(
        by=by,
        action="fhir_client_created",
        object_type="fhir_client",
        object_id=client.pk,
        summary=f"organisation={organisation.pk}",
    )
    return client, raw


@transaction.atomic
def revoke_client(*, client: IntegrationClient, by: AbstractBaseUser | None) -> IntegrationClient:
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])
        revoke_all_api_tokens(user=client.user, reason="fhir client revoked", by=by)
        record_event(
            by=by, action="fhir_client_revoked", object_type="fhir_client", object_id=client.pk
        )
    return client
