"""URLs of the referrer pages of casework."""

from django.urls import path

from linkwork.referrals.views import referrer

urlpatterns: list = [
    path("referrals/", referrer.referral_list, name="referral-list"),
    path("referrals/new/", referrer.referral_new, name="referral-new"),
    path("referrals/<int:pk>/", referrer.referral_status, name="referral-status"),
]
