"""Writes for places."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from linkwork.audit.services import record_event
from linkwork.places.models import Area, AreaType, Postcode
from linkwork.places.postcodes import normalise_postcode


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


@transaction.atomic
def load_postcodes_and_lsoas(
    *,
    lsoa_rows: list[dict[str, str]],
    postcode_rows: list[dict[str, str]],
    parent_for_lsoa: dict[str, Area],
    vintage: str,
    is_synthetic: bool = False,
    by: AbstractBaseUser | None,
) -> tuple[int, int]:
    """Add LSOAs and postcodes that are not yet loaded; returns how many of each were new.

    Idempotent: existing codes and postcodes are left as they are.
    """
    known_lsoas = set(Area.objects.filter(area_type=AreaType.LSOA).values_list("code", flat=True))
    new_lsoas = [
        Area(
            code=row["lsoa_code"],
            name=row["lsoa_name"],
            area_type=AreaType.LSOA,
            parent=parent_for_lsoa.get(row["lsoa_code"]),
            vintage=vintage,
            is_synthetic=is_synthetic,
        )
        for row in lsoa_rows
        if row["lsoa_code"] not in known_lsoas
    ]
    Area.objects.bulk_create(new_lsoas)
    lsoa_ids = dict(Area.objects.filter(area_type=AreaType.LSOA).values_list("code", "id"))
    known_postcodes = set(Postcode.objects.values_list("postcode", flat=True))
    new_postcodes = [
        Postcode(
            postcode=normalise_postcode(row["postcode"]),
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
            lsoa_id=lsoa_ids.get(row["lsoa_code"]),
        )
        for row in postcode_rows
        if normalise_postcode(row["postcode"]) not in known_postcodes
    ]
    Postcode.objects.bulk_create(new_postcodes)
    if new_lsoas or new_postcodes:
        record_event(
            by=by,
            action="geography_loaded",
            object_type="area",
            summary=f"lsoas={len(new_lsoas)} postcodes={len(new_postcodes)} vintage={vintage}",
        )
    return len(new_lsoas), len(new_postcodes)


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
    from django.apps import apps
    from django.db.models import OuterRef, Subquery

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
