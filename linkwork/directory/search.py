"""Full-text matching over Asset.search_text, on SQLite (FTS5) and PostgreSQL (tsvector).

Relevance is higher for better matches on both (bm25 negated; ts_rank), so the
selector that ranks results in SQL is the same on both. The indexes are made in
migration directory/0002.
"""

import re

from django.db import connections
from django.db.models import BooleanField, FloatField, QuerySet
from django.db.models.expressions import RawSQL

WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 8


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())[:MAX_WORDS]


def _sqlite_query(terms: list[str]) -> str:
    # Each word as a quoted prefix term, all required: "walk"* AND "group"*
    return " AND ".join(f'"{term}"*' for term in terms)


def _postgres_query(terms: list[str]) -> str:
    return " & ".join(f"{term}:*" for term in terms)


# SQLite: the (asset id, relevance) of every match. bm25() works only in the query that
# scans the match, so a caller may join this but not group the query it joins it into.
SQLITE_MATCHES = (
    "SELECT rowid, -bm25(directory_asset_fts) FROM directory_asset_fts "
    "WHERE directory_asset_fts MATCH %s"
)
# PostgreSQL: conditions on directory_asset itself, whose generated column is indexed.
POSTGRES_MATCH = "directory_asset.search_vector @@ to_tsquery('english', %s)"
POSTGRES_RELEVANCE = "ts_rank(directory_asset.search_vector, to_tsquery('english', %s))"


def match_text(assets: QuerySet, text: str) -> tuple[QuerySet, tuple[str, list] | None] | None:
    """How a search for `text` keeps to matching assets and ranks them; None when `text`
    has no searchable words.

    On PostgreSQL, `assets` narrowed to the matches and annotated with their
    `relevance`, and no join. On SQLite, `assets` as they are, and the SQL (with its
    parameters) of the matches' (id, relevance), to join on the id: the full-text
    index is a table of its own there. Either way the database ranks, and no list
    of matching ids passes through Python.
    """
    terms = words(text)
    if not terms:
        return None
    if connections[assets.db].vendor == "postgresql":
        query = _postgres_query(terms)
        # The SQL is this module's constant text; the query is a parameter.
        matching = RawSQL(POSTGRES_MATCH, [query], output_field=BooleanField())  # noqa: S611
        relevance = RawSQL(POSTGRES_RELEVANCE, [query], output_field=FloatField())  # noqa: S611
        narrowed = assets.filter(matching)
        return narrowed.annotate(relevance=relevance), None
    return assets, (SQLITE_MATCHES, [_sqlite_query(terms)])
