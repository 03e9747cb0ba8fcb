"""Pages of the community app."""

from django.urls import path

from linkwork.community import views
from linkwork.community.mapping import views as mapping
from linkwork.community.network import views as network
from linkwork.community.panels import views as panels
from linkwork.community.starting import views as starting

urlpatterns = [
    path("interests/new/", views.interest_new, name="interest-new"),
    path("interests/sent/", views.interest_sent, name="interest-sent"),
    path("insight/emerging-groups/", views.emerging_groups, name="emerging-groups"),
    path("grants/", views.grant_list, name="grant-list"),
    path("grants/new/", views.grant_new, name="grant-new"),
    # From interest to a new group (community development work).
    path("group-starts/", starting.group_start_list, name="group-start-list"),
    path("group-starts/new/", starting.group_start_new, name="group-start-new"),
    path("group-starts/<int:pk>/", starting.group_start, name="group-start"),
    # Citizen asset mapping.
    path("mapping/", mapping.mapping_home, name="mapping-home"),
    path("mapping/new/", mapping.submit, name="mapping-submit"),
    path("mapping/walks/new/", mapping.walk_new, name="mapping-walk-new"),
    path("mapping/walks/<int:pk>/", mapping.walk, name="mapping-walk"),
    path("mapping/review/", mapping.review_queue, name="mapping-review"),
    path("mapping/review/<int:pk>/", mapping.review_decide, name="mapping-review-decide"),
    path("mapping/submissions/<int:pk>/photo", mapping.photo, name="mapping-photo"),
    # The VCFSE network: public directory; noticeboard for members; moderation.
    path("network/", network.network, name="network"),
    path("network/noticeboard/", network.noticeboard, name="network-noticeboard"),
    path("network/noticeboard/new/", network.notice_new, name="network-notice-new"),
    path("network/noticeboard/<int:pk>/", network.notice, name="network-notice"),
    path("network/moderation/", network.moderation, name="network-moderation"),
    path("network/moderation/<int:pk>/", network.moderate, name="network-moderate"),
    # Panels: public decisions logs; the members' workspace.
    path("panels/", panels.panel_list, name="panel-list"),
    path("panels/mine/", panels.panel_mine, name="panel-mine"),
    path("panels/propose/", panels.priority_propose, name="panel-propose"),
    path("panels/<int:pk>/", panels.panel_home, name="panel-home"),
    path("panels/<int:pk>/decisions/", panels.panel_decisions, name="panel-decisions"),
    path("panels/<int:pk>/meetings/new/", panels.meeting_new, name="panel-meeting-new"),
    path("panels/<int:pk>/meetings/<int:mid>/", panels.meeting_detail, name="panel-meeting"),
    path(
        "panels/<int:pk>/meetings/<int:mid>/priorities/<int:priority_id>/",
        panels.priority_settle,
        name="panel-priority-settle",
    ),
    path("panels/<int:pk>/priorities/new/", panels.priority_new, name="panel-priority-new"),
    path("panels/<int:pk>/membership/", panels.membership, name="panel-membership"),
    path(
        "neighbourhoods/<str:code>/decisions/",
        panels.neighbourhood_decisions,
        name="neighbourhood-decisions",
    ),
]
