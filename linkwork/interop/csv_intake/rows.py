"""CSV intake of referrals, for places without an integration: the template, each row
checked on its own (row-level errors, nothing written), and the import of the good
rows, each all-or-nothing and idempotent on the row's `reference`.

The checks are those of the casework services (people.person_errors, the postcode
lookup, the need taxonomy, the source and urgency choices); the import goes through
`create_referral`, so matching, consent and notices are those of every referral.
"""

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from linkwork.audit.services import record_event
from linkwork.csvsafe import DictWriter
from linkwork.directory.models import Organisation, TaxonomyTerm
from linkwork.errors import InvalidInput
from linkwork.places.selectors import InvalidPostcode, UnknownPostcode, postcode_point
from linkwork.referrals import services
from linkwork.referrals.models import Referral, Source, Urgency
from linkwork.referrals.people import person_errors

# column → what goes in it (the documented template; the first row of the file).
COLUMNS = {
    "reference": "Your own reference for the referral (required; a row whose reference was "
    "imported before is skipped, so a file can be uploaded again).",
    "given_name": "First name (required).",
    "family_name": "Last name (required).",
    "birth_date": "Date of birth, YYYY-MM-DD or DD/MM/YYYY (required).",
    "postcode": "Home postcode (required).",
    "nhs_number": "NHS number, 10 digits (optional; checked).",
    "phone": "Phone (optional).",
    "email": "Email (optional).",
    "reasons": "Need codes separated by ; e.g. need-loneliness;need-housing (required).",
    "consent_to_refer": "yes: the person agreed to be referred (required).",
    "share_with_groups": "yes or no: the person agreed to share details with groups.",
    "source": f"Who referred: one of {', '.join(Source.values)} (required).",
    "urgency": f"One of {', '.join(Urgency.values)} (default routine).",
    "notes": "Anything the link worker should know (optional).",
}
REQUIRED = (
    "reference",
    "given_name",
    "family_name",
    "birth_date",
    "postcode",
    "reasons",
    "consent_to_refer",
    "source",
)
MAX_ROWS = 1000
EXAMPLE = {
    "reference": "SURG-0001",
    "given_name": "Pat",
    "family_name": "Holden",
    "birth_date": "1956-03-14",
    "postcode": "BL2 6LT",
    "nhs_number": "9434765919",
    "phone": "",
    "email": "",
    "reasons": "need-loneliness;need-physical-activity",
    "consent_to_refer": "yes",
    "share_with_groups": "yes",
    "source": "gp",
    "urgency": "routine",
    "notes": "Recently bereaved.",
}


def template_csv(*, with_example: bool = True) -> str:
    out = io.StringIO()
    writer = DictWriter(out, fieldnames=list(COLUMNS))
    writer.writeheader()
    if with_example:
        writer.writerow(EXAMPLE)
    return out.getvalue()


@dataclass
class Row:
    number: int  # the line in the file (the header is line 1)
    reference: str
    values: dict
    errors: dict[str, str] = field(default_factory=dict)
    already: bool = False  # imported before: skipped
    referral_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and not self.already


@dataclass
class Preview:
    rows: list[Row]
    file_errors: list[str]

    @property
    def good(self) -> list[Row]:
        return [row for row in self.rows if row.ok]

    @property
    def bad(self) -> list[Row]:
        return [row for row in self.rows if row.errors]

    @property
    def already(self) -> list[Row]:
        return [row for row in self.rows if row.already]


def key(service: Organisation, reference: str) -> str:
    digest = hashlib.sha256(f"{service.pk}|{reference}".encode()).hexdigest()
    return "csv:" + digest[:60]


def _yes(value: str) -> bool | None:
    value = value.strip().lower()
    if value in ("yes", "y", "true", "1"):
        return True
    if value in ("no", "n", "false", "0", ""):
        return False
    return None


