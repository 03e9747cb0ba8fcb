"""Code systems and the mapping tables (data/*.csv), read once.

The tables are data so that a commissioner's informatics team can read and change them
without reading Python: need codes a sender may use, and Linkwork states → Task.status.
"""

import csv
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

FHIR_VERSION = "4.0.1"
CONTENT_TYPE = "application/fhir+json"

NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"
SNOMED = "http://snomed.info/sct"
SDOHCC = "http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes"
TASK_CODE = "http://hl7.org/fhir/CodeSystem/task-code"
CONSENT_ACTION = "http://terminology.hl7.org/CodeSystem/consentaction"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
BARS_EVENTS = "https://fhir.nhs.uk/CodeSystem/message-events-bars"
BARS_REASON = "https://fhir.nhs.uk/CodeSystem/message-reason-bars"
BARS_EVENT_REQUEST = "servicerequest-request"
# Linkwork's own code systems: URNs, so they mean the same in every deployment.
NEED = "urn:linkwork:codesystem:need"
STATE = "urn:linkwork:codesystem:state"
MEASURE = "urn:linkwork:codesystem:outcome-measure"
MESSAGE = "urn:linkwork:codesystem:message"
REFERRAL_ID = "urn:linkwork:referral"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def need_codes() -> dict[tuple[str, str], str]:
    """(system, code) → Linkwork need code; Linkwork's own system maps each code to itself
    (checked against the taxonomy when the referral is made)."""
    return {(row["system"], row["code"]): row["need"] for row in _rows("need_codes.csv")}


def need_for(system: str, code: str) -> str | None:
    if system == NEED:
        return code
    return need_codes().get((system, code))


@cache
def task_status_table() -> dict[tuple[str, str, str], str]:
    """(kind, state, from_state or '*') → Task.status."""
    return {
        (row["kind"], row["state"], row["from_state"]): row["task_status"]
        for row in _rows("task_status.csv")
    }


def task_status(kind: str, state: str, previous: str = "") -> str:
    """The Task.status of a referral or connection in `state`, reached from `previous`."""
    table = task_status_table()
    found = table.get((kind, state, previous)) or table.get((kind, state, "*"))
    if found is None:
        raise KeyError(f"No Task.status for a {kind} that is {state} (from {previous!r}).")
    return found


@cache
def gravity_transitions() -> set[tuple[str, str]]:
    """The SDOHCC referral-task transitions, with '(new)' and '(any)' as written."""
    return {
        (row["from_status"], row["to_status"])
        for row in _rows("sdohcc_referral_task_transitions.csv")
    }


@cache
def snomed_terms() -> dict[str, str]:
    return {row["code"]: row["term"] for row in _rows("social_prescribing_snomed.csv")}


SNOMED_REFERRED = "871731000000106"
SNOMED_DECLINED = "871711000000103"


@cache
def sdoh_category_display() -> dict[str, str]:
    return {row["code"]: row["display"] for row in _rows("sdohcc_sdoh_categories.csv")}
