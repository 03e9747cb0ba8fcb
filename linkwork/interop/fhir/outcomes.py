"""Outcomes as FHIR: a Questionnaire for each instrument (licensed wording only where the
deployment imported it), and a referral's responses as QuestionnaireResponses, for the
referral's case workers only (a referrer sees the scores in the message back)."""

from linkwork.interop.fhir.resources import patient_ref, ref
from linkwork.outcomes.instruments import all_instruments, instrument, ordered
from linkwork.outcomes.models import Response
from linkwork.outcomes.selectors import item_wording

CANONICAL = "urn:linkwork:questionnaire:"
ANSWER = "urn:linkwork:codesystem:answer:"


def questionnaire_id(code: str) -> str:
    return code.replace("_", "-")  # FHIR ids have no underscores


def code_of(questionnaire_id_: str) -> str | None:
    code = questionnaire_id_.replace("-", "_")
    return code if code in all_instruments() else None


def questionnaire(code: str) -> dict:
    found = instrument(code)
    wording = item_wording(code)
    resource = {
        "resourceType": "Questionnaire",
        "id": questionnaire_id(code),
        "url": f"{CANONICAL}{code}",
        "name": questionnaire_id(code).replace("-", ""),
        "title": found.name,
        "status": "active",
        "copyright": found.copyright,
        "description": found.instructions or found.name,
    }
    items = [
        {
            "linkId": str(item.number),
            "text": words or item.label,
            "type": "choice",
            "required": True,
            "answerOption": [
                {
                    "valueCoding": {
                        "system": f"{ANSWER}{code}",
                        "code": str(option.value),
                        "display": option.label,
                    }
                }
                for option in found.options
            ],
        }
        for item, words in zip(found.items, wording, strict=True)
    ]
    if items:
        resource["item"] = items
    return resource


def questionnaires() -> list[dict]:
    return [questionnaire(found.code) for found in ordered()]


def questionnaire_response(response: Response) -> dict:
    referral = response.referral
    found = instrument(response.instrument)
    answers = []
    for number, value in enumerate(response.answers or [], start=1):
        if value is None:
            continue
        item = {
            "linkId": str(number),
            "answer": [
                {
                    "valueCoding": {
                        "system": f"{ANSWER}{found.code}",
                        "code": str(value),
                        "display": found.option_label(value),
                    }
                }
            ],
        }
        answers.append(item)
    resource = {
        "resourceType": "QuestionnaireResponse",
        "id": str(response.pk),
        "questionnaire": f"{CANONICAL}{found.code}",
        "status": "completed" if response.complete else "in-progress",
        "subject": patient_ref(referral),
        "basedOn": [ref("ServiceRequest", referral.uuid)],
        "authored": response.completed_on.isoformat(),
    }
    if answers:
        resource["item"] = answers
    return resource
