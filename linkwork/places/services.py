"""Writes for places."""

from django.apps import apps
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import OuterRef, Subquery

from linkwork.audit.services import record_event
from linkwork.places.models import Area, Postcode


@transaction.atomic
def ensure_area(
    *,
    code: str,
    name: str,
    area_type: str,
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


# Records elsewhere that keep a postcode and the LSOA it falls in: (app, model, postcode
# field, LSOA field). Named as data so places need not import the apps that use it.
POSTCODE_LSOA_FIELDS: list[tuple[str, str, str, str]] = [
    ("directory", "Location", "postcode", "area"),
    ("referrals", "Person", "postcode", "area"),
    ("community", "Interest", "postcode", "lsoa"),
]


@transaction.atomic
def link_postcodes_to_lsoas(*, by: AbstractBaseUser | None) -> dict[str, int]:
    """Give records saved with a postcode that was not loaded then (so no LSOA) the LSOA
    their postcode now has. Records that have an LSOA are left as they are. Returns how
    many of each model were linked."""

    known = Postcode.objects.filter(lsoa__isnull=False)
    linked = {}
    for app_label, model_name, postcode_field, area_field in POSTCODE_LSOA_FIELDS:
        model = apps.get_model(app_label, model_name)
        lsoa = Subquery(known.filter(postcode=OuterRef(postcode_field)).values("lsoa_id")[:1])
        linked[model_name] = model.objects.filter(
            **{f"{area_field}__isnull": True, f"{postcode_field}__in": known.values("postcode")}
        ).update(**{area_field: lsoa})
    if any(linked.values()):
        record_event(
            by=by,
            action="postcodes_linked",
            object_type="area",
            summary=" ".join(f"{name}={count}" for name, count in linked.items()),
        )
    return linked
