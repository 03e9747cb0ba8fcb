"""URLs of the public pages of casework."""

from django.urls import path

from linkwork.referrals.views import public

urlpatterns: list = [
    path("self-referral/", public.self_referral, name="self-referral"),
    path("self-referral/sent/", public.self_referral_sent, name="self-referral-sent"),
    # Before the token's pattern, which would otherwise take "thank-you" as a token.
    path("feedback/thank-you/", public.feedback_thanks, name="person-feedback-thanks"),
    path("feedback/<str:token>/", public.feedback, name="person-feedback"),
    # The same page by the short link sent in a text message.
    path("f/<str:token>", public.feedback, name="person-feedback-short"),
]
