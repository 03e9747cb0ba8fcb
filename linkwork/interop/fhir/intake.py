"""Referrals in: a ServiceRequest (its Patient and Consent contained, or beside it in a
transaction or message Bundle) becomes a referral through the casework services, so
person matching, consent, eligibility and notices are exactly those of every referral.

Nothing is written unless everything parses and passes: one transaction, and each
problem an OperationOutcome issue naming the element.
"""

import hashlib
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from linkwork.audit.services import record_event
from linkwork.directory.models import Organisation, OrganisationKind
from linkwork.interop.fhir import codes
from linkwork.interop.fhir.errors import FhirError, Issue, invalid
from linkwork.interop.fhir.http import Caller
from linkwork.interop.fhir.models import ReceivedRequest
from linkwork.interop.fhir.resources import PRIORITY_IN
from linkwork.interop.fhir.validation import parse
from linkwork.referrals import services
from linkwork.referrals.models import Referral

SOURCE_BY_KIND = {
    OrganisationKind.GP_PRACTICE: "gp",
    OrganisationKind.VCFSE: "vcfse",
    OrganisationKind.COUNCIL: "social_care",
}
# Resources a referral Bundle may carry beside the ServiceRequest. Who referred is the
# calling client's organisation; PractitionerRole / Organization are read only to check
# that they name it.
BUNDLE_TYPES = {
    "ServiceRequest",
    "Patient",
    "Consent",
    "PractitionerRole",
    "Organization",
    "Practitioner",
}


@dataclass
class Resources:
    """The resources of one referral, found by reference (contained `#id`, a Bundle
    entry's fullUrl, or `Type/id` matching an entry)."""

    by_reference: dict[str, dict] = field(default_factory=dict)
    of_type: dict[str, list[dict]] = field(default_factory=dict)

    def add(self, resource: dict, *names: str) -> None:
        for name in names:
            if name:
                self.by_reference[name] = resource
        self.of_type.setdefault(resource.get("resourceType", ""), []).append(resource)

    def find(self, reference: dict | None) -> dict | None:
        if not reference:
            return None
        return self.by_reference.get(str(reference.get("reference") or ""))


@dataclass
class Outcome:
    referral: Referral
    created: bool
    person_created: bool = False


def _contained(service_request: dict, resources: Resources) -> None:
    for index, resource in enumerate(service_request.get("contained") or []):
        if isinstance(resource, dict) and resource.get("id"):
            resources.add(resource, f"#{resource['id']}")
        else:
            raise invalid(
                f"ServiceRequest.contained[{index}]",
                "A contained resource needs an id.",
                status=400,
                code="structure",
            )


def receive_service_request(*, service_request: Any, caller: Caller, via: str = "rest") -> Outcome:
    """POST /fhir/ServiceRequest: one ServiceRequest, its Patient and Consent contained."""
    resources = Resources()
    if isinstance(service_request, dict):
        _contained(service_request, resources)
    return _receive(service_request, resources, caller=caller, via=via)


def bundle_resources(bundle: dict, *, allowed: set[str], prefix: str = "Bundle") -> tuple:
    """(ServiceRequest, Resources, entries) of a transaction or message Bundle."""
    resources = Resources()
    service_requests = []
    entries = bundle.get("entry") or []
    for index, entry in enumerate(entries):
        resource = entry.get("resource") or {}
        kind = resource.get("resourceType")
        at = f"{prefix}.entry[{index}].resource"
        if kind not in allowed:
            raise invalid(
                f"{at}.resourceType",
                f"A referral Bundle cannot carry a {kind!r}.",
                status=400,
                code="not-supported",
            )
        names = [entry.get("fullUrl") or ""]
        if resource.get("id"):
            names.append(f"{kind}/{resource['id']}")
        resources.add(resource, *names)
        if kind == "ServiceRequest":
            service_requests.append(resource)
            _contained(resource, resources)
    if len(service_requests) != 1:
        raise invalid(
            f"{prefix}.entry",
            "A referral Bundle carries exactly one ServiceRequest.",
            status=400,
            code="structure",
        )
    return service_requests[0], resources, entries


