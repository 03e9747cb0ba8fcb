"""Run every benchmark: `make bench` (SQLite) or with DATABASE_URL set (PostgreSQL)."""

from bench import directory_search, foundation

BENCHMARKS = [foundation, directory_search]

for benchmark in BENCHMARKS:
    benchmark.main()
