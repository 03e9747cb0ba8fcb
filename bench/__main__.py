"""Run every benchmark: `make bench` (SQLite) or with DATABASE_URL set (PostgreSQL)."""

from bench import foundation

BENCHMARKS = [foundation]

for benchmark in BENCHMARKS:
    benchmark.main()
