"""/fhir/: the FHIR R4 interface (thin: authenticate, then intake / selectors / builders).

Every read of a referral is a read of a person's record, audited like the pages' reads:
one event for a single resource, one per referral for a search.
"""

import datetime as dt
import uuid

from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.dateparse import parse_date, parse_datetime

from linkwork.audit.services import record_event
from linkwork.interop.fhir import bars, intake
from linkwork.interop.fhir.capability import capability_statement
from linkwork.interop.fhir.closure import closure_bundle
from linkwork.interop.fhir.errors import FhirError, Issue, invalid
from linkwork.interop.fhir.http import (
    base_url,
    check_search_params,
    fhir_response,
    fhir_view,
    read_json,
)
from linkwork.interop.fhir.resources import (
    connection_task,
    last_updated,
    referral_task,
    service_request,
    shown_connections,
)
from linkwork.referrals import selectors
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Connection, Referral

SR_READ, SR_WRITE, TASK_READ = (
    "system/ServiceRequest.read",
    "system/ServiceRequest.write",
    "system/Task.read",
)
DEFAULT_COUNT, MAX_COUNT = 50, 200


@fhir_view(methods=("GET", "POST", "PUT", "PATCH", "DELETE"), auth=False)
def not_found(request: HttpRequest, path: str) -> HttpResponse:
    """Anything else under /fhir/: an OperationOutcome, not a web page."""
    raise FhirError(
        404,
        [Issue("not-supported", f"/fhir/{path} is not part of this server: see /fhir/metadata.")],
    )


@fhir_view(auth=False)
def metadata(request: HttpRequest) -> HttpResponse:
    return fhir_response(capability_statement(base_url(request)))


def _visible(request: HttpRequest):
    """The caller's referrals (the casework rules: a referrer's or client's own, a link
    worker's service's), with what the resources show fetched once."""
    return (
        selectors.referrals_visible_to(request.fhir_caller.user)
        .select_related("person", "service", "referrer_organisation", "fhir_request")
        .prefetch_related(
            "reasons",
            "events",
            Prefetch(
                "connections",
                queryset=Connection.objects.select_related("asset").prefetch_related("events"),
            ),
        )
    )


def _one(request: HttpRequest, referral_id: str) -> Referral:
    """One visible referral by its FHIR id (the referral's uuid); the read is audited."""
    referral = _visible(request).filter(uuid=_uuid_or_none(referral_id)).first()
    if referral is None:
        raise Http404
    record_event(
        by=request.fhir_caller.user,
        action="referral_viewed",
        object_type="referral",
        object_id=referral.pk,
        summary=f"fhir {request.fhir_caller.label}",
    )
    return referral


def _count(request: HttpRequest) -> int:
    raw = request.GET.get("_count", "")
    if not raw:
        return DEFAULT_COUNT
    if not raw.isdigit():
        raise invalid("_count", "_count is a whole number.", status=400)
    return max(0, min(int(raw), MAX_COUNT))


def _offset(request: HttpRequest) -> int:
    raw = request.GET.get("_offset", "")
    if raw and not raw.isdigit():
        raise invalid("_offset", "_offset is a whole number.", status=400)
    return int(raw or 0)


def searchset(request: HttpRequest, found: list[tuple[dict, Referral | None]]) -> HttpResponse:
    """A page of (resource, the referral it shows) as a searchset Bundle, with a `next`
    link while there are more. Each referral on the page is an audited read."""
    count, offset = _count(request), _offset(request)
    base = base_url(request)
    shown = found[offset : offset + count]
    referrals = {r.pk: r for _, r in shown if r is not None}
    if referrals:
        selectors.audit_listed(request.fhir_caller.user, referrals.values())
    links = [{"relation": "self", "url": request.build_absolute_uri()}]
    if offset + count < len(found):
        query = request.GET.copy()
        query["_offset"] = str(offset + count)
        query["_count"] = str(count)
        following = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        links.append({"relation": "next", "url": following})
    body = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(found),
        "link": links,
        "entry": [
            {
                "fullUrl": f"{base}/{r['resourceType']}/{r['id']}",
                "resource": r,
                "search": {"mode": "match"},
            }
            for r, _ in shown
        ],
    }
    if not body["entry"]:
        body.pop("entry")
    return fhir_response(body)


# --- ServiceRequest -------------------------------------------------------------------


