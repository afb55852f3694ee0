#!/usr/bin/env python
"""Which SQL do the benchmark's pages run on the scale data, and how long does each take?

    BENCH_DATABASE_URL=... python bench/explain.py [--analyze] [--top N]

Renders every page of bench/targets.py in process (uncached), prints each page's queries
sorted by time, and with --analyze the ``EXPLAIN ANALYZE`` plan of the slowest ones.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import env_for_server  # noqa: E402

os.environ.update(env_for_server())

from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import targets  # noqa: E402  (sets up Django)


def run_page(page):
    client = Client(HTTP_HOST="127.0.0.1")
    for part in (page.get("cookie") or "").split("; "):
        if "=" in part:
            name, value = part.split("=", 1)
            client.cookies[name] = value
    cache.clear()
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        if page.get("method") == "POST":
            response = client.post(
                page["path"], data=page["body"], content_type=page["content_type"]
            )
        else:
            response = client.get(page["path"])
        transaction.set_rollback(True)  # leave no booking behind
    return response.status_code, ctx.captured_queries


def extra_pages() -> list[dict]:
    """Pages not in the load test: the consultant dashboard (as a superuser) and key figures."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import User

    admin, _created = User.objects.get_or_create(
        email="bench-admin@scale.example",
        defaults={
            "full_name": "Benchmark admin",
            "is_superuser": True,
            "is_staff": True,
            "password": make_password(None),
        },
    )
    cookie = targets.session_cookie(admin)
    return [
        {"name": "dashboard", "path": "/dashboard/?municipality=scale-1", "cookie": cookie},
        {"name": "key figures", "path": "/key-figures/scale-1/"},
    ]


def main() -> int:
    analyze = "--analyze" in sys.argv
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 3
    pages = targets.collect_pages() + extra_pages()
    for page in pages:
        if page["name"] == "minimal view":
            continue
        run_page(page)  # warm up
        status, queries = run_page(page)
        total = sum(float(q["time"]) for q in queries)
        print(
            f"\n## {page['name']} ({page['path']}): {status}, {len(queries)} queries, {total * 1000:.1f} ms SQL"
        )
        for q in sorted(queries, key=lambda q: -float(q["time"]))[:top]:
            print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:300]}")
            if analyze and q["sql"].lstrip().upper().startswith("SELECT"):
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN ANALYZE " + q["sql"])
                    for (line,) in cursor.fetchall():
                        print("      " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
