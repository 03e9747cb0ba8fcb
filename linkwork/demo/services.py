"""Loading the demo dataset. Idempotent: a second run changes nothing."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from linkwork.accounts.models import User
from linkwork.accounts.roles import Role
from linkwork.accounts.services import create_user, grant_role
from linkwork.demo import dataset
from linkwork.directory.models import Organisation
from linkwork.directory.services import ensure_organisation
from linkwork.places.models import AreaType
from linkwork.places.services import ensure_area


@transaction.atomic
def load_demo() -> list[tuple[str, str]]:
    """Create the demo place, organisations and accounts; return (email, role) pairs."""
    if not settings.DEMO_DATA_ALLOWED:
        raise ImproperlyConfigured("Demo accounts are never created in production mode.")
    borough = ensure_area(area_type=AreaType.LOCAL_AUTHORITY, **dataset.LOCAL_AUTHORITY, by=None)
    for code, name in dataset.NEIGHBOURHOODS:
        ensure_area(
            code=code,
            name=name,
            area_type=AreaType.NEIGHBOURHOOD,
            parent=borough,
            is_synthetic=True,
            by=None,
        )
    organisations: dict[str, Organisation] = {}
    for name, kind, parent_name in dataset.ORGANISATIONS:
        parent = organisations[parent_name] if parent_name else None
        organisations[name] = ensure_organisation(name=name, kind=kind, parent=parent, by=None)
    accounts = []
    for email, full_name, role, organisation_name in dataset.ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = create_user(
                email=email,
                password=dataset.DEMO_PASSWORD,
                full_name=full_name,
                operator=role == Role.ADMIN,
                by=None,
            )
        organisation = organisations[organisation_name] if organisation_name else None
        grant_role(user=user, organisation=organisation, role=role, by=None)
        accounts.append((email, role.value))
    return accounts
