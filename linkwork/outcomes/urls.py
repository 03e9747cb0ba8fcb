"""Pages of the outcomes app: the link worker's (under the case page) and the person's
questionnaire link (no sign-in)."""

from django.urls import path

from linkwork.outcomes import views

CASE = "casework/referrals/<int:pk>/outcomes/"

urlpatterns: list = [
    path(CASE, views.outcomes, name="outcomes-case"),
    path(f"{CASE}record/<slug:code>/", views.record, name="outcomes-record"),
    path(f"{CASE}other/", views.other_outcomes, name="outcomes-other"),
    path(f"{CASE}link/", views.send_link, name="outcomes-link"),
    path("questionnaire/done/", views.questionnaire_done, name="questionnaire-done"),
    path("questionnaire/<str:token>/", views.questionnaire, name="questionnaire"),
    # The same page by the short link sent in a text message.
    path("q/<str:token>", views.questionnaire, name="questionnaire-short"),
]
