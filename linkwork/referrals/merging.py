"""A link worker's decisions about possible duplicates: the same person (an audited merge
that can be undone), different people (remembered), and details a referral gave that
the record should take. Rules in `referrals.matching`; hazard H1 in docs/decisions.md."""

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from linkwork.accounts.permissions import organisations_with_permission
from linkwork.accounts.roles import Perm
from linkwork.audit.services import record_event
from linkwork.errors import Conflict, InvalidInput
from linkwork.places.selectors import postcode_point
from linkwork.referrals.matching import DETAIL_FIELDS, IDENTITY_FIELDS, could_be_same
from linkwork.referrals.models import NotDuplicate, Person, PersonMerge, Referral

# Contact details a merge takes from the newer record when it has them.
CONTACT_FIELDS = (
    "postcode",
    "phone",
    "email",
    "gp_practice",
    "preferred_contact_method",
    "contact_times",
    "language",
    "interpreter_needed",
    "access_needs",
)


def person_for(user: AbstractBaseUser, person_id: int) -> Person:
    """A person with a referral at one of the user's services (404 otherwise, so that a
    link worker never learns of people in another service's records)."""
    services = organisations_with_permission(user, Perm.CASEWORK)
    person = (
        Person.objects.filter(pk=person_id, referrals__service_id__in=services).distinct().first()
    )
    if person is None:
        raise Http404
    return person


def merge_for(user: AbstractBaseUser, merge_id: int) -> PersonMerge:
    """A merge whose kept record the user may see (404 otherwise)."""
    merge = PersonMerge.objects.select_related("merged", "kept").filter(pk=merge_id).first()
    if merge is None:
        raise Http404
    person_for(user, merge.kept_id)
    return merge


def _check_mergeable(person: Person, into: Person) -> None:
    if person.pk == into.pk:
        raise InvalidInput({"into": "A record cannot be merged into itself."})
    for record in (person, into):
        if record.merged_into_id is not None:
            raise Conflict(
                f"Person {record.pk} was already merged into another record.",
                current_state="merged",
            )
    if not could_be_same(person.nhs_number, into.nhs_number):
        raise Conflict(
            "These records have different NHS numbers, so they are different people.",
            current_state="different_nhs_numbers",
        )
    if person.birth_date != into.birth_date:
        raise Conflict(
            "These records have different dates of birth: correct the record first.",
            current_state="different_birth_dates",
        )


@transaction.atomic
def merge_people(*, person: Person, into: Person, by: AbstractBaseUser) -> PersonMerge:
    """Confirm that `person` and `into` are one person: every referral of `person` (with
    its history, conversations, connections and outcomes) moves to `into`, which takes
    the newer record's contact details and any NHS number it lacks. `person` is kept,
    marked merged, so that `undo_merge` can put everything back."""
    person, into = (Person.objects.select_for_update().get(pk=p.pk) for p in (person, into))
    _check_mergeable(person, into)
    newer = person if (person.created_at, person.pk) > (into.created_at, into.pk) else into
    changed: dict[str, list] = {}
    updates = {field: getattr(newer, field) for field in CONTACT_FIELDS}
    if not into.nhs_number and person.nhs_number:
        updates["nhs_number"] = person.nhs_number
    if newer is person:
        updates["area"] = person.area
    for field, value in updates.items():
        before = getattr(into, field)
        if value in ("", None) or value == before:
            continue
        setattr(into, field, value)
        if field == "area":
            changed["area_id"] = [before.pk if before else None, value.pk if value else None]
        else:
            changed[field] = [before, value]
    into.save()
    referral_ids = list(person.referrals.values_list("pk", flat=True))
    Referral.objects.filter(pk__in=referral_ids).update(person=into)
    person.merged_into = into
    person.save(update_fields=["merged_into"])
    merge = PersonMerge.objects.create(
        merged=person, kept=into, referral_ids=referral_ids, changed=changed, by=by
    )
    record_event(
        by=by,
        action="person_merged",
        object_type="person",
        object_id=into.pk,
        summary=f"merged person {person.pk} (referrals {referral_ids}); changed {sorted(changed)}",
    )
    return merge


