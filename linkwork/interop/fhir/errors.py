"""Errors as OperationOutcome: each issue names the element it is about (`expression`)."""

from dataclasses import dataclass

# Linkwork's field names (InvalidInput from the casework services) → the FHIR element a
# sender wrote them in.
FIELD_ELEMENTS = {
    "person.nhs_number": "Patient.identifier",
    "person.given_name": "Patient.name.given",
    "person.family_name": "Patient.name.family",
    "person.birth_date": "Patient.birthDate",
    "person.postcode": "Patient.address.postalCode",
    "person.phone": "Patient.telecom",
    "person.email": "Patient.telecom",
    "person.language": "Patient.communication",
    "reasons": "ServiceRequest.reasonCode",
    "consent.to_refer": "Consent",
    "source": "ServiceRequest.requester",
    "urgency": "ServiceRequest.priority",
    "service_id": "ServiceRequest.performer",
    "reason": "ServiceRequest.status",
}


@dataclass
class Issue:
    code: str  # an IssueType: structure, required, value, invalid, forbidden, not-found ...
    diagnostics: str
    expression: str = ""
    severity: str = "error"

    def as_fhir(self) -> dict:
        issue = {"severity": self.severity, "code": self.code, "diagnostics": self.diagnostics}
        if self.expression:
            issue["expression"] = [self.expression]
        return issue


class FhirError(Exception):
    """An answer that is an OperationOutcome with an HTTP status."""

    def __init__(self, status: int, issues: list[Issue], headers: dict | None = None) -> None:
        super().__init__("; ".join(i.diagnostics for i in issues))
        self.status = status
        self.issues = issues
        self.headers = headers or {}


def operation_outcome(issues: list[Issue]) -> dict:
    return {"resourceType": "OperationOutcome", "issue": [i.as_fhir() for i in issues]}


def from_invalid_input(errors: dict[str, str], *, status: int = 422) -> FhirError:
    return FhirError(
        status,
        [
            Issue(
                "invalid" if field in FIELD_ELEMENTS else "value",
                message,
                FIELD_ELEMENTS.get(field, field),
            )
            for field, message in errors.items()
        ],
    )


def invalid(expression: str, message: str, *, status: int = 422, code: str = "value"):
    return FhirError(status, [Issue(code, message, expression)])
