"""The issue's targets beside the figures measured: every benchmark records its figures
here; `python -m bench` prints them in one table at the end.

Benchmarks that run a scale in a child process (insight, funding) record from the child:
the records go to the JSON-lines file named by BENCH_RESULTS, which the parent reads.
"""

import json
import math
import os
import sqlite3
import statistics
import time
from pathlib import Path

RESULTS_ENV = "BENCH_RESULTS"
# Fewer samples than this and a "p95" would be an order statistic near the median: say
# "max of n" instead.
P95_MIN_SAMPLES = 20


def percentile_95(seconds: list[float]) -> tuple[float, str]:
    """(p95 by the nearest-rank rule, its label) or (the maximum, "max of n") when there
    are too few samples for a 95th percentile to mean anything."""
    ordered = sorted(seconds)
    if len(ordered) < P95_MIN_SAMPLES:
        return ordered[-1], f"max of {len(ordered)}"
    return ordered[math.ceil(0.95 * len(ordered)) - 1], f"p95 of {len(ordered)}"


def record(
    target: str, figure: str, met: bool | None, *, item: str, engine: str = "", goal: str = ""
) -> None:
    """One row of the summary: the issue's item, what was measured, the figure in words,
    the goal, and whether it was met (None: a figure for information, no target)."""
    row = {"item": item, "target": target, "engine": engine, "figure": figure, "goal": goal}
    row["met"] = met
    path = os.environ.get(RESULTS_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(row) + "\n")


def read(path: str) -> list[dict]:
    file = Path(path)
    if not file.exists():
        return []
    return [json.loads(line) for line in file.read_text(encoding="utf-8").splitlines() if line]


def table(rows: list[dict]) -> str:
    """The summary table: one line a target."""
    if not rows:
        return "  (no targets measured)"
    head = ("item", "target", "engine", "measured", "goal", "")
    lines = [
        (
            r["item"],
            r["target"],
            r["engine"],
            r["figure"],
            r["goal"],
            {True: "met", False: "NOT MET", None: "(for information)"}[r["met"]],
        )
        for r in rows
    ]
    widths = [max(len(str(col)) for col in column) for column in zip(head, *lines, strict=True)]
    rendered = ["  " + "  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
    rendered.append("  " + "  ".join("-" * w for w in widths))
    for line in lines:
        cells = zip(line, widths, strict=True)
        rendered.append("  " + "  ".join(str(c).ljust(w) for c, w in cells))
    met = sum(r["met"] is True for r in rows)
    rendered.append(f"  {met} of {len(rows)} targets met")
    return "\n".join(rendered)


def calibration() -> str:
    """How fast this machine is right now, for comparing runs: a fixed Python loop, and
    each engine counting a million rows (PostgreSQL only if DATABASE_URL names it)."""

    def median_ms(action, repeat: int = 5) -> float:
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            action()
            runs.append(time.perf_counter() - started)
        return statistics.median(runs) * 1000

    def python_loop() -> int:
        total = 0
        for i in range(1_000_000):
            total += i % 7
        return total

    sqlite = sqlite3.connect(":memory:")
    count_sqlite = (
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000) "
        "SELECT count(*) FROM c"
    )
    counted_sqlite = median_ms(lambda: sqlite.execute(count_sqlite).fetchone())
    parts = [
        f"Python loop of 1M {median_ms(python_loop):.0f} ms",
        f"SQLite counts 1M rows {counted_sqlite:.0f} ms",
    ]
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        try:
            import psycopg

            # The server's own maintenance database: the bench's may not exist yet.
            server = url.split("?", 1)[0].rsplit("/", 1)[0]
            with psycopg.connect(f"{server}/postgres", connect_timeout=3) as db:
                count = "SELECT count(*) FROM generate_series(1, 1000000)"
                counted = median_ms(lambda: db.execute(count).fetchone())
                parts.append(f"PostgreSQL counts 1M rows {counted:.0f} ms")
        except psycopg.OperationalError:
            parts.append("PostgreSQL not reachable")
    load = os.getloadavg()[0]
    parts.append(f"load average {load:.1f} on {os.cpu_count()} cores")
    return "calibration: " + "; ".join(parts) + " (medians of 5)"
