"""FHIR R4 rest-hook Subscriptions, so a GP system hears of changes without polling.

A client subscribes to its Tasks (`criteria` "Task" or "Task?..."); `linkwork
deliver-fhir` (run every few minutes, like send-reminders) POSTs each subscription a
`collection` Bundle of its Tasks changed since the last delivery, and each message back
to the GP record not yet delivered. A failed delivery is retried on the next run; after
Subscription.MAX_FAILURES in a row the subscription is set to `error` with the reason.
"""

import datetime as dt
import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from linkwork.audit.services import record_event
from linkwork.interop.fhir.closure import closure_bundle
from linkwork.interop.fhir.errors import FhirError, Issue, invalid
from linkwork.interop.fhir.models import ClosureMessage, Subscription
from linkwork.interop.fhir.resources import (
    connection_task,
    last_updated,
    referral_task,
    shown_connections,
)
from linkwork.interop.fhir.validation import checked, parse
from linkwork.referrals import selectors

TIMEOUT_SECONDS = 10


def subscription_resource(subscription: Subscription) -> dict:
    resource = {
        "resourceType": "Subscription",
        "id": str(subscription.pk),
        "status": subscription.status,
        "reason": "Linkwork Task changes and messages back to the GP record",
        "criteria": subscription.criteria,
        "channel": {
            "type": "rest-hook",
            "endpoint": subscription.endpoint,
            "payload": "application/fhir+json",
        },
    }
    if subscription.reason and subscription.status == "error":
        resource["error"] = subscription.reason
    return resource


def create(*, body: dict, caller) -> Subscription:
    parse(body, expected="Subscription")
    criteria = str(body.get("criteria") or "")
    if criteria.split("?")[0] != "Task":
        raise invalid("Subscription.criteria", "Subscribe to Task (your referrals' Tasks).")
    channel = body.get("channel") or {}
    if channel.get("type") != "rest-hook":
        raise invalid(
            "Subscription.channel.type", "Only rest-hook is supported.", code="not-supported"
        )
    endpoint = str(channel.get("endpoint") or "")
    allowed = ("https://",) if not settings.DEBUG else ("https://", "http://")
    if not endpoint.startswith(allowed):
        raise invalid("Subscription.channel.endpoint", "The endpoint must be an https URL.")
    headers = channel.get("header") or []
    with transaction.atomic():
        subscription = Subscription.objects.create(
            owner=caller.user,
            criteria=criteria[:200],
            endpoint=endpoint[:500],
            header=str(headers[0])[:500] if headers else "",
            delivered_up_to=timezone.now(),
        )
        record_event(
            by=caller.user,
            action="fhir_subscription_created",
            object_type="fhir_subscription",
            object_id=subscription.pk,
            summary=caller.label,
        )
    return subscription


def of(caller, subscription_id: str) -> Subscription:
    found = Subscription.objects.filter(
        owner=caller.user, pk=int(subscription_id) if subscription_id.isdigit() else None
    ).first()
    if found is None:
        raise FhirError(404, [Issue("not-found", "No such subscription of yours.")])
    return found


def turn_off(*, subscription: Subscription, caller) -> None:
    subscription.status = "off"
    subscription.save(update_fields=["status"])
    record_event(
        by=caller.user,
        action="fhir_subscription_off",
        object_type="fhir_subscription",
        object_id=subscription.pk,
    )


# --- Delivery ---------------------------------------------------------------------------


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0
    resources: int = 0


def _post(subscription: Subscription, body: dict) -> None:
    if not subscription.endpoint.startswith(("https://", "http://")):
        raise ValueError("Not an http(s) endpoint.")
    request = urllib.request.Request(  # noqa: S310 (http(s) only: checked above and on create)
        subscription.endpoint,
        data=json.dumps(checked(body), default=str).encode(),
        headers={"Content-Type": "application/fhir+json"},
        method="POST",
    )
    if subscription.header and ":" in subscription.header:
        name, value = subscription.header.split(":", 1)
        request.add_header(name.strip(), value.strip())
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310 (https only)
        if answer.status >= 300:
            raise urllib.error.HTTPError(subscription.endpoint, answer.status, "refused", {}, None)


def payload(subscription: Subscription, *, now: dt.datetime, base: str) -> tuple[dict, list]:
    """(Bundle, the ClosureMessages it carries) for changes since the last delivery."""
    since = subscription.delivered_up_to or subscription.created_at
    referrals = (
        selectors.referrals_visible_to(subscription.owner)
        .select_related("person", "service", "referrer_organisation", "fhir_request")
        .prefetch_related("reasons", "events", "connections__asset", "connections__events")
    )
    entries = []
    touched = []
    for referral in referrals.filter(
        pk__in=_changed_since(referrals, since)
    ):  # only referrals with a change
        tasks = [referral_task(referral)] + [
            connection_task(c, referral) for c in shown_connections(referral)
        ]
        changed = [t for t in tasks if parse_datetime(t["meta"]["lastUpdated"]) > since]
        if changed and last_updated(referral) <= now:
            touched.append(referral)
            entries += [{"fullUrl": f"{base}/Task/{t['id']}", "resource": t} for t in changed]
    messages = list(
        ClosureMessage.objects.filter(
            referral__in=referrals,
            delivered_at__isnull=True,
            created_at__gte=subscription.created_at,
        ).select_related("referral")
    )
    by_pk = {r.pk: r for r in referrals.filter(pk__in=[m.referral_id for m in messages])}
    for message in messages:
        document = closure_bundle(by_pk[message.referral_id], base=base)
        entries.append({"fullUrl": f"{base}/Bundle/{document['id']}", "resource": document})
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": now.isoformat(),
        "entry": entries,
    }
    if touched:
        selectors.audit_listed(subscription.owner, touched)
    return bundle, messages


def _changed_since(referrals, since: dt.datetime):
    return referrals.filter(
        Q(received_at__gt=since)
        | Q(events__at__gt=since)
        | Q(connections__updated_at__gt=since)
        | Q(fhir_request__revoked_at__gt=since)
    ).values("pk")


def deliver(*, base: str, now: dt.datetime | None = None, post=_post) -> Delivery:
    """Send every active subscription its changes; retry what failed last time."""
    now = now or timezone.now()
    done = Delivery()
    for subscription in Subscription.objects.filter(status="active").select_related("owner"):
        bundle, messages = payload(subscription, now=now, base=base)
        if not bundle["entry"]:
            continue
        try:
            post(subscription, bundle)
        except (urllib.error.URLError, OSError, ValueError) as error:
            subscription.failures += 1
            subscription.reason = f"Delivery failed: {type(error).__name__}"[:200]
            if subscription.failures >= Subscription.MAX_FAILURES:
                subscription.status = "error"
            subscription.save(update_fields=["failures", "reason", "status"])
            ClosureMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
                last_error=subscription.reason
            )
            for message in messages:
                ClosureMessage.objects.filter(pk=message.pk).update(attempts=message.attempts + 1)
            done.failed += 1
            continue
        subscription.failures = 0
        subscription.reason = ""
        subscription.delivered_up_to = now
        subscription.save(update_fields=["failures", "reason", "delivered_up_to"])
        ClosureMessage.objects.filter(pk__in=[m.pk for m in messages]).update(delivered_at=now)
        record_event(
            by=None,
            action="fhir_subscription_delivered",
            object_type="fhir_subscription",
            object_id=subscription.pk,
            summary=f"resources={len(bundle['entry'])}",
        )
        done.sent += 1
        done.resources += len(bundle["entry"])
    return done
