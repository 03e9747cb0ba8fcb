"""/fhir/ routes (FHIR R4 4.0.1, application/fhir+json): see capability.py for the list."""

from django.urls import path, re_path

from linkwork.interop.fhir import oauth, views
from linkwork.interop.fhir import views_resources as other

urlpatterns = [
    path("", views.transaction, name="fhir-base"),
    path("metadata", views.metadata, name="fhir-metadata"),
    path("token", oauth.token, name="fhir-token"),
    path("$process-message", views.process_message, name="fhir-process-message"),
    path("ServiceRequest", views.service_requests, name="fhir-service-requests"),
    path(
        "ServiceRequest/<str:referral_id>", views.service_request_read, name="fhir-service-request"
    ),
    path("ServiceRequest/<str:referral_id>/$closure", views.closure, name="fhir-closure"),
    path("Bundle/<str:bundle_id>", views.bundle_read, name="fhir-bundle"),
    path("Task", views.tasks, name="fhir-tasks"),
    path("Task/<str:task_id>", views.task_read, name="fhir-task"),
    path("HealthcareService", other.healthcare_services, name="fhir-healthcare-services"),
    path(
        "HealthcareService/<str:resource_id>",
        other.healthcare_service_read,
        name="fhir-healthcare-service",
    ),
    path("Organization", other.organizations, name="fhir-organizations"),
    path("Organization/<str:resource_id>", other.organization_read, name="fhir-organization"),
    path("Location", other.locations, name="fhir-locations"),
    path("Location/<str:resource_id>", other.location_read, name="fhir-location"),
    path("Questionnaire", other.questionnaire_search, name="fhir-questionnaires"),
    path(
        "Questionnaire/<str:questionnaire_id>", other.questionnaire_read, name="fhir-questionnaire"
    ),
    path(
        "QuestionnaireResponse",
        other.questionnaire_response_search,
        name="fhir-questionnaire-responses",
    ),
    path(
        "QuestionnaireResponse/<str:response_id>",
        other.questionnaire_response_read,
        name="fhir-questionnaire-response",
    ),
    path("Subscription", other.subscription_list, name="fhir-subscriptions"),
    path("Subscription/<str:subscription_id>", other.subscription_one, name="fhir-subscription"),
    re_path(r"^(?P<path>.+)$", views.not_found, name="fhir-not-found"),
]
