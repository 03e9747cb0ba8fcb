"""Writes for places."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from linkwork.audit.services import record_event
from linkwork.places.models import Area, AreaType


@transaction.atomic
def ensure_area(
    *,
    code: str,
    name: str,
    area_type: AreaType,
    parent: Area | None = None,
    vintage: str = "",
    is_synthetic: bool = False,
    by: AbstractBaseUser | None,
) -> Area:
    """The area with this code, created (and audited) if it is new."""
    area, created = Area.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "area_type": area_type,
            "parent": parent,
            "vintage": vintage,
            "is_synthetic": is_synthetic,
        },
    )
    if created:
        record_event(by=by, action="area_created", object_type="area", object_id=area.code)
    return area
