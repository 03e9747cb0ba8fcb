"""Erasure (UK GDPR article 17) and the end of the retention period: the person is
anonymised everywhere, irreversibly, from the models' declarations.

What stays: rows themselves (so counts of referrals, connections, unmet needs and
outcomes by area, age band and period still add up), figures declared as
`KEPT_AFTER_ERASURE`, the year of a date, the LSOA, and the record that it happened
(`Erasure` and an audit event). What goes: every other declared field, in every linked
row, and in interests and links matched by the person's contact details; one-use links
stop working. The audit trail keeps *that* things happened, never what was said.
"""

import datetime as dt
import secrets
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models, transaction
from django.utils import timezone

from linkwork.audit.services import record_event
from linkwork.errors import Conflict
from linkwork.privacy.models import Erasure, ErasureKind
from linkwork.privacy.registry import holdings, person_model, same_person_ids, unlinked_matches

ERASED = "erased"


def erased_value(field: models.Field, current: Any) -> Any:
    """What a declared field holds once erased: nothing where it may be empty, else a
    marker; a date keeps only its year (age bands)."""
    if isinstance(field, models.JSONField):
        return field.get_default()
    if isinstance(field, models.DateTimeField):
        return None if field.null else current
    if isinstance(field, models.DateField):
        return None if current is None else dt.date(current.year, 7, 1)
    if isinstance(field, models.CharField | models.TextField):
        return "" if field.blank else ERASED[: field.max_length or None]
    if field.null:
        return None
    return field.get_default()


def _anonymise(rows: list[models.Model], names: list[str]) -> int:
    """Erase the named fields of each row (and end any one-use link); rows touched."""
    if not rows:
        return 0
    model = type(rows[0])
    fields = [model._meta.get_field(name) for name in names]
    link_fields = _link_fields(model)
    if not fields and not link_fields:
        return 0
    for row in rows:
        for field in fields:
            setattr(row, field.attname, erased_value(field, getattr(row, field.attname)))
        _kill_link(row)
    model._default_manager.bulk_update(rows, [f.name for f in fields] + link_fields)
    return len(rows)


def _kill_link(row: models.Model) -> None:
    # A one-use link (feedback, questionnaire) works no more, and its digest matches
    # nothing anyone holds.
    if hasattr(row, "expires_at") and (hasattr(row, "digest") or hasattr(row, "token_digest")):
        row.expires_at = timezone.now()
        for name in ("digest", "token_digest"):
            if getattr(row, name, None):
                setattr(row, name, secrets.token_hex(32))


def is_erased(person: models.Model) -> bool:
    return Erasure.objects.filter(person_id=person.pk).exists()


@transaction.atomic
def erase_person(
    *,
    person: models.Model,
    reason: str,
    by: AbstractBaseUser | None,
    kind: str = ErasureKind.REQUEST,
) -> Erasure:
    """Anonymise the person (and every record merged into them) everywhere. Refused with
    a Conflict when they were erased already, or while a referral of theirs is open and
    the erasure is for retention."""
    if not reason.strip():
        raise ValueError("A reason is required.")
    person = person_model().objects.select_for_update().get(pk=person.pk)
    if is_erased(person):
        raise Conflict("This person has already been erased.", current_state="erased")
    person_ids = same_person_ids(person)
    people = list(person_model().objects.filter(pk__in=person_ids))
    counts: dict[str, int] = {}
    unlinked = {label: list(qs) for label, qs in unlinked_matches(people).items()}
    for holding in holdings():
        names = [n for n in holding.personal if n not in holding.kept]
        touched = _anonymise(list(holding.rows_of(person_ids)), names)
        if touched:
            counts[holding.label] = touched
    interests = unlinked.get("community.Interest", [])
    if interests:
        counts["community.Interest"] = _erase_interests(interests)
    erasure = Erasure.objects.create(
        person_id=person.pk,
        kind=kind,
        reason=reason.strip()[:500],
        by_id=by.pk if by is not None and by.is_authenticated else None,
        counts=counts,
    )
    for merged_id in person_ids[1:]:
        Erasure.objects.create(
            person_id=merged_id, kind=kind, reason=f"merged into person {person.pk}", counts={}
        )
    record_event(
        by=by,
        action="person_erased" if kind == ErasureKind.REQUEST else "person_erased_retention",
        object_type="person",
        object_id=person.pk,
        summary=f"{sum(counts.values())} rows anonymised",
    )
    return erasure


def _link_fields(model: type[models.Model]) -> list[str]:
    names = {f.name for f in model._meta.concrete_fields}
    if "expires_at" not in names:
        return []
    return [n for n in ("expires_at", "digest", "token_digest") if n in names]


def _erase_interests(interests: list[models.Model]) -> int:
    """Interests matched by contact detail: contact details and words go, consent with
    them; the activity and neighbourhood still count towards emerging groups."""
    model = type(interests[0])
    fields = [model._meta.get_field(name) for name in model.PERSONAL_DATA_FIELDS]
    for row in interests:
        for field in fields:
            setattr(row, field.attname, erased_value(field, getattr(row, field.attname)))
        row.consent_to_contact = False
        row.contact_method = ""
        # An interest must say what (an activity or words): words-only ones keep a marker.
        if row.activity_id is None:
            row.description = ERASED
    names = [f.name for f in fields] + ["consent_to_contact", "contact_method"]
    model.objects.bulk_update(interests, names)
    return len(interests)