def receive_transaction(*, bundle: dict, caller: Caller) -> tuple[Outcome, list[dict]]:
    """POST /fhir/ with a transaction Bundle: one atomic referral. Returns the outcome and
    the Bundle's entries (for the transaction-response, in the same order)."""
    parse(bundle, expected="Bundle")
    if bundle.get("type") != "transaction":
        raise invalid("Bundle.type", "Post a transaction Bundle to the base.", status=400)
    for index, entry in enumerate(bundle.get("entry") or []):
        method = (entry.get("request") or {}).get("method")
        if method != "POST":
            raise invalid(
                f"Bundle.entry[{index}].request.method",
                "Only POST (create) is supported in a transaction.",
                status=400,
                code="not-supported",
            )
    service_request, resources, entries = bundle_resources(bundle, allowed=BUNDLE_TYPES)
    return _receive(service_request, resources, caller=caller, via="transaction"), entries


def _receive(service_request: Any, resources: Resources, *, caller: Caller, via: str) -> Outcome:
    parse(service_request, expected="ServiceRequest")
    organisation = caller.organisation
    if organisation is None:
        raise FhirError(403, [Issue("forbidden", "Only a referrer's credentials can refer.")])
    identifier = _identifier(service_request)
    earlier = (
        ReceivedRequest.objects.filter(
            organisation=organisation,
            identifier_system=identifier[0],
            identifier_value=identifier[1],
        )
        .select_related("referral")
        .first()
    )
    if earlier is not None:
        record_event(
            by=caller.user,
            action="fhir_service_request_resent",
            object_type="referral",
            object_id=earlier.referral_id,
            summary=caller.label,
        )
        return Outcome(earlier.referral, created=False)
    _check_requester(service_request, resources, organisation)
    if service_request.get("status") != "active":
        raise invalid(
            "ServiceRequest.status",
            "A new referral's status is active (revoke one with a BaRS update message).",
            code="value",
        )
    patient = resources.find(service_request.get("subject"))
    if patient is None or patient.get("resourceType") != "Patient":
        raise invalid(
            "ServiceRequest.subject",
            "subject must refer to the Patient, contained or in the Bundle.",
        )
    parse(patient, expected="Patient")
    person = person_details(patient)
    reasons = reasons_of(service_request)
    to_refer, share = consent_of(service_request, resources)
    notes = "\n".join(
        str(note.get("text") or "").strip() for note in service_request.get("note") or []
    ).strip()
    with transaction.atomic():
        referral = services.create_referral(
            person=person,
            source=SOURCE_BY_KIND.get(organisation.kind, "other"),
            reasons=reasons,
            consent_to_refer=to_refer,
            share_with_groups=share,
            urgency=PRIORITY_IN.get(service_request.get("priority") or "routine", "routine"),
            notes=notes,
            service=_performer(service_request),
            referrer_organisation=organisation,
            idempotency_key=_key(organisation, identifier),
            by=caller.user,
        )
        ReceivedRequest.objects.create(
            referral=referral,
            organisation=organisation,
            identifier_system=identifier[0],
            identifier_value=identifier[1],
            via=via,
        )
        record_event(
            by=caller.user,
            action="fhir_service_request_received",
            object_type="referral",
            object_id=referral.pk,
            summary=f"{caller.label} via={via}",
        )
    person_created = referral.person.referrals.count() == 1
    return Outcome(referral, created=True, person_created=person_created)


def _key(organisation: Organisation, identifier: tuple[str, str]) -> str:
    digest = hashlib.sha256(f"{organisation.pk}|{identifier[0]}|{identifier[1]}".encode())
    return "fhir:" + digest.hexdigest()[:58]


def _identifier(service_request: dict) -> tuple[str, str]:
    for identifier in service_request.get("identifier") or []:
        system, value = identifier.get("system"), identifier.get("value")
        if system and value:
            return str(system)[:200], str(value)[:200]
    raise invalid(
        "ServiceRequest.identifier",
        "Give the ServiceRequest an identifier (system and value): a resend with "
        "the same identifier returns the same referral.",
    )


def _linkwork_id(reference: dict | None, kind: str) -> str | None:
    text = str((reference or {}).get("reference") or "")
    prefix = f"{kind}/"
    return text.removeprefix(prefix) if text.startswith(prefix) else None


def _check_requester(service_request: dict, resources: Resources, organisation) -> None:
    """The requester, where it names a Linkwork organisation, must be the caller's own."""
    requester = service_request.get("requester")
    named = resources.find(requester)
    organisation_ref = requester
    if named is not None and named.get("resourceType") == "PractitionerRole":
        organisation_ref = named.get("organization")
    elif named is not None and named.get("resourceType") == "Organization":
        organisation_ref = {"reference": f"Organization/{named.get('id', '')}"}
    given = _linkwork_id(organisation_ref, "Organization")
    if given and given != str(organisation.uuid):
        raise FhirError(
            403,
            [
                Issue(
                    "forbidden",
                    "A client refers for its own organisation only.",
                    "ServiceRequest.requester",
                )
            ],
        )


