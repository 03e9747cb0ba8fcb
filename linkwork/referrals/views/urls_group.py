"""URLs of the group pages of casework."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
