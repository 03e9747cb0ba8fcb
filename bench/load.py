"""Loopback load test: `make load` (or `python bench/load.py`) with DATABASE_URL naming a
PostgreSQL database it may fill with the demo data.

Loads the demo (idempotent), starts gunicorn in production mode exactly as `make serve`
does, then runs USERS concurrent users for SECONDS on a realistic mix (public directory
searches and asset pages, what's on, the Open Referral UK feed, and a link worker's API
calls with a bearer token), and reports throughput, p50/p95/p99, errors and the largest
resident memory of any worker. Targets on a 2-core machine: 0 errors, p95 < 300 ms,
RSS < 250 MB per worker, at least 100 requests a second (issue 19).

Two questions, two runs (`python -m bench load` makes both):

- **50 people** (the latency target): a user is a person, as a locust user is: after
  each page they read it for a while before the next, a think time drawn uniformly
  between WAIT_SECONDS (1 to 3 s, locust's `between(1, 3)`). That is brisk for someone
  reading search results or a listing (people take 5-30 s over a page), so 50 such users
  load the server about as much as a few hundred real visitors; the request rate
  follows from it (about 50 / 2 s = 25 a second), it is not the figure to read.
- **Saturation** (the throughput target): the same users with no think time, each
  sending its next request as soon as the last is answered (`--wait 0 0`): the most
  requests a second the server answers; its latencies are queueing, not what people see.
"""

import argparse
import http.client
import json
import math
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
TARGETS = {"errors": 0, "p95_ms": 300, "rss_mb": 250, "throughput_rps": 100}
WARM_UP_ROUNDS = 4  # of every address in the mix, before measuring
# A person's think time between pages, seconds (locust's `wait_time = between(1, 3)`).
WAIT_SECONDS = (1.0, 3.0)
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/linkwork_bench_load"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(env: dict[str, str], *, demo: bool) -> str:
    """Migrate, load the demo, and make a link worker's API token (printed once)."""
    dev = {**env, "DEBUG": "true"}
    subprocess.run([BIN / "linkwork", "migrate", "--noinput", "-v", "0"], env=dev, check=True)
    if demo:
        subprocess.run([BIN / "linkwork", "demo"], env=dev, check=True, stdout=subprocess.DEVNULL)
    made = subprocess.run(
        [BIN / "linkwork", "create-api-token", "linkworker@example.org", "--name", "load"],
        env=dev,
        check=True,
        capture_output=True,
        text=True,
    )
    return made.stdout.strip().splitlines()[-1]


