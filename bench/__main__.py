"""Run every benchmark: `make bench` (SQLite) or with DATABASE_URL set (PostgreSQL)."""

from bench import casework, directory_search, evaluation, foundation, insight

BENCHMARKS = [foundation, directory_search, casework, insight, evaluation]

for benchmark in BENCHMARKS:
    benchmark.main()
