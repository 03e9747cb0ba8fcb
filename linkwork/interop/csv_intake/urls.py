from django.urls import path

from linkwork.interop.csv_intake import views

urlpatterns = [
    path("casework/import/", views.import_referrals, name="casework-import"),
    path("casework/import/template.csv", views.template_csv, name="casework-import-template"),
]
