"""Run every benchmark: `make bench` (SQLite) or with DATABASE_URL set (PostgreSQL)."""

from bench import casework, directory_search, foundation

BENCHMARKS = [foundation, directory_search, casework]

for benchmark in BENCHMARKS:
    benchmark.main()
