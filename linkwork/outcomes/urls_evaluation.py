"""The evaluation room (commissioners; link workers for their own service) and the
research export (administrators)."""

from django.urls import path

from linkwork.outcomes import views_evaluation as views

urlpatterns: list = [
    path("evaluation/", views.evaluation_page, name="evaluation"),
    path("evaluation/report/", views.report, name="evaluation-report"),
    path("evaluation/figures.csv", views.figures_csv, name="evaluation-csv"),
    path("evaluation/research-export/", views.research_export_page, name="research-export"),
    path(
        "evaluation/research-export/rows.csv",
        views.research_export_csv,
        name="research-export-csv",
    ),
    path(
        "evaluation/research-export/data-dictionary.csv",
        views.research_export_dictionary,
        name="research-export-dictionary",
    ),
]
