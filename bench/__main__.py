"""Run every benchmark: `make bench` (SQLite) or with DATABASE_URL set (PostgreSQL)."""

from bench import casework, directory_search, foundation, insight

BENCHMARKS = [foundation, directory_search, casework, insight]

for benchmark in BENCHMARKS:
    benchmark.main()
