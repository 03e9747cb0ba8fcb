"""Pages of the community app."""

from django.urls import path

from linkwork.community import views

urlpatterns = [
    path("interests/new/", views.interest_new, name="interest-new"),
    path("interests/sent/", views.interest_sent, name="interest-sent"),
    path("insight/emerging-groups/", views.emerging_groups, name="emerging-groups"),
    path("grants/", views.grant_list, name="grant-list"),
    path("grants/new/", views.grant_new, name="grant-new"),
]
