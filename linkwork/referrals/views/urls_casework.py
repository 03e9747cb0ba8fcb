"""URLs of the link worker's casework pages: each action its own small POST URL."""

from django.urls import path

from linkwork.referrals.views import casework as views
from linkwork.referrals.views import people, prescription

CASE = "casework/referrals/<int:pk>/"

urlpatterns: list = [
    path("casework/", views.caseload, name="caseload"),
    path("casework/queue/", views.triage_queue, name="triage-queue"),
    path("casework/follow-ups/", views.follow_ups, name="follow-ups"),
    path(CASE, views.referral_detail, name="referral-detail"),
    path(f"{CASE}accept/", views.accept, name="casework-accept"),
    path(f"{CASE}transition/", views.transition, name="casework-transition"),
    path(f"{CASE}conversation/", views.conversation, name="casework-conversation"),
    path(f"{CASE}plan/", views.plan, name="casework-plan"),
    path(f"{CASE}connections/", views.propose_connection, name="casework-connection-propose"),
    path(
        f"{CASE}connections/<int:cid>/send/",
        views.send_connection,
        name="casework-connection-send",
    ),
    path(
        f"{CASE}connections/<int:cid>/instead/",
        views.connect_instead,
        name="casework-connection-instead",
    ),
    path(
        f"{CASE}connections/<int:cid>/withdraw/",
        views.withdraw_connection,
        name="casework-connection-withdraw",
    ),
    path(
        f"{CASE}connections/<int:cid>/attendance/",
        views.record_attendance,
        name="casework-connection-attendance",
    ),
    path(
        f"{CASE}connections/<int:cid>/prescription/",
        prescription.prescription,
        name="casework-prescription",
    ),
    path(
        f"{CASE}connections/<int:cid>/prescription/send/",
        prescription.send,
        name="casework-prescription-send",
    ),
    path(
        f"{CASE}connections/<int:cid>/session-reminder/",
        prescription.session_reminder,
        name="casework-session-reminder",
    ),
    path(f"{CASE}unmet-needs/", views.record_unmet_need, name="casework-unmet-need"),
    path(
        f"{CASE}follow-ups/<int:fid>/complete/",
        views.complete_follow_up,
        name="casework-follow-up-complete",
    ),
    path(f"{CASE}notes/", views.add_case_note, name="casework-note"),
    path(f"{CASE}close-no-answer/", views.close_without_answer, name="casework-close-no-answer"),
    path(f"{CASE}consent/withdraw/", views.withdraw_consent, name="casework-consent-withdraw"),
    path(
        f"{CASE}duplicates/<int:person_id>/same/",
        people.same_person,
        name="casework-duplicate-same",
    ),
    path(
        f"{CASE}duplicates/<int:person_id>/different/",
        people.different_people,
        name="casework-duplicate-different",
    ),
    path(f"{CASE}merges/<int:merge_id>/undo/", people.undo_merge, name="casework-merge-undo"),
    path(f"{CASE}details/", people.referral_details, name="casework-referral-details"),
]
