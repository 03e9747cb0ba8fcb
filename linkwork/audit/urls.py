from django.urls import path

from linkwork.audit import views

urlpatterns = [path("audit/", views.audit_event_list, name="audit-events")]
