#!/usr/bin/env python
"""`make bench`: load each page with wrk on a gunicorn server (production settings,
PostgreSQL, Redis when present) and compare it with a minimal Django view in the same run,
measured again right before each page (the machine is shared and its speed drifts).

Each page is loaded with one URL (the page cache's best case) and, for the catalog, embed,
offer, association and API pages, with thousands of distinct URLs that each request
rotates through (bench/rotating.py), as schools each search for something else; the
table gives each run's page-cache hit rate. A second pass measures the rotating and
signed-in pages again with the page cache off.

Writes bench/results.json and prints a Markdown table. Timings are reported, never asserted.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/portal_bench),
BENCH_REDIS_URL (default redis://127.0.0.1:6379/9; Redis is required), BENCH_DURATION (s per
page, default 10), BENCH_CONNECTIONS (default 8), BENCH_SCALE ("national" or "small"), BENCH_WORKERS (gunicorn
workers, default 4), BENCH_ONLY (comma-separated parts of page names: measure only those
pages and the minimal view), BENCH_REMINDERS (e-mails for the reminder benchmark, default 10000; 0
skips it; see bench/reminders.py).
"""

from __future__ import annotations

import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable
SCALES = {
    "national": [
        "--municipalities",
        "98",
        "--schools",
        "1300",
        "--associations",
        "20000",
        "--offers",
        "50000",
        "--bookings",
        "300000",
    ],
    "small": [],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_url() -> str:
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return url
    except OSError:
        return ""


def env_for_server() -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.prod",
        "DATABASE_URL": os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench"
        ),
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", secrets.token_urlsafe(48)),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "600",
        "AXES_FAILURE_LIMIT": "1000000",
        # The booking POST page is loaded thousands of times by one user.
        "PORTAL_BOOKING_RATE": "100000000/h",
        "API_RATE": "100000000/min",  # the API list is loaded from one address
    }
    url = redis_url()
    env["REDIS_URL"] = url
    # As in production, a request only queues its e-mails (outbox row + Celery task); no
    # worker runs during the page benchmark, the queue is purged afterwards.
    env["CELERY_BROKER_URL"] = url
    env["EMAIL_URL"] = "dummymail://"
    return env


def purge_queue(env) -> None:
    if env.get("CELERY_BROKER_URL"):
        subprocess.run(  # noqa: S603
            [PY, "-m", "celery", "-A", "portal", "purge", "-f"],
            cwd=ROOT,
            env=env,
            check=False,
            capture_output=True,
        )


def manage(env, *args, **kwargs):
    return subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)  # noqa: S603


def ensure_database(env) -> None:
    dbname = env["DATABASE_URL"].rsplit("/", 1)[-1]
    exists = subprocess.run(  # noqa: S603, S607
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname='{dbname}'",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-c",  # noqa: S603, S607
                f"CREATE DATABASE {dbname}",
            ],
            check=True,
        )