def start_gunicorn(env: dict[str, str], port: int) -> subprocess.Popen:
    prod = {**env, "DEBUG": "false", "PORT": str(port), "HOST": "127.0.0.1", "ACCESS_LOG": "false"}
    return subprocess.Popen(
        [BIN / "gunicorn", "-c", "python:linkwork.gunicorn_conf", "linkwork.wsgi"],
        env=prod,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def get(conn: http.client.HTTPConnection, path: str, headers: dict) -> tuple[int, bytes]:
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


def wait_ready(port: int, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            if get(conn, "/readyz", {})[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not become ready")


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True)
    return [int(pid) for pid in out.stdout.split()]


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def mix(asset_ids: list[int]) -> list[tuple[int, str, bool]]:
    """(weight, path, with the API token)."""
    return [
        (25, "/directory/?q=walk", False),
        (10, "/directory/?q=debt+advice", False),
        (20, "/directory/assets/{asset}/", False),
        (10, "/directory/this-week/", False),
        (10, "/openreferral/services?per_page=10", False),
        (15, "/api/v1/referrals?per_page=20", True),
        (10, "/api/v1/services?per_page=20", True),
    ]


def run(
    port: int, token: str, users: int, seconds: float, wait: tuple[float, float] = (0, 0)
) -> dict:
    base = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
    auth = {**base, "Authorization": f"Bearer {token}"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    status, body = get(conn, "/api/v1/services?per_page=50", auth)
    assert status == 200, status
    asset_ids = [item["id"] for item in json.loads(body)["items"]] or [1]
    choices = mix(asset_ids)
    paths, weights = [(p, t) for _, p, t in choices], [w for w, _, _ in choices]
    # Warm up first, as a server that has been up a while is: each worker's first page of
    # a kind compiles its templates and opens its database connection (seconds on a busy
    # 2-core machine), which would otherwise land in the figures.
    # Eight at a time, each on a connection of its own, so that every worker gets some.
    warm_up = [
        (path.format(asset=asset), auth if with_token else base)
        for _ in range(WARM_UP_ROUNDS)
        for path, with_token in paths
        for asset in asset_ids[:3]
    ]

    def warm(request: tuple[str, dict]) -> None:
        get(http.client.HTTPConnection("127.0.0.1", port, timeout=60), *request)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(warm, warm_up))
    latencies: list[float] = []
    by_path: dict[str, list[float]] = {path: [] for path, _ in paths}
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def user(seed: int) -> None:
        rng = random.Random(seed)  # noqa: S311 - a request mix, not a secret
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, failed, mine_by_path = [], [], []
        if wait[1]:  # people arrive over the first think time, not all in the same instant
            time.sleep(rng.uniform(0, wait[1]))
        while time.monotonic() < stop:
            template, with_token = rng.choices(paths, weights)[0]
            path = template.format(asset=rng.choice(asset_ids))
            started = time.perf_counter()
            try:
                status, _ = get(conn, path, auth if with_token else base)
            except (OSError, http.client.HTTPException) as error:
                failed.append(f"{path}: {type(error).__name__}")
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append(time.perf_counter() - started)
            mine_by_path.append((template, mine[-1]))
            if status >= 400:
                failed.append(f"{path}: {status}")
            if wait[1]:
                time.sleep(rng.uniform(*wait))
        with lock:
            latencies.extend(mine)
            errors.extend(failed)
            for template, seconds in mine_by_path:
                by_path[template].append(seconds)

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    ms = sorted(x * 1000 for x in latencies)
    q = statistics.quantiles(ms, n=100) if len(ms) > 1 else [0] * 99
    return {
        "requests": len(ms),
        "throughput_rps": round(len(ms) / elapsed, 1),
        "p50_ms": round(q[49], 1),
        "p95_ms": round(q[94], 1),
        "p99_ms": round(q[98], 1),
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:5],
        "wait_seconds": list(wait),
        # Where the time goes: each address's median and p95, ms.
        "by_path_p50_p95_ms": {
            path: [round(statistics.median(seconds) * 1000), round(_p95(seconds) * 1000)]
            for path, seconds in by_path.items()
            if seconds
        },
    }


def _p95(seconds: list[float]) -> float:
    ordered = sorted(seconds)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


# The two runs `python -m bench load` makes: (name, users, think time).
SCENARIOS = [("50 people", 50, WAIT_SECONDS), ("saturation", 50, (0.0, 0.0))]


def measure(
    database_url: str,
    *,
    scenarios: list[tuple[str, int, tuple[float, float]]],
    seconds: float,
    demo: bool,
    extra_env: dict[str, str] | None = None,
) -> dict[str, dict]:
    """Serve the demo from gunicorn on `database_url` and load it with each scenario in
    turn (name, users, think time); the figures of each, by name."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EMAIL_HOST": os.environ.get("EMAIL_HOST") or "smtp.invalid",
        **(extra_env or {}),
    }
    env.pop("BENCH_RESULTS", None)
    token = prepare(env, demo=demo)
    port = free_port()
    server = start_gunicorn(env, port)
    results = {}
    try:
        wait_ready(port)
        for name, users, wait in scenarios:
            results[name] = _load(server, port, token, users, seconds, wait)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def _load(
    server: subprocess.Popen,
    port: int,
    token: str,
    users: int,
    seconds: float,
    wait: tuple[float, float],
) -> dict:
    peak = {"rss": 0.0}
    health: list[float] = []
    sampling = threading.Event()

    def sample() -> None:
        # Each second: the workers' memory, and how long /healthz takes under the load.
        while not sampling.is_set():
            for pid in worker_pids(server.pid):
                peak["rss"] = max(peak["rss"], rss_mb(pid))
            started = time.perf_counter()
            try:
                get(http.client.HTTPConnection("127.0.0.1", port, timeout=30), "/healthz", {})
                health.append(time.perf_counter() - started)
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(1)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        result = run(port, token, users, seconds, wait)
    finally:
        sampling.set()
        sampler.join()
    result["worker_rss_mb_max"] = round(peak["rss"], 1)
    result["healthz_p50_ms"] = round(statistics.median(health) * 1000, 1) if health else None
    result["workers"] = len(worker_pids(server.pid))
    result["users"], result["seconds"] = users, seconds
    return result


def targets_met(result: dict) -> dict[str, bool]:
    return {
        "errors": result["errors"] <= TARGETS["errors"],
        "p95_ms": result["p95_ms"] < TARGETS["p95_ms"],
        "rss_mb": result["worker_rss_mb_max"] < TARGETS["rss_mb"],
        "throughput_rps": result["throughput_rps"] >= TARGETS["throughput_rps"],
    }


def _wait_words(wait: tuple[float, float]) -> str:
    return f"think time {wait[0]:g}-{wait[1]:g} s" if wait[1] else "no think time"


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--wait",
        type=float,
        nargs=2,
        metavar=("MIN", "MAX"),
        default=WAIT_SECONDS,
        help="each user's think time between requests, seconds (0 0: saturation)",
    )
    parser.add_argument("--no-demo", action="store_true", help="the demo is loaded already")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database the load test may fill.")
    scenario = ("run", args.users, tuple(args.wait))
    result = measure(url, scenarios=[scenario], seconds=args.seconds, demo=not args.no_demo)["run"]
    print(json.dumps(result, indent=2))
    met = targets_met(result)
    # With think time the request rate follows from the users; without, latency is queueing.
    asked = ["errors", "rss_mb", "p95_ms" if args.wait[1] else "throughput_rps"]
    print(f"targets {TARGETS} ({_wait_words(tuple(args.wait))}: {', '.join(asked)}): ", end="")
    print("met" if all(met[name] for name in asked) else "NOT met")
    sys.exit(0 if all(met[name] for name in asked) else 1)


def main() -> None:
    """`python -m bench load`: on a fresh PostgreSQL database of its own
    (LOAD_BENCH_DATABASE_URL), 50 people with think time, then 50 users without, each
    for LOAD_BENCH_SECONDS (60); with LOAD_BENCH_REDIS (a redis:// address) the 50
    people again with the caches in Redis (CACHE_URL)."""
    from bench.insight import _drop_database, _fresh_database
    from bench.targets import record

    url = os.environ.get("LOAD_BENCH_DATABASE_URL", DEFAULT_URL)
    print("Load test (gunicorn, PostgreSQL, the public mix)")
    if not _fresh_database(url):
        print(f"  PostgreSQL at {url.rsplit('/', 1)[0]} is not reachable: skipped")
        return
    seconds = float(os.environ.get("LOAD_BENCH_SECONDS", "60"))
    redis = os.environ.get("LOAD_BENCH_REDIS", "")
    try:
        results = measure(url, scenarios=SCENARIOS, seconds=seconds, demo=True)
        if redis:
            people = [SCENARIOS[0]]
            in_redis = measure(
                url, scenarios=people, seconds=seconds, demo=False, extra_env={"CACHE_URL": redis}
            )
            results["50 people, caches in Redis"] = in_redis["50 people"]
    finally:
        _drop_database(url)
    for name, result in results.items():
        print(f"  {name}: " + json.dumps(result))
    for name, result in results.items():
        met = targets_met(result)
        scene = (
            f"{name}: {result['users']} users, {_wait_words(tuple(result['wait_seconds']))}, "
            f"{seconds:g} s, {result['workers']} workers"
        )
        saturation = not result["wait_seconds"][1]
        record(
            f"throughput on the mix ({scene})",
            f"{result['throughput_rps']:.0f} req/s",
            met["throughput_rps"] if saturation else None,
            item="5",
            engine="postgresql",
            goal=f"≥ {TARGETS['throughput_rps']} req/s" if saturation else "(follows the users)",
        )
        record(
            f"latency on the mix ({scene}; {result['requests']:,} requests)",
            f"p95 {result['p95_ms']:.0f} ms (p50 {result['p50_ms']:.0f}, "
            f"p99 {result['p99_ms']:.0f})",
            None if saturation else met["p95_ms"],
            item="5",
            engine="postgresql",
            goal="(queueing at saturation)" if saturation else f"p95 < {TARGETS['p95_ms']} ms",
        )
        record(
            f"/healthz under that load (sampled once a second; {name})",
            f"p50 {result['healthz_p50_ms']} ms",
            None,
            item="5",
            engine="postgresql",
        )
        record(
            f"errors; largest worker RSS ({name})",
            f"{result['errors']} errors; {result['worker_rss_mb_max']:.0f} MB",
            met["errors"] and met["rss_mb"],
            item="5",
            engine="postgresql",
            goal=f"0 errors; < {TARGETS['rss_mb']} MB",
        )


if __name__ == "__main__":
    cli()
