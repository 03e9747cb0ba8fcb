from unittest import mock

from django.db import OperationalError


def test_health_reports_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_reports_database_error_when_it_cannot_connect(client, db):
    with mock.patch("linkwork.health.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}


def test_ready_when_the_database_answers_and_migrations_are_applied(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok"}


def test_not_ready_while_migrations_are_pending(client, db):
    with mock.patch(
        "linkwork.health.MigrationExecutor.migration_plan", return_value=[("m", False)]
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "1 pending"


def test_not_ready_when_the_database_cannot_be_reached(client, db):
    with mock.patch("linkwork.health.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"


def test_health_makes_one_cheap_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get("/healthz").status_code == 200
