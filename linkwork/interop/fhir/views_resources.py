"""/fhir/: the other resources: the directory (public, from the ORUK selectors),
outcomes (Questionnaire for everyone with the scope, QuestionnaireResponse for case
workers) and rest-hook Subscriptions."""

from django.http import Http404, HttpRequest, HttpResponse

from linkwork.accounts.permissions import organisations_with_permission
from linkwork.accounts.roles import Perm
from linkwork.audit.services import record_event
from linkwork.interop.fhir import directory, outcomes, subscriptions
from linkwork.interop.fhir.http import (
    base_url,
    check_search_params,
    fhir_response,
    fhir_view,
    read_json,
)
from linkwork.interop.fhir.models import Subscription
from linkwork.interop.fhir.views import _uuid_or_none, searchset
from linkwork.outcomes.models import Response

# --- The directory (public, as the Open Referral UK feed is) ---------------------------

DIRECTORY_PARAMS = {
    "HealthcareService": {"name", "service-category", "location", "_id", "_count", "_offset"},
    "Organization": {"name", "_id", "_count", "_offset"},
    "Location": {"name", "address-postalcode", "_id", "_count", "_offset"},
}


def _directory_search(kind: str):
    @fhir_view(auth=False)
    def view(request: HttpRequest) -> HttpResponse:
        check_search_params(request, DIRECTORY_PARAMS[kind])
        return public_searchset(request, directory.search(kind, request.GET))

    view.__name__ = f"{kind.lower()}_search"
    return view


def _directory_read(kind: str):
    @fhir_view(auth=False)
    def view(request: HttpRequest, resource_id: str) -> HttpResponse:
        return fhir_response(directory.read(kind, resource_id))

    view.__name__ = f"{kind.lower()}_read"
    return view


def public_searchset(request: HttpRequest, resources: list[dict]) -> HttpResponse:
    """A searchset of resources that name nobody (nothing to audit)."""
    return searchset(request, [(resource, None) for resource in resources])


healthcare_services = _directory_search("HealthcareService")
healthcare_service_read = _directory_read("HealthcareService")
organizations = _directory_search("Organization")
organization_read = _directory_read("Organization")
locations = _directory_search("Location")
location_read = _directory_read("Location")


# --- Outcomes ----------------------------------------------------------------------------

Q_READ, QR_READ = "system/Questionnaire.read", "system/QuestionnaireResponse.read"


@fhir_view(scope=Q_READ)
def questionnaire_search(request: HttpRequest) -> HttpResponse:
    check_search_params(request, {"_id", "_count", "_offset"})
    found = outcomes.questionnaires()
    if request.GET.get("_id"):
        found = [q for q in found if q["id"] == request.GET["_id"]]
    return public_searchset(request, found)


@fhir_view(scope=Q_READ)
def questionnaire_read(request: HttpRequest, questionnaire_id: str) -> HttpResponse:
    code = outcomes.code_of(questionnaire_id)
    if code is None:
        raise Http404
    return fhir_response(outcomes.questionnaire(code))


def _case_responses(request: HttpRequest):
    """Responses on referrals the caller works on as a link worker (never a referrer's)."""

    services = organisations_with_permission(request.fhir_caller.user, Perm.CASEWORK)
    return Response.objects.filter(referral__service_id__in=services).select_related(
        "referral__person"
    )


@fhir_view(scope=QR_READ)
def questionnaire_response_search(request: HttpRequest) -> HttpResponse:
    check_search_params(request, {"subject", "based-on", "_id", "_count", "_offset"})
    responses = _case_responses(request).order_by("completed_on", "pk")
    if request.GET.get("based-on"):
        wanted = _uuid_or_none(request.GET["based-on"].removeprefix("ServiceRequest/"))
        responses = responses.filter(referral__uuid=wanted)
    if request.GET.get("subject"):
        wanted = _uuid_or_none(request.GET["subject"].removeprefix("Patient/"))
        responses = responses.filter(referral__person__uuid=wanted)
    if request.GET.get("_id"):
        raw = request.GET["_id"]
        responses = responses.filter(pk=int(raw)) if raw.isdigit() else responses.none()
    return searchset(request, [(outcomes.questionnaire_response(r), r.referral) for r in responses])


@fhir_view(scope=QR_READ)
def questionnaire_response_read(request: HttpRequest, response_id: str) -> HttpResponse:
    if not response_id.isdigit():
        raise Http404
    response = _case_responses(request).filter(pk=int(response_id)).first()
    if response is None:
        raise Http404
    record_event(
        by=request.fhir_caller.user,
        action="referral_viewed",
        object_type="referral",
        object_id=response.referral_id,
        summary="fhir QuestionnaireResponse",
    )
    return fhir_response(outcomes.questionnaire_response(response))


# --- Subscriptions (rest-hook push) -----------------------------------------------------

SUB_WRITE = "system/Subscription.write"


@fhir_view(methods=("GET", "POST"), scope=SUB_WRITE)
def subscription_list(request: HttpRequest) -> HttpResponse:
    caller = request.fhir_caller
    if request.method == "POST":
        created = subscriptions.create(body=read_json(request), caller=caller)
        return fhir_response(
            subscriptions.subscription_resource(created),
            201,
            {"Location": f"{base_url(request)}/Subscription/{created.pk}"},
        )
    check_search_params(request, {"_count", "_offset"})
    own = Subscription.objects.filter(owner=caller.user).order_by("pk")
    return public_searchset(request, [subscriptions.subscription_resource(s) for s in own])


@fhir_view(methods=("GET", "DELETE"), scope=SUB_WRITE)
def subscription_one(request: HttpRequest, subscription_id: str) -> HttpResponse:
    found = subscriptions.of(request.fhir_caller, subscription_id)
    if request.method == "DELETE":
        subscriptions.turn_off(subscription=found, caller=request.fhir_caller)
        return HttpResponse(status=204)
    return fhir_response(subscriptions.subscription_resource(found))
