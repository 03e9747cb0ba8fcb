"""Run every benchmark: `make bench` (SQLite) or with DATABASE_URL set (PostgreSQL)."""

from bench import (
    casework,
    directory_search,
    evaluation,
    foundation,
    funding_statements,
    insight,
    worklists,
)

BENCHMARKS = [
    foundation,
    directory_search,
    casework,
    worklists,
    insight,
    evaluation,
    funding_statements,
]

for benchmark in BENCHMARKS:
    benchmark.main()
