"""Run every benchmark: `make bench` (SQLite) or with DATABASE_URL set (PostgreSQL)."""

from bench import casework, directory_search, evaluation, foundation, insight, worklists

BENCHMARKS = [foundation, directory_search, casework, worklists, insight, evaluation]

for benchmark in BENCHMARKS:
    benchmark.main()
