"""Pages of the funding app."""

from django.urls import path

from linkwork.funding import views

urlpatterns = [
    path("funding/", views.funding_home, name="funding-home"),
    path("funding/rounds/new/", views.round_new, name="funding-round-new"),
    path("funding/rounds/<int:pk>/", views.public_round, name="funding-round"),
    path("funding/rounds/<int:pk>/manage/", views.round_manage, name="funding-round-manage"),
    path(
        "funding/rounds/<int:pk>/transition/",
        views.round_transition,
        name="funding-round-transition",
    ),
    path(
        "funding/rounds/<int:pk>/payments.csv",
        views.round_payments_csv,
        name="funding-round-payments-csv",
    ),
    path("funding/rounds/<int:pk>/apply/", views.application_apply, name="funding-apply"),
    path("funding/applications/<int:pk>/", views.application, name="funding-application"),
    path(
        "funding/applications/<int:pk>/check/",
        views.application_check,
        name="funding-application-check",
    ),
    path(
        "funding/applications/<int:pk>/conflict/",
        views.application_conflict,
        name="funding-application-conflict",
    ),
    path(
        "funding/applications/<int:pk>/score/",
        views.application_score,
        name="funding-application-score",
    ),
    path(
        "funding/applications/<int:pk>/decision/",
        views.application_decision,
        name="funding-application-decision",
    ),
    path(
        "funding/applications/<int:pk>/payment/",
        views.application_payment,
        name="funding-application-payment",
    ),
    path(
        "funding/applications/<int:pk>/report/",
        views.application_report,
        name="funding-application-report",
    ),
    path("funding/statements/", views.statements, name="funding-statements"),
    path("funding/statements.csv", views.statements_csv, name="funding-statements-csv"),
    path(
        "funding/statements/<int:pk>/approve/",
        views.statement_approve,
        name="funding-statement-approve",
    ),
    path("funding/statements/<int:pk>/paid/", views.statement_paid, name="funding-statement-paid"),
    path("funding/tariffs/new/", views.tariff_new, name="funding-tariff-new"),
]
