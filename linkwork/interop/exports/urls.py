from django.urls import path

from linkwork.interop.exports import views

urlpatterns = [
    path(
        "directory/export/hsds-datapackage.zip",
        views.hsds_datapackage,
        name="hsds-datapackage",
    ),
]
