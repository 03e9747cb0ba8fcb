"""Read replica routing, against a real second database: a copy of the primary taken with
`linkwork backup`, which then falls behind it as a lagging replica would."""

import pytest
from django.db import connection, connections
from django.test.testcases import _DatabaseFailure

from linkwork.directory.models import Asset
from linkwork.operations.backup import backup_database
from linkwork.operations.replicas import REPLICA, ReplicaRouter, _replica_reads
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def replica(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the replica is made with SQLite's backup API")
    AssetFactory(name="Copied walk")
    copy = backup_database(tmp_path / "replica.sqlite3")
    config = {**connection.settings_dict, "NAME": str(copy), "TEST": {"MIRROR": None}}
    configured = connections.configure_settings(
        {"default": connection.settings_dict, REPLICA: config}
    )
    connections.settings[REPLICA] = configured[REPLICA]
    # Django's test case guards every alias it was not told about; this one is ours.
    replica_connection = connections[REPLICA]
    for name in ("connect", "temporary_connection", "cursor", "chunked_cursor"):
        guarded = getattr(replica_connection, name)
        if isinstance(guarded, _DatabaseFailure):
            setattr(replica_connection, name, guarded.wrapped)
    replica_connection.connect()  # opened here: the guard only stops unopened ones
    yield
    connections[REPLICA].close()
    del connections.settings[REPLICA]
    del connections[REPLICA]


def test_public_directory_reads_from_the_replica_and_other_pages_from_the_primary(replica, client):
    AssetFactory(name="Only on the primary")  # written after the copy: the replica lags
    assert Asset.objects.filter(name="Only on the primary").exists()
    token = _replica_reads.set(True)
    try:
        names = set(Asset.objects.values_list("name", flat=True))
        assert "Copied walk" in names and "Only on the primary" not in names
        assert ReplicaRouter().db_for_write(Asset) == "default"
    finally:
        _replica_reads.reset(token)

    page = client.get("/directory/", {"q": "walk"}).content.decode()
    assert "Copied walk" in page and "Only on the primary" not in page


def test_signing_in_never_reads_from_the_replica(replica):
    from linkwork.accounts.models import User

    token = _replica_reads.set(True)
    try:
        assert ReplicaRouter().db_for_read(User) is None
    finally:
        _replica_reads.reset(token)


def test_without_a_replica_everything_reads_from_the_primary():
    assert ReplicaRouter().db_for_read(Asset) is None
