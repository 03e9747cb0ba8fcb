"""Run the benchmarks and print the issue's targets with what was measured.

`make bench` or `python -m bench` runs all of them (SQLite unless DATABASE_URL names a
PostgreSQL database; insight, funding and the load test use PostgreSQL databases of
their own). `python -m bench search worklists` runs only those; `python -m bench --list`
names them.
"""

import os
import sys
import tempfile
from importlib import import_module

from bench.targets import RESULTS_ENV, calibration, read, table

# name: (module, what it measures, about how long it takes here)
BENCHMARKS = {
    "foundation": ("foundation", "health check, a role home, the API with a token", "1 min"),
    "search": ("directory_search", "search API and ORUK feed against raw SQL", "3 min"),
    "casework": ("casework", "caseload, group inbox, a referral at 90,000", "6 min"),
    "worklists": ("worklists", "caseload, queue, follow-ups, referrer list", "3 min"),
    "insight": ("insight", "gap report, ICB and national (PostgreSQL)", "30+ min"),
    "evaluation": ("evaluation", "evaluation page, CSV, report at 30,000", "8 min"),
    "funding": ("funding_statements", "monthly tariff statements (PostgreSQL)", "3 min"),
    "load": ("load", "gunicorn throughput on the public mix (PostgreSQL)", "2 min"),
}


def main(argv: list[str]) -> int:
    if "--list" in argv or "-h" in argv or "--help" in argv:
        print(__doc__)
        for name, (_, what, how_long) in BENCHMARKS.items():
            print(f"  {name:<11} {what} (~{how_long})")
        return 0
    unknown = [name for name in argv if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark {', '.join(unknown)}; one of {', '.join(BENCHMARKS)}")
        return 2
    chosen = argv or list(BENCHMARKS)
    handle, results = tempfile.mkstemp(prefix="linkwork-bench-", suffix=".jsonl")
    os.close(handle)
    os.environ[RESULTS_ENV] = results
    print(calibration(), flush=True)
    try:
        for name in chosen:
            import_module(f"bench.{BENCHMARKS[name][0]}").main()
            sys.stdout.flush()
    finally:
        print(f"\nTargets of issue 19 ({', '.join(chosen)})")
        print(calibration())
        print(table(read(results)))
        os.unlink(results)
    return 0


sys.exit(main(sys.argv[1:]))
