"""/fhir/ routes (FHIR R4 4.0.1, application/fhir+json): see capability.py for the list."""

from django.urls import path

from linkwork.interop.fhir import views

urlpatterns = [
    path("", views.transaction, name="fhir-base"),
    path("metadata", views.metadata, name="fhir-metadata"),
    path("$process-message", views.process_message, name="fhir-process-message"),
    path("ServiceRequest", views.service_requests, name="fhir-service-requests"),
    path(
        "ServiceRequest/<str:referral_id>", views.service_request_read, name="fhir-service-request"
    ),
    path("ServiceRequest/<str:referral_id>/$closure", views.closure, name="fhir-closure"),
    path("Bundle/<str:bundle_id>", views.bundle_read, name="fhir-bundle"),
    path("Task", views.tasks, name="fhir-tasks"),
    path("Task/<str:task_id>", views.task_read, name="fhir-task"),
]
