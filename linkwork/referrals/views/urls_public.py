"""URLs of the public pages of casework."""

from django.urls import path

from linkwork.referrals.views import public

urlpatterns: list = [
    path("self-referral/", public.self_referral, name="self-referral"),
    path(
        "self-referral/easy-read/",
        public.self_referral,
        {"easy_read": True},
        name="self-referral-easy-read",
    ),
    path("self-referral/sent/", public.self_referral_sent, name="self-referral-sent"),
    # Before the token's pattern, which would otherwise take "thank-you" as a token.
    path("feedback/thank-you/", public.feedback_thanks, name="person-feedback-thanks"),
    path("feedback/<str:token>/", public.feedback, name="person-feedback"),
    path(
        "feedback/<str:token>/easy-read/",
        public.feedback,
        {"easy_read": True},
        name="person-feedback-easy-read",
    ),
    # The same page by the short link sent in a text message.
    path("f/<str:token>", public.feedback, name="person-feedback-short"),
]
