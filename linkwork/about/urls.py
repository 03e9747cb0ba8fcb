from django.urls import path

from linkwork.about import views

urlpatterns = [
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("cookies/", views.cookies, name="cookies"),
    path("contact/", views.contact, name="contact"),
    path("terms/", views.terms, name="terms"),
    path("status/", views.status, name="service-status"),
]
