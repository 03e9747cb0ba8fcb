"""Fixtures for the tests that call the WSGI application directly."""

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Schemathesis calls the WSGI application itself, whose request_finished handler
    closes the database connection, the one holding the test's transaction (harmless on
    SQLite's in-memory database; fatal on PostgreSQL). Django's test client disconnects
    the handler for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
