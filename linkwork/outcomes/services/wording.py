"""Licensed wording: an instrument's item wording, imported from the licence holder's CSV."""

import csv
import io

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from linkwork.audit.services import record_event
from linkwork.errors import InvalidInput
from linkwork.outcomes.instruments import instrument
from linkwork.outcomes.models import ItemWording
from linkwork.outcomes.services._common import _instrument_or_422


def read_wording_csv(text: str) -> list[dict[str, str]]:

    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"instrument", "item_number", "wording"} <= {
        name.strip() for name in reader.fieldnames
    }:
        raise InvalidInput({"file": "The CSV needs a header: instrument,item_number,wording"})
    return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]


@transaction.atomic
def import_wording(*, rows: list[dict[str, str]], by: AbstractBaseUser | None) -> dict[str, int]:
    """A licensed organisation's item wording, stored in the database (never in git).
    Every item of each instrument named must be given, once; all or nothing. Returns
    how many items were stored per instrument."""

    by_code: dict[str, dict[int, str]] = {}
    for line, row in enumerate(rows, start=2):
        found = _instrument_or_422(row.get("instrument", ""))
        if not found.licensed_wording:
            raise InvalidInput({f"line {line}": f"{found.short_name} wording is shipped already."})
        try:
            number = int(row.get("item_number", ""))
        except ValueError:
            raise InvalidInput({f"line {line}": "item_number must be a whole number."}) from None
        if not 1 <= number <= len(found.items):
            raise InvalidInput(
                {f"line {line}": f"{found.short_name} items are numbered 1 to {len(found.items)}."}
            )
        if not row.get("wording"):
            raise InvalidInput({f"line {line}": "The wording is empty."})
        if number in by_code.setdefault(found.code, {}):
            raise InvalidInput({f"line {line}": f"Item {number} is given twice."})
        by_code[found.code][number] = row["wording"]
    if not by_code:
        raise InvalidInput({"file": "No wording found in the file."})
    for code, items in by_code.items():
        missing = sorted(set(range(1, len(instrument(code).items) + 1)) - set(items))
        if missing:
            raise InvalidInput({code: f"Items missing: {', '.join(map(str, missing))}."})
        ItemWording.objects.filter(instrument=code).delete()
        ItemWording.objects.bulk_create(
            ItemWording(instrument=code, item_number=n, wording=w) for n, w in items.items()
        )
        record_event(
            by=by,
            action="instrument_wording_imported",
            object_type="instrument",
            object_id=code,
            summary=f"items={len(items)}",
        )
    return {code: len(items) for code, items in by_code.items()}
