"""Subject access (UK GDPR article 15): everything held about a person, as JSON and as a
page a person can read. Built from the registry, so it covers every linked model."""

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone

from linkwork.audit.services import record_event
from linkwork.privacy.registry import holdings, person_model, same_person_ids, unlinked_matches

# Never exported: secrets that would let the export be used as a key.
SECRET_FIELDS = {"password", "digest", "token_digest", "idempotency_key"}


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "hex") and not isinstance(value, str | bytes | int | float):
        return str(value)  # UUID
    return value


def row_as_dict(row: models.Model) -> dict[str, Any]:
    """Every stored column of the row (foreign keys as ids), secrets left out."""
    out = {}
    for field in row._meta.concrete_fields:
        if field.name in SECRET_FIELDS:
            continue
        out[field.attname] = _value(getattr(row, field.attname))
    return out


def _labels(model: type[models.Model]) -> dict[str, str]:
    return {
        f.attname: str(f.verbose_name).capitalize()
        for f in model._meta.concrete_fields
        if f.name not in SECRET_FIELDS
    }


def subject_access(*, person: models.Model, by: AbstractBaseUser | None) -> dict[str, Any]:
    """The export: each kind of record with its rows, and the audit trail of who read or
    changed the person's records. Audited as an export."""
    person_ids = same_person_ids(person)
    people = list(person_model().objects.filter(pk__in=person_ids))
    records: dict[str, dict[str, Any]] = {}
    referral_ids: list[int] = []
    for holding in holdings():
        rows = list(holding.rows_of(person_ids))
        if not rows:
            continue
        if holding.label == "referrals.Referral":
            referral_ids = [r.pk for r in rows]
        records[holding.label] = _section(holding.model, rows, holding.personal)
    for label, queryset in unlinked_matches(people).items():
        rows = list(queryset)
        if rows:
            model = apps.get_model(label)
            records[label] = _section(model, rows, getattr(model, "PERSONAL_DATA_FIELDS", ()))
    audit = apps.get_model("audit", "AuditEvent").objects.filter(
        models.Q(object_type="person", object_id__in=[str(i) for i in person_ids])
        | models.Q(object_type="referral", object_id__in=[str(i) for i in referral_ids])
    )
    record_event(
        by=by,
        action="subject_access_export",
        object_type="person",
        object_id=person.pk,
        summary=f"{sum(len(s['rows']) for s in records.values())} records",
    )
    return {
        "person_id": person.pk,
        "exported_at": timezone.now().isoformat(),
        "records": records,
        "audit_trail": [
            {
                "at": e.occurred_at.isoformat(),
                "action": e.action,
                "record": f"{e.object_type} {e.object_id}",
                "by_user_id": e.actor_id,
            }
            for e in audit.order_by("occurred_at", "id")
        ],
    }


def _section(model: type[models.Model], rows: list, personal) -> dict[str, Any]:
    return {
        "name": str(model._meta.verbose_name_plural).capitalize(),
        "personal_fields": list(personal),
        "labels": _labels(model),
        "rows": [row_as_dict(row) for row in rows],
    }


def as_json(export: dict[str, Any]) -> str:
    return json.dumps(export, indent=2, ensure_ascii=False, sort_keys=False)


def as_html(export: dict[str, Any]) -> str:
    """A standalone page (no scripts, styles inline) the person can read or print."""
    return render_to_string("privacy/subject_access_export.jinja", {"export": export})
