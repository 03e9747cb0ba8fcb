"""Backups that restore: one command for either database, and the checksums that prove
a restore is whole (docs/operations.md says when to use what).

SQLite is copied with SQLite's online backup API (a consistent copy while Linkwork keeps
serving, unlike copying the file); PostgreSQL with pg_dump's custom format (consistent
as of the moment it starts; pg_restore can bring back one table or all). Larger places
add continuous WAL archiving (pgBackRest) for point-in-time recovery.
"""

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connections


@dataclass(frozen=True)
class TableSum:
    table: str
    rows: int
    checksum: str


def backup_database(out: Path, *, using: str = "default") -> Path:
    """Write a consistent backup of the database to `out` (a SQLite file, or a pg_dump
    custom-format archive)."""
    connection = connections[using]
    out.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(out)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return out
    if connection.vendor == "postgresql":
        subprocess.run(  # noqa: S603 - fixed argv, no shell
            [_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={out}", *_pg_args(using)],
            env=_pg_env(using),
            check=True,
        )
        return out
    raise NotImplementedError(f"No backup for the {connection.vendor} database.")


def restore_postgres(archive: Path, *, database: str, using: str = "default") -> None:
    """pg_restore an archive into `database` (which must exist and be empty)."""
    subprocess.run(  # noqa: S603 - fixed argv, no shell
        [
            _tool("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            f"--dbname={database}",
            *_pg_args(using, with_name=False),
            str(archive),
        ],
        env=_pg_env(using),
        check=True,
    )


def _tool(name: str) -> str:
    """The PostgreSQL client found on PATH (match its major version to the server's)."""
    path = shutil.which(name)
    if path is None:
        raise FileNotFoundError(
            f"{name} is not installed (Debian: apt-get install postgresql-client)."
        )
    return path


def _pg_args(using: str, *, with_name: bool = True) -> list[str]:
    settings = connections[using].settings_dict
    args = []
    if settings.get("HOST"):
        args.append(f"--host={settings['HOST']}")
    if settings.get("PORT"):
        args.append(f"--port={settings['PORT']}")
    if settings.get("USER"):
        args.append(f"--username={settings['USER']}")
    if with_name:
        args.append(settings["NAME"])
    return args


def _pg_env(using: str) -> dict[str, str]:
    env = dict(os.environ)
    password = connections[using].settings_dict.get("PASSWORD")
    if password:
        env["PGPASSWORD"] = password
    return env


def _normalised(value: Any) -> str:
    # The same stored value reads back the same whichever connection reads it: times in
    # UTC (a connection's time zone is its own), bytes as hex.
    if isinstance(value, memoryview | bytes):
        return bytes(value).hex()
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).isoformat()
    return repr(value)


def table_checksums(cursor, tables: list[str], quote) -> list[TableSum]:
    """Row count and a SHA-256 of each table's rows (sorted, so row order on disk does not
    matter), through any DB-API cursor: the live database or a restored copy."""
    sums = []
    for table in sorted(tables):
        cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - names from introspection
        rows = sorted("|".join(_normalised(v) for v in row) for row in cursor.fetchall())
        digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
        sums.append(TableSum(table, len(rows), digest))
    return sums


def live_checksums(using: str = "default") -> list[TableSum]:
    connection = connections[using]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return table_checksums(cursor, tables, connection.ops.quote_name)
