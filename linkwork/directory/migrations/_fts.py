"""Helpers for migrations that change directory_asset on SQLite (see 0002)."""

import importlib


def restore_sqlite_triggers(apps, schema_editor) -> None:
    """Re-create 0002's FTS5 triggers (a table rebuild drops them) and reindex."""
    if schema_editor.connection.vendor != "sqlite":
        return
    fts = importlib.import_module("linkwork.directory.migrations.0002_asset_full_text_index")
    for statement in fts.SQLITE_FORWARD[1:]:
        name = statement.split("TRIGGER", 1)[1].split()[0]
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute(statement)
    schema_editor.execute("INSERT INTO directory_asset_fts(directory_asset_fts) VALUES('rebuild')")
