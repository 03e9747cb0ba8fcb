"""linkwork fhir-demo-client --url URL --token TOKEN: a stand-in GP system for trying
/fhir/ against a running Linkwork (e.g. `make demo` with a token from `linkwork
create-api-token referrer@example.org`). It refers a fictional person (an NHS number in
the 999 test range), then polls the referral's Task and prints each change of status,
and the message back once the referral has ended."""

import json
import time
import urllib.error
import urllib.request
import uuid

from django.core.management.base import BaseCommand, CommandError

SDOHCC = "http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes"


def example_referral() -> dict:
    return {
        "resourceType": "ServiceRequest",
        "contained": [
            {
                "resourceType": "Patient",
                "id": "p",
                "identifier": [
                    {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9990000018"}
                ],
                "name": [{"family": "Example", "given": ["Demo"]}],
                "birthDate": "1950-06-01",
                "address": [{"postalCode": "BL2 6AU"}],
            },
            {
                "resourceType": "Consent",
                "id": "c",
                "status": "active",
                "scope": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                            "code": "patient-privacy",
                        }
                    ]
                },
                "category": [{"text": "Consent to social prescribing referral"}],
                "provision": {"type": "permit"},
            },
        ],
        "identifier": [{"system": "urn:linkwork:demo-gp-system", "value": str(uuid.uuid4())}],
        "status": "active",
        "intent": "order",
        "subject": {"reference": "#p"},
        "reasonCode": [{"coding": [{"system": SDOHCC, "code": "social-connection"}]}],
        "supportingInfo": [{"reference": "#c"}],
        "note": [{"text": "Sent by linkwork fhir-demo-client."}],
    }


class Command(BaseCommand):
    help = "Act as a GP system: refer through /fhir/ and follow the referral's Task."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000")
        parser.add_argument("--token", required=True)
        parser.add_argument("--every", type=float, default=10.0, help="Seconds between polls.")
        parser.add_argument("--polls", type=int, default=0, help="Stop after N polls (0: never).")

    def _call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict, dict]:
        request = urllib.request.Request(  # noqa: S310 (the operator's own Linkwork)
            self.base + path,
            data=json.dumps(body).encode() if body is not None else None,
            method=method,
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/fhir+json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                return answer.status, dict(answer.headers), json.loads(answer.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), json.loads(error.read() or b"{}")
        except urllib.error.URLError as error:
            raise CommandError(f"Cannot reach {self.base}: {error.reason}") from error

    def handle(self, *args, url: str, token: str, every: float, polls: int, **options) -> None:
        self.base, self.token = url.rstrip("/") + "/fhir", token
        status, headers, body = self._call("POST", "/ServiceRequest", example_referral())
        if status not in (200, 201):
            raise CommandError(f"Refused ({status}): {json.dumps(body)}")
        sr_id = body["id"]
        self.stdout.write(f"Referred: {headers.get('Location')}")
        seen, count = None, 0
        while True:
            _, _, task = self._call("GET", f"/Task/{sr_id}")
            now = (task.get("status"), task.get("businessStatus", {}).get("text"))
            if now != seen:
                self.stdout.write(f"Task {sr_id}: {now[0]} ({now[1]})")
                seen = now
            if now[0] in ("completed", "rejected", "cancelled", "failed"):
                _, _, message = self._call("GET", f"/ServiceRequest/{sr_id}/$closure")
                for section in message["entry"][0]["resource"]["section"]:
                    self.stdout.write(f"  {section['title']}: {section['text']['div']}")
                return
            count += 1
            if polls and count >= polls:
                return
            time.sleep(every)
