"""The rules every /api/v1 input follows, in one base class (DESIGN.md §9).

- An unknown field is refused (422 naming it): a client must never believe it saved
  what was thrown away.
- `null` in an optional field means absent: the field takes its default.
- No text anywhere in a body or query holds a NUL character (PostgreSQL cannot store
  one, and no person types one), and every text field has a maximum length well under
  the request size limit, so a bad value is a 422 naming the field, never a 500.
- Names (`Name`) must have a visible character: whitespace or invisible characters
  alone (zero-width spaces, joiners, byte-order marks) are not a name.

A PATCH body (`Patch`) is the exception to the null rule: there `null` is a value, so
`null` for a field that cannot be empty is a 422 naming it (see `NotNull`).
"""

import datetime as dt
import re
import typing
import unicodedata
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import (
    AfterValidator,
    ConfigDict,
    ModelWrapValidatorHandler,
    ValidationInfo,
    field_validator,
    model_validator,
)

# Longest free text a person writes into one field (a case note, a description).
MAX_TEXT = 10_000
MAX_CODE = 64  # taxonomy codes, instrument codes, statuses
MAX_LIST = 100  # items in a list of codes or goals


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple | set):
        return any(_has_nul(item) for item in value)
    return False


def visible(value: str) -> str:
    """Refuse text with nothing a reader would see: only spaces, controls or format marks."""
    if value and all(
        char.isspace() or unicodedata.category(char) in {"Cc", "Cf", "Zs", "Zl", "Zp", "Mn"}
        for char in value
    ):
        raise ValueError("Give a name with letters in it, not only spaces or invisible marks.")
    return value


# A person's or a listing's name: required, visible, at most the model's 100/200 chars.
Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(visible)]
PersonName = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(visible)]
Code = Annotated[str, Field(max_length=MAX_CODE)]
Note = Annotated[str, Field(max_length=MAX_TEXT)]  # free text: notes, reasons, summaries


# The range of a database integer column: a larger number is a 422, not an overflow.
MIN_INT, MAX_INT = -(2**31), 2**31 - 1
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _types_of(annotation: Any) -> set:
    return {annotation, *typing.get_args(annotation)}


class NulFree(Schema):
    """No NUL character in any text, whatever its type (str, list, dict, Any); and no
    guessing at what a value meant: `true` is not the number 1, `0` is not a date; and no
    number too large for a database column."""

    @field_validator("*", mode="before")
    @classmethod
    def _as_documented(cls, value: Any, info: ValidationInfo) -> Any:
        types = _types_of(cls.model_fields[info.field_name].annotation)
        if isinstance(value, bool) and int in types and bool not in types:
            raise ValueError("Input should be a valid integer, not true or false.")
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and not MIN_INT <= value <= MAX_INT
        ):
            raise ValueError(f"Give a whole number between {MIN_INT} and {MAX_INT}.")
        written_as_date = isinstance(value, str) and ISO_DATE.fullmatch(value)
        if dt.date in types and not (
            value is None or isinstance(value, dt.date) or written_as_date
        ):
            raise ValueError("Give a date as YYYY-MM-DD.")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if _has_nul(value):
            raise ValueError("Text cannot contain the NUL character (\\u0000).")
        return value


class Body(NulFree):
    """JSON has its own true and false: in a body, 1, 0 or "yes" is not a boolean."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _booleans_are_json_booleans(cls, value: Any, info: ValidationInfo) -> Any:
        types = _types_of(cls.model_fields[info.field_name].annotation)
        if bool in types and not isinstance(value, bool) and value is not None:
            raise ValueError("Input should be true or false.")
        return value


def _optional_fields_take_null(schema: dict, model: type) -> None:
    # Say in the OpenAPI what the validator below does: null is accepted, as absent.
    for name, field in model.model_fields.items():
        prop = schema.get("properties", {}).get(name)
        if prop is None or field.is_required() or field.default is None:
            continue
        if {"type": "null"} not in prop.get("anyOf", []):
            schema["properties"][name] = {
                "anyOf": [
                    {k: v for k, v in prop.items() if k not in ("default", "title")},
                    {"type": "null"},
                ],
                **{k: prop[k] for k in ("default", "title", "description") if k in prop},
            }


class Input(Body):
    """A request body: unknown fields refused, null in an optional field is absent."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_optional_fields_take_null)

    # A wrap validator, outside Ninja's own (which hands fields a wrapper, not the dict).
    @model_validator(mode="wrap")
    @classmethod
    def _null_means_absent(cls, data: Any, handler: ModelWrapValidatorHandler) -> Any:
        if isinstance(data, dict):
            optional = {
                name
                for name, field in cls.model_fields.items()
                if not field.is_required() and field.default is not None
            }
            data = {
                key: value
                for key, value in data.items()
                if value is not None or key not in optional
            }
        return handler(data)


class Patch(Body):
    """A PATCH body: unknown fields refused; a field left out is unchanged."""


def NotNull(**kwargs: Any) -> Any:  # noqa: N802 (a field, like pydantic's Field)
    """A PATCH field that may be left out but not set to null (its column cannot be empty):
    null is then a 422 naming it, never a database error."""
    return Field(None, json_schema_extra=_drop_default, **kwargs)


def _drop_default(schema: dict) -> None:
    # The None default only marks "left out"; it is not a value a client may send.
    schema.pop("default", None)


class QueryParams(NulFree):
    """Query parameters: NUL-free like bodies. Unknown parameters are ignored, as the web
    expects (cache-busters, tracking), since nothing is saved from them."""
