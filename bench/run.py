#!/usr/bin/env python
"""`make bench`: load each page with wrk on a gunicorn server (production settings,
PostgreSQL, Redis when present) and compare it with a minimal Django view in the same run,
measured again right before each page (the machine is shared and its speed drifts).

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


def run_wrk(url, duration, connections, extra_env=None) -> dict:
    env = {**os.environ, **(extra_env or {})}
    result = subprocess.run(  # noqa: S603, S607
        [
            "wrk",
            "-t",
            "2",
            "-c",
            str(connections),
            "-d",
            f"{duration}s",
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
    port = free_port()
    server = start_server(env, port)
    base = f"http://127.0.0.1:{port}"
    rows = []
    only = [w.strip() for w in os.environ.get("BENCH_ONLY", "").split(",") if w.strip()]
    pages = [
        p
        for p in targets["pages"]
        if not only or p["name"] == "minimal view" or any(w in p["name"] for w in only)
    ]
    floor_url = base + next(p for p in pages if p["name"] == "minimal view")["path"]
    try:
        for page in pages:
            url = base + page["path"]
            extra = {
                "BENCH_METHOD": page.get("method", "GET"),
                "BENCH_BODY": page.get("body", ""),
                "BENCH_COOKIE": page.get("cookie", ""),
                "BENCH_CONTENT_TYPE": page.get("content_type", ""),
                "BENCH_REFERER": base + "/",
            }
            # Warm up (fills caches and connections), then measure.
            run_wrk(url, 2, connections, extra)
            floor_rps = None
            if url != floor_url:
                # The machine is shared and its speed drifts: each page is compared with the
                # minimal view measured right before it.
                floor_rps = run_wrk(floor_url, max(2, duration // 2), connections)["rps"]
            before = cpu_seconds()
            stats = run_wrk(url, duration, connections, extra)
            stats["cpu_ms"] = cpu_per_request(before, cpu_seconds(), stats["requests"])
            stats["floor_rps"] = stats["rps"] if floor_rps is None else floor_rps
            rows.append({**page, **stats})
            print(
                f"  {page['name']:<32} {stats['rps']:>8.1f} req/s  p95 {stats['p95_ms']:.1f} ms",
                flush=True,
            )
        from bench import contention

        contention_result = contention.run(base, env)
        print(f"  booking contention: {contention_result}", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        purge_queue(env)
    reminders_result = None
    if os.environ.get("BENCH_REMINDERS", "10000") != "0":
        from bench import reminders

        reminders_result = reminders.run(env)
        print(f"  {reminders.describe(reminders_result)}", flush=True)
    for r in rows:
        r["ratio"] = round(r["rps"] / r["floor_rps"], 3) if r["floor_rps"] else None
        r.pop("body", None)
        r.pop("cookie", None)
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
    print()
    print(
        f"Data: {targets['data']}; {connections} connections, {duration} s per page, "
        f"Redis: {'yes' if env['REDIS_URL'] else 'no'}"
    )
    print()
    print(
        "| page | req/s | p50 ms | p95 ms | SQL queries/request (uncached, cached) "
        "| minimal view req/s, just before | ratio to minimal view | errors |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['name']} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
            f"{r.get('queries', '–')}, {r.get('queries_cached', '–')} | {r['floor_rps']:.0f} | "
            f"{'–' if r['ratio'] is None else format(r['ratio'], '.2f')} | "
            f"{r['non_2xx_3xx'] + r['socket_errors']} |"
        )
    print()
    print("CPU per request, ms (2 cores; the load generator's own share is not counted):")
    print()
    print("| page | " + " | ".join(CPU_KINDS) + " | total |")
    print("| --- |" + " ---: |" * (len(CPU_KINDS) + 1))
    for r in rows:
        cpu = r.get("cpu_ms") or {}
        cells = [f"{cpu.get(k, 0.0):.2f}" for k in CPU_KINDS]
        print(f"| {r['name']} | " + " | ".join(cells) + f" | {sum(cpu.values()):.2f} |")
    c = contention_result
    print()
    print(
        f"Booking contention: {c['attempts']} concurrent attempts on {c['places']} places: "
        f"{c['booked']} booked, {c['server_errors_5xx']} server errors, slowest answer "
        f"{c['slowest_s']} s -> {'OK' if c['ok'] else 'NOT OK'}"
    )
    if reminders_result is not None:
        from bench import reminders

        print(reminders.describe(reminders_result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
