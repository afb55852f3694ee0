#!/usr/bin/env python
"""What one request of each page costs, counted in process: repeatable on a busy machine.

Wall-clock benchmarks (`make bench`) need a quiet machine. This script instead runs the
benchmark's pages (bench/targets.py: the same URLs, the rotating searches, the signed-in
teacher and booking POST) through Django's test client in one process with production
settings, and counts per request:

- **calls**: Python function calls (``sys.setprofile``, "call" events), a deterministic
  measure of the Python work;
- **SQL**: queries;
- **CPU ms**: ``time.process_time()`` of this process plus the CPU that its PostgreSQL
  backend used (``/proc/<pid>/stat``), over ``--requests`` requests without the profiler.
  Redis's own CPU is not counted (a few hundredths of a millisecond per request).

Rotating pages use another URL for every request (each a miss for the page cache, as in
life). Run on the benchmark's data (``make bench`` builds it, or ``manage.py seed_scale``).

    python bench/costs.py                       # every page, page cache off
    python bench/costs.py --pagecache on        # as production (rotating pages mostly miss)
    python bench/costs.py --only catalog,offer --requests 100
    python bench/costs.py --only "catalog, rotating" --top 30   # cProfile's top functions

Environment as ``make bench``: BENCH_DATABASE_URL, BENCH_REDIS_URL (its database is used as
the cache). The numbers are for comparing before and after a change on the same machine;
gunicorn adds ≈ 0.5-0.8 ms per request on top (the minimal view: ≈ 0.3 ms here, ≈ 1.1 ms
under gunicorn).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import env_for_server, purge_queue  # noqa: E402 (stdlib only at import)

PAGES = (
    "minimal view",
    "catalog, rotating searches",
    "embed, rotating searches",
    "offer page, rotating",
    "association page, rotating",
    "API offer list, rotating",
    "my school (logged in)",
    "booking POST (logged in)",
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pagecache", choices=("on", "off"), default="off")
    parser.add_argument("--requests", type=int, default=60, help="requests timed per page")
    parser.add_argument("--counted", type=int, default=10, help="requests counted per page")
    parser.add_argument("--only", default="", help="comma-separated parts of page names")
    parser.add_argument("--top", type=int, default=0, help="print cProfile's top N functions")
    return parser.parse_args()


def setup(pagecache: str) -> None:
    os.environ.update(env_for_server())
    os.environ["PAGECACHE_ENABLED"] = "true" if pagecache == "on" else "false"
    import django

    django.setup()
    from django.conf import settings

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        from django.core.management import call_command

        call_command("collectstatic", "--no-input", verbosity=0)


def backend_cpu_seconds(pid: int) -> float:
    """User + system CPU of the PostgreSQL backend ``pid`` (it runs on this machine)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Page:
    def __init__(self, page: dict):
        from django.test import Client

        self.name = page["name"]
        self.method = page.get("method", "GET")
        self.body = page.get("body")
        self.content_type = page.get("content_type")
        urls = page.get("urls")
        self.paths = Path(urls).read_text().split() if urls else [page["path"]]
        self.next = 0
        self.client = Client(HTTP_HOST="127.0.0.1", SERVER_NAME="127.0.0.1")
        for part in (page.get("cookie") or "").split("; "):
            if "=" in part:
                key, value = part.split("=", 1)
                self.client.cookies[key] = value
        self.statuses: Counter = Counter()

    def request(self):
        path = self.paths[self.next % len(self.paths)]
        self.next += 1
        if self.method == "POST":
            response = self.client.post(path, data=self.body, content_type=self.content_type)
        else:
            response = self.client.get(path)
        self.statuses[response.status_code] += 1
        return response


def measure(page: Page, timed: int, counted: int, top: int) -> dict:
    from django.db import connection

    for _ in range(3):  # templates compiled, connections open, per-process values read
        page.request()

    calls = queries = 0

    def count(_frame, event, _arg):
        nonlocal calls
        if event == "call":
            calls += 1

    def count_query(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    # Not CaptureQueriesContext: Django empties its log at the start of every request.
    with connection.execute_wrapper(count_query):
        sys.setprofile(count)
        try:
            for _ in range(counted):
                page.request()
        finally:
            sys.setprofile(None)

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    db_before, cpu_before, wall_before = backend_cpu_seconds(pid), time.process_time(), time.time()
    for _ in range(timed):
        page.request()
    cpu = time.process_time() - cpu_before
    wall = time.time() - wall_before
    db = backend_cpu_seconds(pid) - db_before

    if top:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(counted):
            page.request()
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("tottime")
        stats.print_stats(top)
        print(f"\n## {page.name}: top {top} by own time ({counted} requests)\n{out.getvalue()}")
    return {
        "page": page.name,
        "calls": round(calls / counted),
        "sql": round(queries / counted, 1),
        "python_ms": 1000 * cpu / timed,
        "postgres_ms": 1000 * db / timed,
        "wall_ms": 1000 * wall / timed,
        "statuses": dict(page.statuses),
    }


def main() -> int:
    args = parse_args()
    setup(args.pagecache)
    from bench import targets

    if not targets.Municipality.objects.filter(slug="scale-1").exists():
        print("No benchmark data: run `manage.py seed_scale` (see docs/PERFORMANCE.md).")
        return 1
    only = [w.strip() for w in args.only.split(",") if w.strip()]
    wanted = [n for n in PAGES if not only or any(w in n for w in only)]
    pages = {p["name"]: p for p in targets.collect_pages()}
    print(f"page cache {args.pagecache}; {args.counted} requests counted, {args.requests} timed")
    print("| page | Python calls | SQL | CPU ms Python | CPU ms PostgreSQL | CPU ms total |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    try:
        for name in wanted:
            if name not in pages:
                continue
            row = measure(Page(pages[name]), args.requests, args.counted, args.top)
            total = row["python_ms"] + row["postgres_ms"]
            print(
                f"| {row['page']} | {row['calls']:,} | {row['sql']:g} | {row['python_ms']:.2f} "
                f"| {row['postgres_ms']:.2f} | {total:.2f} |",
                flush=True,
            )
            bad = {s: n for s, n in row["statuses"].items() if s >= 400}
            if bad:
                print(f"  (answers >= 400: {bad})")
    finally:
        # The booking POSTs queued e-mail tasks: a worker started later on this Redis
        # database must not send them.
        purge_queue(env_for_server())
    return 0


if __name__ == "__main__":
    sys.exit(main())
