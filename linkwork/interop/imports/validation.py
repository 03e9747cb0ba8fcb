"""Each incoming service record checked for shape and size before anything is written.

The shape is Open Referral UK 3.0's own (the `service.json` schema and those it refers
to, copied in linkwork/interop/openreferral/oruk-3.0/): a list where it says a list, an
object where it says an object, a number where it says a number. Without this a record
with `"service_at_locations": "not-a-list"` became a published listing with no location.
What a listing needs (a name, a description, a status we know) and what each value means
is the parsing package's to say, with its own reasons, so the schema's `required` and `enum` are
left to it. Scalars may come as text (a data package's CSV has nothing else), and a
null or blank value counts as absent.

Sizes are Linkwork's: a 9 MB description was published and served to anyone.
"""

import json
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.validators import extend
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from linkwork.interop.imports.parsing import RecordRejected

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "openreferral" / "oruk-3.0" / "schema"
SCHEMA_BASE = "https://openreferraluk.org/specifications/3.0/schema/"

# Longer than any description a person would read; a listing's text is shown in full.
MAX_TEXT_LENGTH = 10_000
MAX_ITEMS = 500  # locations, schedules, contacts, terms... in one service
MAX_DEPTH = 12  # ORUK nests six deep (service → at location → location → address ...)
MAX_RECORD_BYTES = 1_000_000


def check_record(record: Any) -> None:
    """Raises RecordRejected naming the first field whose shape or size is wrong."""
    if not isinstance(record, dict):
        raise RecordRejected("a service must be a JSON object")
    _check_sizes(record, "", 0)
    size = len(json.dumps(record, ensure_ascii=False, default=str).encode())
    if size > MAX_RECORD_BYTES:
        raise RecordRejected(f"the record is {size:,} bytes; at most {MAX_RECORD_BYTES:,}")
    error = next(_validator().iter_errors(_present(record)), None)
    if error is not None:
        where = _path(error.absolute_path) or "the record"
        expected = error.validator_value if error.validator == "type" else error.message
        shown = json.dumps(error.instance, default=str)
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        raise RecordRejected(f"{where} {shown} is not {_a(expected)} (ORUK 3.0 schema)")


def _check_sizes(value: Any, where: str, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise RecordRejected(f"{where or 'the record'} is nested more than {MAX_DEPTH} deep")
    if isinstance(value, str):
        if len(value) > MAX_TEXT_LENGTH:
            raise RecordRejected(
                f"{where} is {len(value):,} characters long; at most {MAX_TEXT_LENGTH:,}"
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_sizes(item, f"{where}.{key}" if where else str(key), depth + 1)
    elif isinstance(value, list):
        if len(value) > MAX_ITEMS:
            raise RecordRejected(f"{where} has {len(value):,} items; at most {MAX_ITEMS}")
        for index, item in enumerate(value):
            _check_sizes(item, f"{where}[{index}]", depth + 1)


def _present(value: Any) -> Any:
    """The record without its null and blank values (absent, as far as the shape goes)."""
    if isinstance(value, dict):
        return {k: _present(v) for k, v in value.items() if v is not None and v != ""}
    if isinstance(value, list):
        return [_present(item) for item in value]
    return value


def _path(parts: Iterator) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _a(expected: Any) -> str:
    words = {"array": "a list", "object": "an object", "string": "text", "number": "a number"}
    words |= {"integer": "a whole number", "boolean": "true or false"}
    if isinstance(expected, list):
        return " or ".join(_a(e) for e in expected)
    return words.get(expected, str(expected))


# --- The schema ------------------------------------------------------------------------


def _is_number(checker, value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    if isinstance(value, str):
        try:
            return Decimal(value.strip()).is_finite()
        except InvalidOperation:
            return False
    return False


def _is_integer(checker, value: Any) -> bool:
    if not _is_number(checker, value):
        return False
    number = Decimal(str(value).strip())
    return number == number.to_integral_value()


def _is_boolean(checker, value: Any) -> bool:
    return isinstance(value, bool) or (
        isinstance(value, str) and value.strip().lower() in {"true", "false"}
    )


def _is_text(checker, value: Any) -> bool:
    # A number where text is wanted (an id of 42) reads as that text; a list or object
    # does not.
    return isinstance(value, str) or (
        isinstance(value, int | float) and not isinstance(value, bool)
    )


def _shape_only(schema: Any) -> Any:
    """The schema without `required` and `enum`: those are the parsing package's to judge."""
    if isinstance(schema, dict):
        return {
            key: _shape_only(value)
            for key, value in schema.items()
            if not (key in {"required", "enum"} and isinstance(value, list))
        }
    if isinstance(schema, list):
        return [_shape_only(item) for item in schema]
    return schema


@cache
def _validator() -> Draft202012Validator:
    schemas = {
        SCHEMA_BASE + path.name: _shape_only(json.loads(path.read_text(encoding="utf-8")))
        for path in SCHEMA_DIR.glob("*.json")
    }
    registry = Registry().with_resources(
        (uri, DRAFT202012.create_resource(schema)) for uri, schema in schemas.items()
    )
    checker = Draft202012Validator.TYPE_CHECKER.redefine_many(
        {"number": _is_number, "integer": _is_integer, "boolean": _is_boolean, "string": _is_text}
    )
    lenient = extend(Draft202012Validator, type_checker=checker)
    return lenient(schemas[SCHEMA_BASE + "service.json"], registry=registry)
