"""Every resource in and out goes through `fhir.resources` (R4B models, see
docs/decisions.md: no release of the library has R4 4.0.1 models on pydantic 2, and the
resources used here are the same in R4 and R4B).

In: `parse` turns the library's errors into OperationOutcome issues naming the element
(`expression`, FHIRPath). Out: `checked` refuses to emit a resource that does not parse
(a bug, so a 500 and a failing test, never invalid FHIR sent to a GP system).
"""

from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from linkwork.interop.fhir.errors import FhirError, Issue


def _expression(resource_type: str, location: tuple) -> str:
    path = resource_type
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part in ("resource_type", "resourceType"):
            path += ".resourceType"
        elif not str(part).startswith("function-") and part not in ("__root__",):
            path += f".{str(part).removesuffix('__ext')}"
    return path


def parse(resource: Any, *, expected: str | tuple[str, ...], at: str = "") -> Any:
    """The resource as a model of one of the `expected` types, or a 400 naming what is
    wrong (`at` is the resource's place in a Bundle, for the expression)."""
    expected = (expected,) if isinstance(expected, str) else expected
    where = at or expected[0]
    if not isinstance(resource, dict):
        raise FhirError(400, [Issue("structure", f"Expected a {expected[0]} resource.", where)])
    resource_type = resource.get("resourceType")
    if resource_type not in expected:
        raise FhirError(
            400,
            [
                Issue(
                    "structure",
                    f"resourceType must be {' or '.join(expected)}, not {resource_type!r}.",
                    f"{where}.resourceType",
                )
            ],
        )
    model = get_fhir_model_class(resource_type)
    try:
        return model.model_validate(resource)
    except ValidationError as error:
        base = at or resource_type
        issues = [
            Issue(
                "structure" if "Extra" not in e["msg"] else "invalid",
                _message(e),
                _expression(base, tuple(e["loc"])),
            )
            for e in error.errors()
        ]
        raise FhirError(400, issues) from None


def _message(error: dict) -> str:
    message = str(error.get("msg", "Invalid."))
    return " ".join(message.split())[:300]


def checked(resource: dict) -> dict:
    """`resource` unchanged, once it parses as what it says it is (else an error)."""
    model = get_fhir_model_class(resource["resourceType"])
    model.model_validate(resource)
    return resource
