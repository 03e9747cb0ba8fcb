"""Push: a rest-hook Subscription hears of Task changes and the message back, with
retries when the GP system's endpoint is down."""

import urllib.error

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.subscription import Subscription as FhirSubscription

from linkwork.interop.fhir.models import ClosureMessage, Subscription
from linkwork.interop.fhir.subscriptions import deliver
from linkwork.referrals.models import Referral
from tests.interop.fhir.conftest import service_request

pytestmark = pytest.mark.django_db

SUBSCRIPTION = {
    "resourceType": "Subscription",
    "status": "requested",
    "reason": "Hear about our referrals",
    "criteria": "Task",
    "channel": {
        "type": "rest-hook",
        "endpoint": "https://gp.example/fhir/hook",
        "payload": "application/fhir+json",
        "header": ["Authorization: Bearer abc"],
    },
}


class Endpoint:
    def __init__(self, fail: int = 0) -> None:
        self.received: list[dict] = []
        self.fail = fail

    def __call__(self, subscription, bundle) -> None:
        if self.fail:
            self.fail -= 1
            raise urllib.error.URLError("down")
        Bundle.model_validate(bundle)
        self.received.append(bundle)


def subscribe(gp_system) -> dict:
    response = gp_system.post("/fhir/Subscription", SUBSCRIPTION)
    assert response.status_code == 201, response.content
    body = response.json()
    FhirSubscription.model_validate(body)
    assert body["status"] == "active"
    return body


def move(world, referral, **body):
    response = world.link_worker.post(
        f"/api/v1/referrals/{referral.pk}/transitions", body, content_type="application/json"
    )
    assert response.status_code == 200, response.json()


def test_changes_and_the_message_back_are_pushed_once(world, gp_system):
    subscribe(gp_system)
    sr_id = gp_system.post("/fhir/ServiceRequest", service_request()).json()["id"]
    referral = Referral.objects.get(uuid=sr_id)
    endpoint = Endpoint()
    assert deliver(base="https://linkwork.example/fhir", post=endpoint).sent == 1
    (first,) = endpoint.received
    assert [e["resource"]["status"] for e in first["entry"]] == ["requested"]
    assert deliver(base="https://linkwork.example/fhir", post=endpoint).sent == 0  # nothing new
    move(world, referral, to="declined", reason="Moved away.")
    deliver(base="https://linkwork.example/fhir", post=endpoint)
    second = endpoint.received[1]
    kinds = [e["resource"]["resourceType"] for e in second["entry"]]
    assert kinds == ["Task", "Bundle"]
    assert second["entry"][0]["resource"]["status"] == "rejected"
    assert second["entry"][1]["resource"]["type"] == "document"
    assert ClosureMessage.objects.get().delivered_at is not None


def test_a_failed_delivery_is_retried_then_the_subscription_errors(world, gp_system):
    subscribe(gp_system)
    gp_system.post("/fhir/ServiceRequest", service_request())
    endpoint = Endpoint(fail=1)
    assert deliver(base="https://x/fhir", post=endpoint).failed == 1
    assert deliver(base="https://x/fhir", post=endpoint).sent == 1  # the same changes again
    assert len(endpoint.received) == 1
    gp_system.post(
        "/fhir/ServiceRequest",
        service_request(identifier=[{"system": "https://emis.example/referral", "value": "R-9"}]),
    )
    down = Endpoint(fail=99)
    for _ in range(Subscription.MAX_FAILURES):
        deliver(base="https://x/fhir", post=down)
    subscription = Subscription.objects.get()
    assert subscription.status == "error" and "URLError" in subscription.reason
    assert gp_system.get(f"/fhir/Subscription/{subscription.pk}").json()["status"] == "error"


def test_a_client_pushes_only_its_own(world, gp_system, other_gp_system):
    subscribe(other_gp_system)
    gp_system.post("/fhir/ServiceRequest", service_request())
    endpoint = Endpoint()
    deliver(base="https://x/fhir", post=endpoint)
    assert endpoint.received == []


@pytest.mark.parametrize(
    ("change", "expression"),
    [
        ({"criteria": "Patient"}, "Subscription.criteria"),
        ({"channel": {"type": "websocket"}}, "Subscription.channel.type"),
        (
            {"channel": {"type": "rest-hook", "endpoint": "ftp://x"}},
            "Subscription.channel.endpoint",
        ),
    ],
)
def test_bad_subscriptions_are_refused(gp_system, change, expression):
    response = gp_system.post("/fhir/Subscription", {**SUBSCRIPTION, **change})
    assert response.status_code == 422
    assert response.json()["issue"][0]["expression"] == [expression]
    assert not Subscription.objects.exists()


def test_a_subscription_is_turned_off_and_seen_only_by_its_owner(gp_system, other_gp_system):
    created = subscribe(gp_system)
    assert other_gp_system.get(f"/fhir/Subscription/{created['id']}").status_code == 404
    assert gp_system.get("/fhir/Subscription").json()["total"] == 1
    assert (
        gp_system.http.delete(
            f"/fhir/Subscription/{created['id']}", **gp_system.headers
        ).status_code
        == 204
    )
    assert Subscription.objects.get().status == "off"
