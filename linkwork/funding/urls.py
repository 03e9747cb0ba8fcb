"""Pages of the funding app."""

from django.urls import path

from linkwork.funding import views

urlpatterns = [
    path("funding/rounds/<int:pk>/", views.public_round, name="funding-round"),
]
