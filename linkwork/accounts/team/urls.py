from django.urls import path

from linkwork.accounts.team import views

urlpatterns = [
    path("team/", views.team, name="team"),
    path("team/invite/", views.invite, name="team-invite"),
    path("team/invitations/<int:pk>/withdraw/", views.withdraw, name="team-invitation-withdraw"),
    path("team/cases/", views.cases, name="team-cases"),
    path("team/cases/<int:pk>/assign/", views.reassign, name="team-reassign"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("organisations/new/", views.organisation_new, name="organisation-new"),
]
