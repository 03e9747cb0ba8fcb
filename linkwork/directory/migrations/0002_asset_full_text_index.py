"""Full-text index over Asset.search_text: FTS5 on SQLite, a tsvector + GIN on PostgreSQL.

Both are kept in step with the table by the database itself (SQLite triggers; a
PostgreSQL generated column), so no code path can forget to reindex.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE directory_asset_fts USING fts5(
        search_text, content='directory_asset', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER directory_asset_fts_insert AFTER INSERT ON directory_asset BEGIN
        INSERT INTO directory_asset_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    """CREATE TRIGGER directory_asset_fts_delete AFTER DELETE ON directory_asset BEGIN
        INSERT INTO directory_asset_fts(directory_asset_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END""",
    """CREATE TRIGGER directory_asset_fts_update AFTER UPDATE OF search_text ON directory_asset
    BEGIN
        INSERT INTO directory_asset_fts(directory_asset_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO directory_asset_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS directory_asset_fts_update",
    "DROP TRIGGER IF EXISTS directory_asset_fts_delete",
    "DROP TRIGGER IF EXISTS directory_asset_fts_insert",
    "DROP TABLE IF EXISTS directory_asset_fts",
]
POSTGRES_FORWARD = [
    """ALTER TABLE directory_asset ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('english', coalesce(search_text, ''))) STORED""",
    "CREATE INDEX directory_asset_search_vector ON directory_asset USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS directory_asset_search_vector",
    "ALTER TABLE directory_asset DROP COLUMN IF EXISTS search_vector",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