@fhir_view(methods=("GET", "POST"), scope={"GET": SR_READ, "POST": SR_WRITE})
def service_requests(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        outcome = intake.receive_service_request(
            service_request=read_json(request), caller=request.fhir_caller
        )
        return _created(request, outcome)
    check_search_params(request, {"identifier", "_id", "status", "_count", "_offset"})
    referrals = _visible(request).order_by("-received_at", "-pk")
    wanted = request.GET.get("identifier", "")
    if wanted:
        system, _, value = wanted.rpartition("|")
        # the database narrows to the candidates; the exact match is on the resource
        referrals = referrals.filter(
            Q(fhir_request__identifier_value=value) | Q(uuid=_uuid_or_none(value))
        )
    if request.GET.get("_id"):
        referrals = referrals.filter(uuid=_uuid_or_none(request.GET["_id"]))
    found = [(service_request(r), r) for r in referrals]
    if wanted:
        found = [(res, r) for res, r in found if _has_identifier(res, system, value)]
    if request.GET.get("status"):
        statuses = set(request.GET["status"].split(","))
        found = [(res, r) for res, r in found if res["status"] in statuses]
    return searchset(request, found)


def _has_identifier(resource: dict, system: str, value: str) -> bool:
    identifiers = resource["identifier"]
    return any(i["value"] == value and (not system or i["system"] == system) for i in identifiers)


def _created(request: HttpRequest, outcome: intake.Outcome) -> HttpResponse:
    referral = outcome.referral
    location = f"{base_url(request)}/ServiceRequest/{referral.uuid}"
    fresh = _visible(request).get(pk=referral.pk)
    return fhir_response(
        service_request(fresh), 201 if outcome.created else 200, {"Location": location}
    )


@fhir_view(scope=SR_READ)
def service_request_read(request: HttpRequest, referral_id: str) -> HttpResponse:
    return fhir_response(service_request(_one(request, referral_id)))


@fhir_view(scope=SR_READ)
def closure(request: HttpRequest, referral_id: str) -> HttpResponse:
    referral = _one(request, referral_id)
    if not t.is_ended(referral.status):
        raise FhirError(
            404,
            [
                Issue(
                    "not-found",
                    f"No message back yet: the referral is {referral.status.replace('_', ' ')}.",
                )
            ],
        )
    return fhir_response(closure_bundle(referral, base=base_url(request)))


@fhir_view(scope=SR_READ)
def bundle_read(request: HttpRequest, bundle_id: str) -> HttpResponse:
    if not bundle_id.startswith("closure-"):
        raise Http404
    return closure.__wrapped__(request, bundle_id.removeprefix("closure-"))


# --- Task ----------------------------------------------------------------------------


def _tasks_of(referral: Referral) -> list[dict]:
    return [referral_task(referral)] + [
        connection_task(c, referral) for c in shown_connections(referral)
    ]


@fhir_view(scope=TASK_READ)
def task_read(request: HttpRequest, task_id: str) -> HttpResponse:
    if task_id.startswith("connection-"):
        pk = task_id.removeprefix("connection-")
        if not pk.isdigit():
            raise Http404
        connection = Connection.objects.filter(pk=int(pk)).only("referral_id").first()
        if connection is None:
            raise Http404
        referral = _visible(request).filter(pk=connection.referral_id).first()
        if referral is None:
            raise Http404
        referral = _one(request, str(referral.uuid))
        for task in _tasks_of(referral)[1:]:
            if task["id"] == task_id:
                return fhir_response(task)
        raise Http404
    return fhir_response(referral_task(_one(request, task_id)))


def _last_updated_filter(raw: str):
    """`_lastUpdated=gt2026-01-01T00:00:00Z` (prefixes gt, ge, lt, le; none is eq to the
    second) → a test on a datetime."""
    prefix, value = (raw[:2], raw[2:]) if raw[:2] in ("gt", "ge", "lt", "le", "eq") else ("eq", raw)
    when = parse_datetime(value)
    if when is None:
        day = parse_date(value)
        when = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC) if day else None
    if when is None:
        raise invalid(
            "_lastUpdated", "Give a date or dateTime, e.g. gt2026-01-31T09:00:00Z.", status=400
        )
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    tests = {
        "gt": lambda x: x > when,
        "ge": lambda x: x >= when,
        "lt": lambda x: x < when,
        "le": lambda x: x <= when,
        "eq": lambda x: x.replace(microsecond=0) == when.replace(microsecond=0),
    }
    return prefix, when, tests[prefix]