@transaction.atomic
def undo_merge(*, merge: PersonMerge, by: AbstractBaseUser) -> PersonMerge:
    """Put a merge back: the moved referrals return to their own record, and the kept
    record's details changed by the merge return to what they were, unless someone has
    changed them since (then they are left, and the audit says so)."""
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise Conflict("This merge has already been undone.", current_state="undone")
    merged = Person.objects.select_for_update().get(pk=merge.merged_id)
    kept = Person.objects.select_for_update().get(pk=merge.kept_id)
    if PersonMerge.objects.filter(merged=kept, undone_at__isnull=True).exists():
        raise Conflict(
            "A later merge involves these records: undo that one first.", current_state="merged"
        )
    kept_since: list[str] = []
    for field, (before, after) in merge.changed.items():
        if field == "area_id":
            current = kept.area_id
        else:
            current = getattr(kept, field)
            current = current.isoformat() if isinstance(current, dt.date) else current
        if current == after:
            setattr(kept, field, before)
        else:
            kept_since.append(field)
    kept.save()
    Referral.objects.filter(pk__in=merge.referral_ids, person=kept).update(person=merged)
    merged.merged_into = None
    merged.save(update_fields=["merged_into"])
    merge.undone_at, merge.undone_by = timezone.now(), by
    merge.save(update_fields=["undone_at", "undone_by"])
    record_event(
        by=by,
        action="person_merge_undone",
        object_type="person",
        object_id=merged.pk,
        summary=f"merge {merge.pk} undone; kept as changed since: {kept_since}",
    )
    return merge


@transaction.atomic
def mark_not_duplicate(*, person: Person, of: Person, by: AbstractBaseUser) -> NotDuplicate:
    """Record that two records with the same name and birth date are different people,
    so nobody is asked again. Saying it twice is harmless."""
    if person.pk == of.pk:
        raise InvalidInput({"of": "A record is always the same person as itself."})
    first, second = sorted((person.pk, of.pk))
    try:
        with transaction.atomic():
            decision, created = NotDuplicate.objects.get_or_create(
                first_id=first, second_id=second, defaults={"by": by}
            )
    except IntegrityError:  # the same decision, made at the same moment
        decision, created = NotDuplicate.objects.get(first_id=first, second_id=second), False
    if created:
        record_event(
            by=by,
            action="person_not_duplicate",
            object_type="person",
            object_id=person.pk,
            summary=f"different person from {of.pk}",
        )
    return decision


@transaction.atomic
def accept_referral_details(
    *, referral: Referral, fields: list[str], by: AbstractBaseUser
) -> Person:
    """Copy details the referral gave into the person's record (the link worker chose
    which); the rest stay with the referral. Either way the differences are reviewed."""
    unknown = [f for f in fields if f not in DETAIL_FIELDS]
    if unknown:
        raise InvalidInput({"fields": f"Not a detail of a person: {', '.join(unknown)}."})
    blocked = [f for f in fields if f in IDENTITY_FIELDS]
    if blocked:
        raise InvalidInput(
            {"fields": "Names and the date of birth are corrected on the record, not copied."}
        )
    person = Person.objects.select_for_update().get(pk=referral.person_id)
    given = referral.person_details or {}
    changed = []
    for field in fields:
        value = str(given.get(field) or "").strip()
        if field == "nhs_number" and person.nhs_number:
            raise InvalidInput({"fields": "The record already has an NHS number."})
        if value and value != str(getattr(person, field) or ""):
            setattr(person, field, value)
            changed.append(field)
    if "postcode" in changed:
        _, _, person.area = postcode_point(person.postcode)
    person.save()
    referral.details_reviewed_at, referral.details_reviewed_by = timezone.now(), by
    referral.save(update_fields=["details_reviewed_at", "details_reviewed_by"])
    record_event(
        by=by,
        action="person_details_accepted",
        object_type="person",
        object_id=person.pk,
        summary=f"from referral {referral.pk}: {changed}",
    )
    return person
