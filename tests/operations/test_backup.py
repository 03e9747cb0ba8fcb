"""A backup restores into a fresh database with every table's rows and checksums equal."""

import sqlite3
import uuid

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from linkwork.accounts.roles import Role
from linkwork.operations.backup import (
    backup_database,
    live_checksums,
    restore_postgres,
    table_checksums,
)
from linkwork.privacy.registry import person_model
from tests.factories import AssetFactory, user_with_role
from tests.privacy.conftest import make_person

pytestmark = pytest.mark.django_db(transaction=True)


def some_data():
    user_with_role(Role.LINK_WORKER)
    AssetFactory(name="Tuesday walk")
    make_person()


def test_backup_restores_every_table_row_for_row(tmp_path):
    some_data()
    before = live_checksums()
    assert any(t.table == person_model()._meta.db_table and t.rows == 1 for t in before)
    archive = backup_database(tmp_path / "linkwork.backup")
    if connection.vendor == "sqlite":
        # The types Django reads back (its converters are registered with sqlite3).
        restored = sqlite3.connect(
            archive, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
        )
        try:
            tables = [t.table for t in before]
            after = table_checksums(restored.cursor(), tables, connection.ops.quote_name)
        finally:
            restored.close()
    else:
        after = _restore_into_fresh_postgres(archive, [t.table for t in before])
    assert after == before


def _restore_into_fresh_postgres(archive, tables):
    settings = connection.settings_dict
    fresh = f"{settings['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    admin = {
        "host": settings["HOST"],
        "port": settings["PORT"] or 5432,
        "user": settings["USER"],
        "password": settings.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{fresh}"')
    try:
        restore_postgres(archive, database=fresh)
        with psycopg.connect(**{**admin, "dbname": fresh}) as conn:
            return table_checksums(conn.cursor(), tables, connection.ops.quote_name)
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE "{fresh}"')


def test_backup_command_prints_checksums(tmp_path, capsys):
    some_data()
    call_command("backup", "--out", str(tmp_path / "b.backup"), "--checksums")
    out = capsys.readouterr().out
    assert "Backed up to" in out
    assert f"{person_model()._meta.db_table}\t1\t" in out
