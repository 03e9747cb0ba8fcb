"""URLs of the group pages of casework: the referral inbox, its answers, the register,
the group's own statistics."""

from django.urls import path

from linkwork.referrals.views import group, group_statistics

urlpatterns: list = [
    path("group/referrals/", group.inbox, name="group-inbox"),
    path("group/referrals/register/", group.register, name="group-register"),
    path("group/referrals/<int:pk>/feedback/", group.feedback, name="group-connection-feedback"),
    path("group/statistics/", group_statistics.statistics, name="group-statistics"),
    path("group/statistics.csv", group_statistics.statistics_csv, name="group-statistics-csv"),
]
# One URL per answer: one-click answers are POST only; those needing a reason also
# show a page asking for it.
for slug, action in group.ACTIONS.items():
    view = group.respond_with_reason if action.reason_label else group.respond
    urlpatterns.append(
        path(
            f"group/referrals/<int:pk>/{slug}/",
            view,
            {"action": slug},
            name=f"group-connection-{slug}",
        )
    )
