"""Benchmarks at realistic scale. `make bench` runs every module listed in __main__."""
