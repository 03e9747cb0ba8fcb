from django.urls import path

from linkwork.privacy import views

urlpatterns = [
    path("administration/data-rights/", views.data_rights, name="data-rights"),
    path(
        "administration/data-rights/people/<int:pk>/",
        views.person_subject_access,
        name="subject-access",
    ),
    path("your-data/", views.your_data, name="your-data"),
    path(
        "your-data/interests/<int:pk>/withdraw/", views.withdraw_contact, name="your-data-withdraw"
    ),
]
