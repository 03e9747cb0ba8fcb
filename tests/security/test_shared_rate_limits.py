"""Rate limits hold across worker processes (issue 22, item 5): under gunicorn with
several workers, a per-process cache let 25 of 25 self-referrals through a limit of 5."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import cache

WORKERS = 4
HITS_EACH = 4
LIMIT = 5

# One worker process: Django set up from scratch, hitting the limit HITS_EACH times.
WORKER = f"""
import sys, django
django.setup()
from linkwork.referrals import throttle
print(sum(throttle.allow(sys.argv[1], limit={LIMIT}) for _ in range({HITS_EACH})))
"""


def database_env(tmp_path) -> dict[str, str]:
    """The workers' database: this run's test database on PostgreSQL (its cache table
    made by migrate), a fresh SQLite file otherwise (the test database is in memory)."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        env = {"SQLITE_PATH": str(tmp_path / "shared.sqlite3"), "DATABASE_URL": ""}
        setup = subprocess.run(
            [sys.executable, "-m", "linkwork.cli", "createcachetable"],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=False,
        )
        assert setup.returncode == 0, setup.stderr
        return env
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return {"DATABASE_URL": f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"}


@pytest.mark.django_db(transaction=True)
def test_a_limit_holds_when_hits_come_through_different_processes(tmp_path):
    env = {**os.environ, **database_env(tmp_path), "CACHE_URL": ""}
    key = f"self-referral:test-{os.getpid()}-{tmp_path.name}"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, key],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(WORKERS)
    ]
    allowed = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        allowed.append(int(out))
    cache.clear()

    assert sum(allowed) == LIMIT  # of WORKERS * HITS_EACH = 16, all at about once
