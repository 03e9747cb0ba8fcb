"""Done when (issue 17): a GP system posts a ServiceRequest, polls its Task through the
link worker's triage, connection and closure, and receives the message back with the
SNOMED codes and the scores. Every resource it receives parses with fhir.resources."""

import pytest
from fhir.resources.R4B import get_fhir_model_class

from linkwork.audit.models import AuditEvent
from linkwork.interop.fhir.models import ClosureMessage
from linkwork.referrals.models import Person, Referral
from tests.interop.fhir.conftest import FHIR, service_request

pytestmark = pytest.mark.django_db


def parsed(response, status: int = 200) -> dict:
    """The body, once it is FHIR JSON that parses as what it says it is."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == FHIR
    body = response.json()
    get_fhir_model_class(body["resourceType"]).model_validate(body)
    return body


def api(client, url, body):
    response = client.post(url, body, content_type="application/json")
    assert response.status_code in (200, 201), response.json()
    return response.json()


def task_of(gp_system, sr_id: str) -> dict:
    bundle = parsed(gp_system.get(f"/fhir/Task?focus=ServiceRequest/{sr_id}"))
    tasks = [e["resource"] for e in bundle.get("entry", [])]
    return next(t for t in tasks if "partOf" not in t), [t for t in tasks if "partOf" in t]


def test_a_gp_system_follows_its_referral_round_the_loop(world, gp_system):
    created = gp_system.post("/fhir/ServiceRequest", service_request())
    sr = parsed(created, 201)
    assert created["Location"].endswith(f"/fhir/ServiceRequest/{sr['id']}")
    assert sr["status"] == "active"
    assert {"system": "https://emis.example/referral", "value": "R-0001"} in sr["identifier"]
    referral = Referral.objects.get(uuid=sr["id"])
    assert referral.referrer_organisation == world.practice
    assert referral.consent_share_with_groups is True
    assert sorted(r.code for r in referral.reasons.all()) == ["need-loneliness"]
    assert referral.person.nhs_number == "9434765919"

    task, connections = task_of(gp_system, sr["id"])
    assert (task["status"], task["businessStatus"]["coding"][0]["code"]) == (
        "requested",
        "received",
    )
    assert task["code"]["coding"][0]["code"] == "fulfill"
    assert task["focus"]["reference"] == f"ServiceRequest/{sr['id']}"
    assert task["for"]["reference"] == f"Patient/{referral.person.uuid}"

    lw = world.link_worker
    base = f"/api/v1/referrals/{referral.pk}"
    api(lw, f"{base}/transitions", {"to": "accepted"})
    assert task_of(gp_system, sr["id"])[0]["status"] == "accepted"
    api(lw, f"{base}/conversations", {"what_matters": "Seeing people.", "needs": {}})
    assert task_of(gp_system, sr["id"])[0]["status"] == "in-progress"

    walk = api(lw, f"{base}/connections", {"service_id": world.walk.pk, "share": ["first_name"]})
    proposed = task_of(gp_system, sr["id"])[1]
    assert proposed == []  # a connection only proposed is not the group's yet
    api(lw, f"/api/v1/connections/{walk['id']}/transitions", {"to": "sent"})
    _, (connection,) = task_of(gp_system, sr["id"])
    assert connection["status"] == "requested"
    assert connection["partOf"] == [{"reference": f"Task/{sr['id']}"}]
    assert connection["owner"]["display"] == "Health walk"
    api(world.group, f"/api/v1/connections/{walk['id']}/transitions", {"to": "accepted"})
    api(world.group, f"/api/v1/connections/{walk['id']}/transitions", {"to": "attended_first"})
    read = parsed(gp_system.get(f"/fhir/Task/{connection['id']}"))
    assert read["status"] == "in-progress"

    # Outcomes at baseline and closure; an unmet need.
    for timepoint, answers in (("baseline", [1, 2, 1]), ("closure", [1, 1, 1])):
        api(
            lw,
            f"{base}/responses",
            {"instrument": "ucla3", "timepoint": timepoint, "answers": answers},
        )
    api(lw, f"{base}/unmet-needs", {"category": "need-loneliness", "reason": "cost"})
    assert gp_system.get(f"/fhir/ServiceRequest/{sr['id']}/$closure").status_code == 404
    api(lw, f"{base}/transitions", {"to": "closed", "summary": "Walking weekly."})

    task, _ = task_of(gp_system, sr["id"])
    assert task["status"] == "completed"
    assert task["output"][0]["valueReference"]["reference"] == f"Bundle/closure-{sr['id']}"
    assert parsed(gp_system.get(f"/fhir/ServiceRequest/{sr['id']}"))["status"] == "completed"

    message = parsed(gp_system.get(f"/fhir/ServiceRequest/{sr['id']}/$closure"))
    assert message["type"] == "document"
    assert parsed(gp_system.get(f"/fhir/Bundle/closure-{sr['id']}")) == message
    kinds = [e["resource"]["resourceType"] for e in message["entry"]]
    assert kinds[0] == "Composition" and "Patient" in kinds
    procedure = next(
        e["resource"] for e in message["entry"] if e["resource"]["resourceType"] == "Procedure"
    )
    assert procedure["code"]["coding"][0]["code"] == "871731000000106"
    composition = message["entry"][0]["resource"]
    sections = {s["title"]: s for s in composition["section"]}
    assert "Walking weekly." in sections["Summary"]["text"]["div"]
    assert "Health walk" in sections["Connections made"]["text"]["div"]
    assert "Loneliness" in sections["Needs not met"]["text"]["div"]
    scores = [
        e["resource"]
        for e in message["entry"]
        if e["resource"]["resourceType"] == "Observation"
        and e["resource"]["code"]["coding"][0]["code"] == "ucla3"
    ]
    assert sorted(o["valueQuantity"]["value"] for o in scores) == [3, 4]
    assert ClosureMessage.objects.filter(referral=referral, event="closed").count() == 1
    # Every read was audited, as a read of the person's record.
    assert (
        AuditEvent.objects.filter(
            action__in=["referral_viewed", "referral_listed"], object_id=str(referral.pk)
        ).count()
        >= 10
    )


def test_a_resend_returns_the_same_referral(world, gp_system):
    first = parsed(gp_system.post("/fhir/ServiceRequest", service_request()), 201)
    again = gp_system.post("/fhir/ServiceRequest", service_request())
    assert parsed(again, 200)["id"] == first["id"]
    assert Referral.objects.count() == 1 and Person.objects.count() == 1
    found = parsed(
        gp_system.get("/fhir/ServiceRequest?identifier=https://emis.example/referral|R-0001")
    )
    assert [e["resource"]["id"] for e in found["entry"]] == [first["id"]]


def test_a_second_referral_of_the_same_nhs_number_is_the_same_person(world, gp_system):
    parsed(gp_system.post("/fhir/ServiceRequest", service_request()), 201)
    second = service_request(
        identifier=[{"system": "https://emis.example/referral", "value": "R-2"}]
    )
    parsed(gp_system.post("/fhir/ServiceRequest", second), 201)
    assert Referral.objects.count() == 2 and Person.objects.count() == 1


def test_the_same_name_without_an_nhs_number_is_only_a_possible_duplicate(world, gp_system):
    parsed(gp_system.post("/fhir/ServiceRequest", service_request()), 201)
    second = service_request(
        identifier=[{"system": "https://emis.example/referral", "value": "R-3"}]
    )
    second["contained"][0] = {**second["contained"][0], "identifier": []}
    created = parsed(gp_system.post("/fhir/ServiceRequest", second), 201)
    assert Person.objects.count() == 2  # never silently merged
    referral = Referral.objects.get(uuid=created["id"])
    duplicates = world.link_worker.get(f"/api/v1/referrals/{referral.pk}").json()
    assert duplicates["possible_duplicates"], duplicates


def test_a_declined_referral_tells_the_gp_why_and_files_declined(world, gp_system):
    sr = parsed(gp_system.post("/fhir/ServiceRequest", service_request()), 201)
    referral = Referral.objects.get(uuid=sr["id"])
    api(
        world.link_worker,
        f"/api/v1/referrals/{referral.pk}/transitions",
        {"to": "declined", "reason": "Pat would rather not."},
    )
    task, _ = task_of(gp_system, sr["id"])
    assert task["status"] == "rejected"
    assert task["statusReason"]["text"] == "Pat would rather not."
    message = parsed(gp_system.get(f"/fhir/ServiceRequest/{sr['id']}/$closure"))
    codes = [
        e["resource"]["code"]["coding"][0]["code"]
        for e in message["entry"]
        if e["resource"]["resourceType"] == "Observation"
    ]
    assert "871711000000103" in codes


def test_tasks_since_a_time_and_by_status(world, gp_system):
    sr = parsed(gp_system.post("/fhir/ServiceRequest", service_request()), 201)
    late = parsed(gp_system.get("/fhir/Task?_lastUpdated=gt2999-01-01T00:00:00Z"))
    assert late["total"] == 0
    early = parsed(gp_system.get("/fhir/Task?_lastUpdated=gt2000-01-01"))
    assert [e["resource"]["id"] for e in early["entry"]] == [sr["id"]]
    assert parsed(gp_system.get("/fhir/Task?status=requested"))["total"] == 1
    assert parsed(gp_system.get("/fhir/Task?status=completed"))["total"] == 0


def test_searches_page_with_a_next_link_and_audit_only_the_page(world, gp_system):
    for n in range(3):
        body = service_request(
            identifier=[{"system": "https://emis.example/referral", "value": f"P-{n}"}]
        )
        parsed(gp_system.post("/fhir/ServiceRequest", body), 201)
    before = AuditEvent.objects.filter(action="referral_listed").count()
    first = parsed(gp_system.get("/fhir/Task?_count=2"))
    assert first["total"] == 3 and len(first["entry"]) == 2
    assert AuditEvent.objects.filter(action="referral_listed").count() == before + 2
    (following,) = [link["url"] for link in first["link"] if link["relation"] == "next"]
    second = parsed(gp_system.get(following.removeprefix("http://testserver")))
    assert len(second["entry"]) == 1
    assert not [link for link in second["link"] if link["relation"] == "next"]
    ids = {e["resource"]["id"] for e in first["entry"] + second["entry"]}
    assert len(ids) == 3