def prepare(env) -> dict:
    ensure_database(env)
    manage(env, "migrate", "--no-input", "-v", "0")
    scale = os.environ.get("BENCH_SCALE", "national")
    probe = subprocess.run(
        [PY, "bench/targets.py", "--check"],
        cwd=ROOT,
        env=env,  # noqa: S603
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        print(f"Building the {scale} data set (seed_scale) ...", flush=True)
        manage(env, "seed_scale", *SCALES[scale])
    manage(env, "collectstatic", "--no-input", "-v", "0")
    out = subprocess.run(
        [PY, "bench/targets.py"],
        cwd=ROOT,
        env=env,
        check=True,  # noqa: S603
        capture_output=True,
        text=True,
    ).stdout
    # Earlier runs' benchmark bookings were just deleted: vacuum so that every run starts
    # from the same table state (production has autovacuum; a run is only a few minutes).
    dbname = env["DATABASE_URL"].rsplit("/", 1)[-1]
    subprocess.run(  # noqa: S603, S607
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", dbname, "-qc", "VACUUM ANALYZE"],
        check=False,
    )
    return json.loads(out.strip().splitlines()[-1])


def start_server(env, port):
    workers = os.environ.get("BENCH_WORKERS", "4")
    proc = subprocess.Popen(  # noqa: S603
        [
            PY,
            "-m",
            "gunicorn",
            "portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            workers,
            "--log-level",
            "warning",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/ping", timeout=1)  # noqa: S310
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("gunicorn did not start")


#: Processes whose CPU time a page's load is split into (matched on the command line).
CPU_KINDS = ("gunicorn", "postgres", "redis")


def cpu_seconds() -> dict[tuple[str, str], float]:
    """CPU time (user + system) of every gunicorn, PostgreSQL and Redis process, by pid, from
    /proc (Linux); empty elsewhere. The difference over a load run, divided by its requests,
    is the CPU a request costs in each kind of process: on a CPU-bound machine, the ratio to
    the minimal view follows it."""
    found = {}
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return found
    for pid in pids:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        kind = next((k for k in CPU_KINDS if k in cmd), None)
        if kind:
            found[(kind, pid)] = (int(fields[11]) + int(fields[12])) / tick
    return found


def cpu_per_request(before: dict, after: dict, requests: int) -> dict[str, float]:
    """Milliseconds of CPU per request in each kind of process, between two samples."""
    total: dict[str, float] = {}
    for key, seconds in after.items():
        total[key[0]] = total.get(key[0], 0.0) + seconds - before.get(key, 0.0)
    return {k: round(v / requests * 1000, 2) for k, v in total.items()} if requests else {}


#: wrk's threads; bench/report.lua starts each at another place in a list of paths.
WRK_THREADS = 2


def run_wrk(url, duration, connections, extra_env=None) -> dict:
    env = {
        **os.environ,
        **(extra_env or {}),
        "BENCH_THREADS": str(WRK_THREADS),
        "BENCH_START": str(random.randrange(10**9)),  # noqa: S311 - a place, not a secret
    }
    result = subprocess.run(  # noqa: S603, S607
        [
            "wrk",
            "-t",
            str(WRK_THREADS),
            "-c",
            str(connections),
            "-d",
            f"{duration}s",
            "--timeout",
            "30s",  # the dashboard at national scale takes longer than wrk's default 2 s
            "--latency",
            "-s",
            str(ROOT / "bench" / "report.lua"),
            url,
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line[len("BENCH_JSON ") :])
    raise RuntimeError(result.stdout + result.stderr)


def wrk_env(page, base) -> dict:
    """What bench/report.lua reads to load ``page``: method, body, cookie, rotating paths."""
    return {
        "BENCH_METHOD": page.get("method", "GET"),
        "BENCH_BODY": page.get("body", ""),
        "BENCH_COOKIE": page.get("cookie", ""),
        "BENCH_CONTENT_TYPE": page.get("content_type", ""),
        "BENCH_REFERER": base + "/",
        "BENCH_URLS": page.get("urls", ""),
    }


def empty_cache(env) -> None:
    """Empty the shared cache (Redis: the page cache, the lists): a page of rotating URLs
    then starts from the same state in every run, not from what the pages before it or the
    last run left there (the first pass's cached offer cards, when there were such, made
    the second pass's searches cheaper, by how much their random places in the list
    overlapped)."""
    script = "from django.core.cache import cache; cache.clear()"
    manage(env, "shell", "-c", script, capture_output=True)


def measure(page, base, floor_url, duration, connections, env) -> dict:
    """Warm up, measure the minimal view, then the page; returns the page's row."""
    url = base + page["path"]
    extra = wrk_env(page, base)
    run_wrk(url, 2, connections, extra)  # fills connections and per-process caches
    if page.get("urls"):
        empty_cache(env)  # but not the shared cache: the measurement starts without it
    floor_rps = None
    if url != floor_url:
        # The machine is shared and its speed drifts: each page is compared with the
        # minimal view measured right before it.
        floor_rps = run_wrk(floor_url, max(2, duration // 2), connections)["rps"]
    before = cpu_seconds()
    stats = run_wrk(url, duration, connections, extra)
    stats["cpu_ms"] = cpu_per_request(before, cpu_seconds(), stats["requests"])
    stats["floor_rps"] = stats["rps"] if floor_rps is None else floor_rps
    stats["ratio"] = round(stats["rps"] / stats["floor_rps"], 3) if stats["floor_rps"] else None
    responses = stats.pop("responses") or 1
    stats["hit_rate"] = round(stats.pop("cache_hits") / responses, 3)
    return stats


def measure_pass(env, pages, label, duration, connections) -> list[dict]:
    """Every page on one gunicorn server started with ``env``."""
    port = free_port()
    server = start_server(env, port)
    base = f"http://127.0.0.1:{port}"
    floor_url = base + next(p for p in pages if p["name"] == "minimal view")["path"]
    rows = []
    try:
        for page in pages:
            stats = measure(page, base, floor_url, duration, connections, env)
            row = {**page, **stats, "page_cache": label}
            row.pop("body", None)
            row.pop("cookie", None)
            rows.append(row)
            print(
                f"  {page['name']:<32} page cache {label:<3} {stats['rps']:>8.1f} req/s  "
                f"p95 {stats['p95_ms']:.1f} ms  ratio {stats['ratio']}  "
                f"hits {stats['hit_rate']:.0%}",
                flush=True,
            )
        if label == "on":
            from bench import contention

            rows.append({"contention": contention.run(base, env)})
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        purge_queue(env)
    return rows


def main() -> int:
    if not shutil.which("wrk"):
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 1
    duration = int(os.environ.get("BENCH_DURATION", "10"))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "8"))
    env = env_for_server()
    if not env["REDIS_URL"]:  # production settings refuse to run without it
        print("Redis is not reachable on 127.0.0.1:6379 (BENCH_REDIS_URL)", file=sys.stderr)
        return 1
    targets = prepare(env)
    only = [w.strip() for w in os.environ.get("BENCH_ONLY", "").split(",") if w.strip()]
    pages = [
        p
        for p in targets["pages"]
        if not only or p["name"] == "minimal view" or any(w in p["name"] for w in only)
    ]
    # Pass 1: as in production. Pass 2: the page cache off, for the pages whose uncached
    # work matters (rotating searches and pages, the signed-in ones).
    rows = measure_pass(env, pages, "on", duration, connections)
    contention_result = next(r["contention"] for r in rows if "contention" in r)
    rows = [r for r in rows if "contention" not in r]
    uncached = [p for p in pages if p["name"] == "minimal view" or p.get("also_uncached")]
    off_env = {**env, "PAGECACHE_ENABLED": "false"}
    rows += [
        r
        for r in measure_pass(off_env, uncached, "off", duration, connections)
        if "contention" not in r
    ]
    reminders_result = None
    if os.environ.get("BENCH_REMINDERS", "10000") != "0":
        from bench import reminders

        reminders_result = reminders.run(env)
        print(f"  {reminders.describe(reminders_result)}", flush=True)
    results = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "duration_s": duration,
        "connections": connections,
        "redis": bool(env["REDIS_URL"]),
        "data": targets["data"],
        "pages": rows,
        "booking_contention": contention_result,
        "reminders": reminders_result,
    }
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print_report(results)
    return 0


def print_report(results: dict) -> None:
    rows = results["pages"]
    print()
    print(
        f"Data: {results['data']}; {results['connections']} connections, "
        f"{results['duration_s']} s per page"
    )
    print()
    print(
        "| page | page cache | distinct URLs | cache hits | req/s | p50 ms | p95 ms "
        "| SQL queries/request (uncached, cached) | minimal view req/s, just before "
        "| ratio to minimal view | errors |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['name']} | {r['page_cache']} | {r.get('distinct', 1):,} | "
            f"{r['hit_rate']:.0%} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
            f"{r.get('queries', '–')}, {r.get('queries_cached', '–')} | {r['floor_rps']:.0f} | "
            f"{'–' if r['ratio'] is None else format(r['ratio'], '.2f')} | "
            f"{r['non_2xx_3xx'] + r['socket_errors']} |"
        )
    print()
    print("CPU per request, ms (2 cores; the load generator's own share is not counted):")
    print()
    print("| page | page cache | " + " | ".join(CPU_KINDS) + " | total |")
    print("| --- | --- |" + " ---: |" * (len(CPU_KINDS) + 1))
    for r in rows:
        cpu = r.get("cpu_ms") or {}
        cells = [f"{cpu.get(k, 0.0):.2f}" for k in CPU_KINDS]
        print(
            f"| {r['name']} | {r['page_cache']} | "
            + " | ".join(cells)
            + f" | {sum(cpu.values()):.2f} |"
        )
    c = results["booking_contention"]
    print()
    print(
        f"Booking contention: {c['attempts']} concurrent attempts on {c['places']} places: "
        f"{c['booked']} booked, {c['server_errors_5xx']} server errors, slowest answer "
        f"{c['slowest_s']} s -> {'OK' if c['ok'] else 'NOT OK'}"
    )
    if results["reminders"] is not None:
        from bench import reminders

        print(reminders.describe(results["reminders"]))


if __name__ == "__main__":
    sys.exit(main())
