"""GET /fhir/metadata: the CapabilityStatement, from one table of what is built.

`RESOURCES` is the table; tests/interop/fhir/test_metadata.py calls every interaction
and search parameter it lists, so the statement cannot claim what is not there.
"""

from linkwork.interop.fhir.codes import FHIR_VERSION
from linkwork.interop.fhir.models import SCOPES

# type → (interactions, {search parameter: type}, operations, what it is)
RESOURCES: dict[str, tuple[list[str], dict[str, str], list[str], str]] = {
    "ServiceRequest": (
        ["create", "read", "search-type"],
        {"identifier": "token", "_id": "token", "status": "token"},
        ["closure"],
        "A referral to social prescribing. Create with the Patient (and Consent) contained; "
        "identifier is required and a resend returns the same resource. Scopes "
        "system/ServiceRequest.write, system/ServiceRequest.read.",
    ),
    "Task": (
        ["read", "search-type"],
        {
            "focus": "reference",
            "status": "token",
            "_lastUpdated": "date",
            "part-of": "reference",
            "_id": "token",
        },
        [],
        "The referral's closed loop (Gravity SDOHCC Task for referral management statuses); "
        "connections to groups are Tasks partOf it. Scope system/Task.read.",
    ),
    "Bundle": (
        ["read"],
        {},
        [],
        "closure-{ServiceRequest id}: the message back to the GP record (a document), the "
        "same as ServiceRequest/{id}/$closure.",
    ),
    "HealthcareService": (
        ["read", "search-type"],
        {"name": "string", "service-category": "token", "location": "reference", "_id": "token"},
        [],
        "Published listings of the community asset map (no credentials needed).",
    ),
    "Organization": (
        ["read", "search-type"],
        {"name": "string", "_id": "token"},
        [],
        "Organisations that run published listings (no credentials needed).",
    ),
    "Location": (
        ["read", "search-type"],
        {"name": "string", "address-postalcode": "string", "_id": "token"},
        [],
        "Places where published listings happen (no credentials needed).",
    ),
    "Questionnaire": (
        ["read", "search-type"],
        {"_id": "token"},
        [],
        "The outcome instruments (SWEMWBS wording only where a licence was imported). "
        "Scope system/Questionnaire.read.",
    ),
    "QuestionnaireResponse": (
        ["read", "search-type"],
        {"subject": "reference", "based-on": "reference", "_id": "token"},
        [],
        "A referral's outcome responses, for its case workers. "
        "Scope system/QuestionnaireResponse.read.",
    ),
    "Subscription": (
        ["create", "read", "delete", "search-type"],
        {},
        [],
        "rest-hook only, criteria Task: `linkwork deliver-fhir` POSTs a collection Bundle of "
        "the client's changed Tasks and its messages back to the GP record, retrying a "
        "failed delivery on the next run (error after 5 in a row). https endpoints only. "
        "Scope system/Subscription.write.",
    ),
}
SYSTEM_INTERACTIONS = ["transaction"]
SYSTEM_OPERATIONS = ["process-message"]
# $process-message is FHIR's own; $closure is Linkwork's (described in docs/fhir.md), so it
# has a Linkwork URN rather than an address that serves nothing.
OPERATION_DEFINITIONS = {
    "process-message": "http://hl7.org/fhir/OperationDefinition/MessageHeader-process-message",
    "closure": "urn:linkwork:operation:closure",
}


def capability_statement(base: str) -> dict:
    resources = []
    for kind, (interactions, params, operations, documentation) in RESOURCES.items():
        entry = {
            "type": kind,
            "documentation": documentation,
            "interaction": [{"code": code} for code in interactions],
        }
        if params:
            entry["searchParam"] = [{"name": name, "type": kind_} for name, kind_ in params.items()]
        if operations:
            entry["operation"] = [
                {"name": name, "definition": OPERATION_DEFINITIONS[name]} for name in operations
            ]
        resources.append(entry)
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-12-03",
        "publisher": "Linkwork",
        "kind": "instance",
        "software": {"name": "Linkwork"},
        "implementation": {"description": "Linkwork social prescribing", "url": base},
        "fhirVersion": FHIR_VERSION,
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "documentation": (
                    "Unknown search parameters are ignored, or refused with 400 when the "
                    "request says Prefer: handling=strict. Errors are OperationOutcomes "
                    "naming the element (expression)."
                ),
                "security": {
                    "cors": False,
                    "extension": [
                        {
                            "url": "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
                            "extension": [{"url": "token", "valueUri": f"{base}/token"}],
                        }
                    ],
                    "service": [
                        {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                                    "code": "SMART-on-FHIR",
                                }
                            ],
                            "text": "Bearer tokens",
                        }
                    ],
                    "description": (
                        "Authorization: Bearer <token>: an integration client's token "
                        "(`linkwork create-fhir-client`), or an access token from OAuth2 "
                        "client credentials (POST token: grant_type=client_credentials, "
                        "client id and secret, optional scope), scoped to its organisation and to "
                        f"the SMART system scopes it was given ({', '.join(SCOPES)}); or a "
                        "referrer's or link worker's own API token (`linkwork "
                        "create-api-token EMAIL`), with its role's scopes. A client sees "
                        "only its own referrals. Every read and write is audited."
                    ),
                },
                "resource": resources,
                "interaction": [{"code": code} for code in SYSTEM_INTERACTIONS],
                "operation": [
                    {"name": name, "definition": OPERATION_DEFINITIONS[name]}
                    for name in SYSTEM_OPERATIONS
                ],
            }
        ],
    }
