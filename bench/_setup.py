"""A throwaway database for a benchmark run: SQLite in a temp folder unless DATABASE_URL is set."""

import os
import statistics
import tempfile
import time
from collections.abc import Callable


def django_with_fresh_database() -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = os.path.join(tempfile.mkdtemp(prefix="linkwork-bench-"), "b.db")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linkwork.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def timings(action: Callable[[], object], repeat: int) -> list[float]:
    """Wall-clock seconds of each of `repeat` runs, after one warm-up run."""
    action()
    result = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        result.append(time.perf_counter() - started)
    return result


def summary(name: str, seconds: list[float]) -> dict:
    ordered = sorted(seconds)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    median = statistics.median(ordered)
    print(f"  {name:<40} median {median * 1000:8.2f} ms   p95 {p95 * 1000:8.2f} ms")
    return {"median": median, "p95": p95}
