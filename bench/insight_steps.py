"""The gap report's steps, one by one, on a kept insight bench world (issue 19 item 3).

    INSIGHT_BENCH_KEEP=1 INSIGHT_BENCH_DATABASE_URL=postgres://.../NAME \\
        python -m bench.insight_steps national [lsoa|neighbourhood] [repeat]

Builds the world first if `NAME_national` does not hold one (see bench/insight.py), then
times, each `repeat` times (median; wall and this process's CPU, the difference being
mostly the database and waiting for a core): the demand and supply statements, reading
them into counts, publishing the demand tables, the gap keys, building and ranking the
rows, and the whole report as `gaps()` runs it.
"""

import os
import statistics
import sys
import time


def _timed(name: str, action, repeat: int, prepare=None) -> None:
    walls, cpus = [], []
    for _ in range(repeat):
        state = prepare() if prepare else None
        wall, cpu = time.perf_counter(), time.process_time()
        action(state) if prepare else action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    print(
        f"  {name:<44} wall {statistics.median(walls):7.3f} s   "
        f"CPU {statistics.median(cpus):7.3f} s   (min wall {min(walls):.3f} s)",
        flush=True,
    )


def main(scale: str, level: str, repeat: int) -> None:
    from bench.insight import DEFAULT_URL, _fresh_database, kept_url, load

    os.environ["INSIGHT_BENCH_KEEP"] = "1"
    url = kept_url(os.environ.get("INSIGHT_BENCH_DATABASE_URL", DEFAULT_URL), scale)
    assert _fresh_database(url, keep=True), "PostgreSQL is not reachable"
    os.environ["DATABASE_URL"] = url
    load(scale)

    import datetime as dt

    from linkwork.bulk import no_cyclic_gc
    from linkwork.insight import queries
    from linkwork.insight.selectors import gaps, insight_scope
    from linkwork.insight.selectors.gaps import _gap_keys, _gap_rows

    print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; level {level}")
    scope = insight_scope(level=level)
    scope.areas, scope.categories  # noqa: B018 — looked up once, outside the timings
    period = scope.period
    stale = dt.datetime.now(dt.UTC) - dt.timedelta(days=182)
    supply_sql, supply_params = queries.supply_sql(level), queries.supply_params(stale)
    for part in ("referred", "need"):  # as the report runs them, side by side (PARTS)
        sql, params = (
            queries.demand_sql(level, None, part),
            queries.demand_params(period, None, part),
        )
        stream = level == "lsoa" and part == "referred"
        _timed(
            f"demand statement, {part}",
            lambda sql=sql, params=params, stream=stream: queries.run_sql(
                sql, params, stream=stream
            ),
            repeat,
        )
    counts = lambda: queries.demand_counts(level, period)  # noqa: E731
    _timed("demand statement read into counts", counts, repeat)
    _timed("supply statement", lambda: queries.run_sql(supply_sql, supply_params), repeat)

    once = insight_scope(level=level)
    once.areas, once.categories, once.demand_counts, once.supply_counts  # noqa: B018 — once
    cached = ("areas", "categories", "demand_counts", "supply_counts")

    def fetched():
        # A scope holding the fetched aggregates, its published tables not made yet.
        fresh = insight_scope(level=level)
        fresh.__dict__.update({name: once.__dict__[name] for name in cached})
        return fresh

    def publish(fresh) -> None:
        with no_cyclic_gc():
            for name in ("referred", "unmet", "waitlisted", "interests"):
                getattr(fresh.published, name)

    def published():
        fresh = fetched()
        publish(fresh)
        return fresh

    def rows(fresh) -> None:
        with no_cyclic_gc():
            _gap_rows(fresh, _gap_keys(fresh))

    def every_row(fresh) -> None:
        list(_gap_rows(fresh, _gap_keys(fresh)))

    _timed("publishing the four demand tables", publish, repeat, fetched)
    _timed("gap keys", lambda fresh: _gap_keys(fresh), repeat, published)
    _timed("gap keys, ranking the rows", rows, repeat, published)
    _timed("  and building every row", every_row, repeat, published)
    _timed("whole gap report (gaps())", lambda: gaps(insight_scope(level=level)), repeat)
    _timed("  and every row read", lambda: list(gaps(insight_scope(level=level))), repeat)


if __name__ == "__main__":
    args = sys.argv[1:]
    main(
        args[0] if args else "national",
        args[1] if len(args) > 1 else "lsoa",
        int(args[2]) if len(args) > 2 else 3,
    )