@fhir_view(scope=TASK_READ)
def tasks(request: HttpRequest) -> HttpResponse:
    known = {"focus", "status", "_lastUpdated", "part-of", "_id", "_count", "_offset"}
    check_search_params(request, known)
    referrals = _visible(request).order_by("-received_at", "-pk")
    task_id = request.GET.get("_id", "")
    if task_id.startswith("connection-"):
        pk = task_id.removeprefix("connection-")
        referrals = referrals.filter(connections__pk=int(pk)) if pk.isdigit() else referrals.none()
    elif task_id:
        referrals = referrals.filter(uuid=_uuid_or_none(task_id))
    focus = request.GET.get("focus", "")
    if focus:
        referrals = referrals.filter(uuid=_uuid_or_none(focus.removeprefix("ServiceRequest/")))
    part_of = request.GET.get("part-of", "")
    if part_of:
        referrals = referrals.filter(uuid=_uuid_or_none(part_of.removeprefix("Task/")))
    since = None
    if request.GET.get("_lastUpdated"):
        prefix, when, since = _last_updated_filter(request.GET["_lastUpdated"])
        if prefix in ("gt", "ge"):  # only referrals touched since then can match
            referrals = referrals.filter(
                Q(received_at__gte=when)
                | Q(events__at__gte=when)
                | Q(connections__updated_at__gte=when)
                | Q(fhir_request__revoked_at__gte=when)
            ).distinct()
    found: list[tuple[dict, Referral]] = []
    statuses = set(filter(None, request.GET.get("status", "").split(",")))
    for referral in referrals:
        tasks_here = _tasks_of(referral)
        if part_of:
            tasks_here = tasks_here[1:]
        if request.GET.get("_id"):
            tasks_here = [x for x in tasks_here if x["id"] == request.GET["_id"]]
        if statuses:
            tasks_here = [x for x in tasks_here if x["status"] in statuses]
        if since is not None:
            tasks_here = [x for x in tasks_here if since(parse_datetime(x["meta"]["lastUpdated"]))]
        found += [(task, referral) for task in tasks_here]
    return searchset(request, found)


def _uuid_or_none(value: str):

    try:
        return uuid.UUID(value)
    except ValueError:
        return None


# --- Transactions and messages ---------------------------------------------------------


@fhir_view(methods=("POST",), scope=SR_WRITE)
def transaction(request: HttpRequest) -> HttpResponse:
    body = read_json(request)
    if not isinstance(body, dict) or body.get("resourceType") != "Bundle":
        raise invalid(
            "Bundle.resourceType",
            "Post a transaction Bundle to the base.",
            status=400,
            code="structure",
        )
    outcome, entries = intake.receive_transaction(bundle=body, caller=request.fhir_caller)
    referral = _visible(request).get(pk=outcome.referral.pk)
    base = base_url(request)
    answers = []
    for entry in entries:
        kind = (entry.get("resource") or {}).get("resourceType")
        if kind == "ServiceRequest":
            answers.append(
                {
                    "resource": service_request(referral),
                    "response": {
                        "status": "201 Created" if outcome.created else "200 OK",
                        "location": f"{base}/ServiceRequest/{referral.uuid}",
                        "lastModified": last_updated(referral).isoformat(),
                    },
                }
            )
        else:  # read for the referral, not stored as a resource of its own
            answers.append({"response": {"status": "200 OK"}})
    return fhir_response(
        {"resourceType": "Bundle", "type": "transaction-response", "entry": answers},
        headers={"Location": f"{base}/ServiceRequest/{referral.uuid}"},
    )


@fhir_view(methods=("POST",), scope=SR_WRITE)
def process_message(request: HttpRequest) -> HttpResponse:
    result = bars.process_message(bundle=read_json(request), caller=request.fhir_caller)
    referral = _visible(request).get(pk=result.outcome.referral.pk)
    base = base_url(request)

    header_id = str(uuid.uuid4())
    answer = {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "type": "message",
        "timestamp": referral.received_at.isoformat()
        if result.outcome.created
        else (last_updated(referral).isoformat()),
        "entry": [
            {
                "fullUrl": f"urn:uuid:{header_id}",
                "resource": {
                    "resourceType": "MessageHeader",
                    "id": header_id,
                    "eventCoding": result.header.get("eventCoding"),
                    "source": {"endpoint": f"{base}/$process-message", "name": "Linkwork"},
                    "response": {
                        "identifier": str(result.header.get("id") or header_id),
                        "code": "ok",
                    },
                    "focus": [{"reference": f"{base}/ServiceRequest/{referral.uuid}"}],
                },
            },
            {
                "fullUrl": f"{base}/ServiceRequest/{referral.uuid}",
                "resource": service_request(referral),
            },
            {"fullUrl": f"{base}/Task/{referral.uuid}", "resource": referral_task(referral)},
        ],
    }
    return fhir_response(answer, headers={"Location": f"{base}/ServiceRequest/{referral.uuid}"})
