"""Full-text matching over Asset.search_text, one function per database engine.

Both return {asset id: relevance} with higher meaning more relevant, so the
selector that ranks results is the same on SQLite (FTS5, bm25) and PostgreSQL
(tsvector, ts_rank). The indexes are made in migration directory/0002.
"""

import re

from django.db import connection

WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 8


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())[:MAX_WORDS]


def _sqlite_matches(terms: list[str]) -> dict[int, float]:
    # Each word as a quoted prefix term, all required: "walk"* AND "group"*
    query = " AND ".join(f'"{term}"*' for term in terms)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid, -bm25(directory_asset_fts) FROM directory_asset_fts "
            "WHERE directory_asset_fts MATCH %s",
            [query],
        )
        return dict(cursor.fetchall())


def _postgres_matches(terms: list[str]) -> dict[int, float]:
    query = " & ".join(f"{term}:*" for term in terms)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, ts_rank(search_vector, to_tsquery('english', %s)) FROM directory_asset "
            "WHERE search_vector @@ to_tsquery('english', %s)",
            [query, query],
        )
        return dict(cursor.fetchall())


def text_matches(text: str) -> dict[int, float] | None:
    """Relevance by asset id for `text`, or None when `text` has no searchable words."""
    terms = words(text)
    if not terms:
        return None
    if connection.vendor == "postgresql":
        return _postgres_matches(terms)
    return _sqlite_matches(terms)