def _performer(service_request: dict) -> Organisation | None:
    for index, performer in enumerate(service_request.get("performer") or []):
        given = _linkwork_id(performer, "Organization")
        if given is None:
            continue
        found = Organisation.objects.filter(
            uuid=given if _is_uuid(given) else None,
            kind=OrganisationKind.SOCIAL_PRESCRIBING_SERVICE,
        ).first()
        if found is None:
            raise invalid(
                f"ServiceRequest.performer[{index}]", "No social prescribing service has this id."
            )
        return found
    return None


def _is_uuid(value: str) -> bool:

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def person_details(patient: dict) -> dict:
    """A person's details as the casework services take them, from a Patient."""
    details: dict[str, Any] = {}
    for identifier in patient.get("identifier") or []:
        if identifier.get("system") == codes.NHS_NUMBER and identifier.get("value"):
            details["nhs_number"] = str(identifier["value"])
    names = patient.get("name") or []
    name = next((n for n in names if n.get("use") == "official"), names[0] if names else {})
    details["given_name"] = " ".join(name.get("given") or [])
    details["family_name"] = name.get("family") or ""
    details["birth_date"] = patient.get("birthDate") or ""
    details["postcode"] = next(
        (a["postalCode"] for a in patient.get("address") or [] if a.get("postalCode")), ""
    )
    for telecom in patient.get("telecom") or []:
        kind, value = telecom.get("system"), telecom.get("value")
        if kind == "phone" and value and "phone" not in details:
            details["phone"] = str(value)[:32]
        if kind == "email" and value and "email" not in details:
            details["email"] = str(value)
    for communication in patient.get("communication") or []:
        for coding in (communication.get("language") or {}).get("coding") or []:
            if coding.get("code") and "language" not in details:
                details["language"] = str(coding["code"]).split("-")[0][:3].lower()
    return details


def reasons_of(service_request: dict) -> list[str]:
    """Linkwork need codes from reasonCode (required) and category (SDOHCC or Linkwork
    codings only; other category codings, e.g. a SNOMED procedure category, are left)."""
    reason_codes = service_request.get("reasonCode") or []
    if not reason_codes:
        raise invalid(
            "ServiceRequest.reasonCode",
            "Give at least one reason for the referral.",
            code="required",
        )
    needs: list[str] = []
    for index, concept in enumerate(reason_codes):
        found = [
            codes.need_for(c.get("system") or "", c.get("code") or "")
            for c in concept.get("coding") or []
        ]
        found = [need for need in found if need]
        if not found:
            raise invalid(
                f"ServiceRequest.reasonCode[{index}]",
                "No coding here is a reason Linkwork knows (Linkwork need codes or "
                "SDOHCC categories; see /fhir/metadata).",
                code="code-invalid",
            )
        needs += found
    for index, concept in enumerate(service_request.get("category") or []):
        for position, coding in enumerate(concept.get("coding") or []):
            if coding.get("system") not in (codes.SDOHCC, codes.NEED):
                continue
            need = codes.need_for(coding["system"], coding.get("code") or "")
            if need is None:
                raise invalid(
                    f"ServiceRequest.category[{index}].coding[{position}]",
                    f"Unknown category code {coding.get('code')!r}.",
                    code="code-invalid",
                )
            needs.append(need)
    return list(dict.fromkeys(needs))


def consent_of(service_request: dict, resources: Resources) -> tuple[bool, bool]:
    """(consent to refer, consent to share with groups). A Consent that is active and
    permits is consent to refer; a nested permit with the `disclose` action is consent to
    share details with the groups the person is connected to."""
    consents = [resources.find(info) for info in service_request.get("supportingInfo") or []]
    consents = [c for c in consents if c and c.get("resourceType") == "Consent"]
    consents += [c for c in resources.of_type.get("Consent", []) if c not in consents]
    for consent in consents:
        parse(consent, expected="Consent", at="Consent")
        if consent.get("status") != "active":
            continue
        provision = consent.get("provision") or {}
        if provision.get("type") != "permit":
            continue
        share = any(
            nested.get("type") == "permit"
            and any(
                coding.get("code") == "disclose"
                for action in nested.get("action") or []
                for coding in action.get("coding") or []
            )
            for nested in provision.get("provision") or []
        )
        return True, share
    return False, False
