"""Who a referral is about: the person-matching rules (hazard H1 in docs/decisions.md).

- The same valid NHS number is the same person.
- Different NHS numbers are never the same person, whatever the names.
- The same name and date of birth, where either record has no NHS number, is only a
  *possible* duplicate: the new referral gets its own person record and a link worker
  decides (merge, or "different people", which is remembered).

Nothing here writes; `referrals.merging` holds the link worker's decisions.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q

from linkwork.accounts.permissions import organisations_with_permission
from linkwork.accounts.roles import Perm
from linkwork.referrals import transitions as t
from linkwork.referrals.models import ContactMethod, NotDuplicate, Person, Referral

# Details a referral gives that may differ from the stored record (shown side by side).
DETAIL_FIELDS = {
    "given_name": "First name",
    "family_name": "Last name",
    "birth_date": "Date of birth",
    "nhs_number": "NHS number",
    "postcode": "Postcode",
    "phone": "Phone",
    "email": "Email",
    "gp_practice": "GP practice",
    "preferred_contact_method": "Contact by",
    "contact_times": "Contact times",
    "language": "Language",
    "access_needs": "Access needs",
}
# Identity fields: a difference in these is for the link worker to notice, never to copy
# silently over the record (the NHS number only when the record has none).
IDENTITY_FIELDS = ("given_name", "family_name", "birth_date")


def same_person(nhs_number: str) -> Person | None:
    """The one current record with this NHS number (a merged-away record never counts)."""
    if not nhs_number:
        return None
    return (
        Person.objects.filter(nhs_number=nhs_number, merged_into__isnull=True)
        .order_by("created_at", "pk")
        .first()
    )


def could_be_same(first: str, second: str) -> bool:
    """Two NHS numbers (either may be blank) allow the records to be one person."""
    return not (first and second and first != second)


def _name_key(person: Person) -> tuple:
    return (
        " ".join(person.given_name.split()).casefold(),
        " ".join(person.family_name.split()).casefold(),
        person.birth_date,
    )


def possible_duplicates_of(
    people: Iterable[Person], *, viewer: AbstractBaseUser | None = None
) -> dict[int, list[Person]]:
    """For each person, the other current records with the same name and date of birth
    that could be them (NHS numbers allow it) and that nobody has said are different
    people. With a viewer, only records with a referral the viewer works on: a link
    worker is never told of people in another service's records. Two queries."""
    people = [p for p in people if p.merged_into_id is None]
    if not people:
        return {}
    match = Q()
    for person in people:
        match |= Q(
            family_name__iexact=person.family_name.strip(),
            given_name__iexact=person.given_name.strip(),
            birth_date=person.birth_date,
        )
    candidates = Person.objects.filter(match, merged_into__isnull=True)
    if viewer is not None:
        services = organisations_with_permission(viewer, Perm.CASEWORK)
        candidates = candidates.filter(referrals__service_id__in=services).distinct()
    candidates = list(candidates.order_by("created_at", "pk"))
    ids = {p.pk for p in people} | {c.pk for c in candidates}
    dismissed = set(
        NotDuplicate.objects.filter(first_id__in=ids, second_id__in=ids).values_list(
            "first_id", "second_id"
        )
    )
    found: dict[int, list[Person]] = {}
    for person in people:
        key = _name_key(person)
        found[person.pk] = [
            c
            for c in candidates
            if c.pk != person.pk
            and _name_key(c) == key
            and could_be_same(person.nhs_number, c.nhs_number)
            and (min(person.pk, c.pk), max(person.pk, c.pk)) not in dismissed
        ]
    return found


@dataclass(frozen=True)
class OtherOpenReferral:
    """Another open referral at the same service for this person or a possible duplicate."""

    referral: Referral
    same_person: bool  # False: a possible duplicate, not yet confirmed


def other_open_referrals(
    referrals: Iterable[Referral],
    *,
    viewer: AbstractBaseUser | None = None,
    duplicates: dict[int, list[Person]] | None = None,
) -> dict[int, list[OtherOpenReferral]]:
    """For each referral, the other open referrals of the same service for its person
    and the person's possible duplicates, oldest first: new work that may not be new.
    `duplicates` (from `possible_duplicates_of`) saves finding them again."""
    referrals = list(referrals)
    if not referrals:
        return {}
    if duplicates is None:
        duplicates = possible_duplicates_of([r.person for r in referrals], viewer=viewer)
    person_ids = {r.person_id for r in referrals} | {
        c.pk for found in duplicates.values() for c in found
    }
    open_ones = list(
        Referral.objects.filter(
            person_id__in=person_ids, service_id__in={r.service_id for r in referrals}
        )
        .exclude(status__in=t.ENDED)
        .select_related("person")
        .order_by("received_at", "pk")
    )
    result: dict[int, list[OtherOpenReferral]] = {}
    for referral in referrals:
        maybe = {c.pk for c in duplicates.get(referral.person_id, [])}
        result[referral.pk] = [
            OtherOpenReferral(other, same_person=other.person_id == referral.person_id)
            for other in open_ones
            if other.pk != referral.pk
            and other.service_id == referral.service_id
            and (other.person_id == referral.person_id or other.person_id in maybe)
        ]
    return result


def detail_value(person: Person, field: str) -> str:
    """A detail as stored and compared (dates as ISO, as a referral gives them)."""
    value = getattr(person, field)
    return value.isoformat() if hasattr(value, "isoformat") else str(value or "")


def shown(field: str, value: str) -> str:
    """A detail in words for the page: "14 March 1956", "943 476 5919", "Phone call"."""
    if not value:
        return ""
    if field == "birth_date":
        return f"{dt.date.fromisoformat(value):%-d %B %Y}"
    if field == "nhs_number" and len(value) == 10:
        return f"{value[:3]} {value[3:6]} {value[6:]}"
    if field == "preferred_contact_method":
        return str(ContactMethod(value).label) if value in ContactMethod.values else value
    return value


def differing_details(referral: Referral) -> list[dict]:
    """Details the referral gave that differ from the stored record: [{"field", "label",
    "record", "referral", "identity"}]. A blank given detail is not a difference."""
    given = referral.person_details or {}
    person = referral.person
    rows = []
    for field, label in DETAIL_FIELDS.items():
        value = str(given.get(field) or "").strip()
        if value and value != detail_value(person, field):
            rows.append(
                {
                    "field": field,
                    "label": label,
                    "record": shown(field, detail_value(person, field)),
                    "referral": shown(field, value),
                    "identity": field in IDENTITY_FIELDS
                    or (field == "nhs_number" and bool(person.nhs_number)),
                }
            )
    return rows


def possible_duplicates_for_case_worker(
    referral: Referral, *, viewer: AbstractBaseUser
) -> list[dict]:
    """The referral's person's possible duplicates the viewer works on, each with the ids
    of its referrals at the viewer's services: [{"person_id", "referral_ids"}]."""
    found = possible_duplicates_of([referral.person], viewer=viewer).get(referral.person_id, [])
    if not found:
        return []
    services = organisations_with_permission(viewer, Perm.CASEWORK)
    ids: dict[int, list[int]] = {c.pk: [] for c in found}
    for referral_id, person_id in (
        Referral.objects.filter(person_id__in=ids, service_id__in=services)
        .order_by("received_at", "pk")
        .values_list("pk", "person_id")
    ):
        ids[person_id].append(referral_id)
    return [{"person_id": c.pk, "referral_ids": ids[c.pk]} for c in found]