def _date(value: str) -> dt.date | None:
    value = value.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def read(text: str, *, service: Organisation) -> Preview:
    """Every row checked; nothing written."""
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c and c not in COLUMNS]
    problems = []
    if missing:
        problems.append(f"Missing columns: {', '.join(missing)}. Use the template.")
    if unknown:
        problems.append(f"Columns the template does not have: {', '.join(unknown)}.")
    if problems:
        return Preview([], problems)
    rows, seen = [], set()
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            return Preview([], [f"Upload at most {MAX_ROWS} rows at a time."])
        values = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
        if not any(values.values()):
            continue
        row = Row(number, values.get("reference", ""), values)
        row.errors = _errors(values)
        if row.reference in seen:
            row.errors["reference"] = "This reference is on an earlier row of the file."
        seen.add(row.reference)
        if row.reference and not row.errors:
            earlier = Referral.objects.filter(idempotency_key=key(service, row.reference)).first()
            if earlier is not None:
                row.already, row.referral_id = True, earlier.pk
        rows.append(row)
    if not rows:
        return Preview([], ["The file has no rows under its header."])
    return Preview(rows, [])


def _errors(values: dict) -> dict[str, str]:

    errors = {column: "Fill this in." for column in REQUIRED if not values.get(column)}
    person = {
        "given_name": values.get("given_name", ""),
        "family_name": values.get("family_name", ""),
        "birth_date": _date(values.get("birth_date", "")),
        "nhs_number": values.get("nhs_number", ""),
    }
    for column, message in person_errors(person).items():
        errors.setdefault(column, message)
    if values.get("postcode"):
        try:
            postcode_point(values["postcode"])
        except (InvalidPostcode, UnknownPostcode) as error:
            errors["postcode"] = str(error)
    codes = [c.strip() for c in values.get("reasons", "").split(";") if c.strip()]
    if codes:
        known = set(
            TaxonomyTerm.objects.filter(code__in=codes, vocabulary="need").values_list(
                "code", flat=True
            )
        )
        unknown = [c for c in codes if c not in known]
        if unknown:
            errors["reasons"] = f"Not need codes: {', '.join(unknown)}."
    if values.get("consent_to_refer") and _yes(values["consent_to_refer"]) is not True:
        errors["consent_to_refer"] = "Only refer someone who agreed: write yes."
    if _yes(values.get("share_with_groups", "")) is None:
        errors["share_with_groups"] = "Write yes or no."
    if values.get("source") and values["source"] not in Source.values:
        errors["source"] = f"One of {', '.join(Source.values)}."
    if values.get("urgency") and values["urgency"] not in Urgency.values:
        errors["urgency"] = f"One of {', '.join(Urgency.values)}."
    return errors


@dataclass
class Imported:
    created: list[Row]
    skipped: list[Row]
    failed: list[Row]


def import_rows(*, text: str, service: Organisation, by: AbstractBaseUser) -> Imported:
    """Import the good rows, each in its own transaction (a bad row never stops the
    others, and never leaves half a referral)."""
    preview = read(text, service=service)
    created, failed = [], list(preview.bad)
    for row in preview.good:
        values = row.values
        person = {
            "given_name": values["given_name"],
            "family_name": values["family_name"],
            "birth_date": _date(values["birth_date"]),
            "postcode": values["postcode"],
        }
        for optional in ("nhs_number", "phone", "email"):
            if values.get(optional):
                person[optional] = values[optional]
        try:
            with transaction.atomic():
                referral = services.create_referral(
                    person=person,
                    source=values["source"],
                    reasons=[c.strip() for c in values["reasons"].split(";") if c.strip()],
                    consent_to_refer=True,
                    share_with_groups=bool(_yes(values.get("share_with_groups", ""))),
                    urgency=values.get("urgency") or Urgency.ROUTINE,
                    notes=values.get("notes", ""),
                    service=service,
                    idempotency_key=key(service, row.reference),
                    by=by,
                )
        except InvalidInput as error:
            row.errors = {k.removeprefix("person."): v for k, v in error.errors.items()}
            failed.append(row)
            continue
        row.referral_id = referral.pk
        created.append(row)
    record_event(
        by=by,
        action="referrals_imported_csv",
        object_type="organisation",
        object_id=service.pk,
        summary=f"created={len(created)} skipped={len(preview.already)} failed={len(failed)}",
    )
    return Imported(created, preview.already, failed)
