"""Booking contention: N concurrent booking attempts on a few free places, over HTTP.

As in life, every teacher first opens the booking form (a GET, not timed: it also signs
them in to the portal's caches), and then all submit it at the same moment; the answers
to those POSTs are timed.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(base: str, env: dict) -> dict:
    setup = json.loads(
        subprocess.run(
            [sys.executable, "bench/contention_setup.py"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    results: list[tuple[int, float]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(setup["attempts"]))

    url = urllib.parse.urlsplit(base)

    def attempt(item):
        headers = {"Cookie": item["cookie"], "Referer": base + "/"}
        with contextlib.suppress(OSError):  # a broken server fails the POST too
            _request(url, "GET", setup["path"], headers)
        data = urllib.parse.urlencode(item["body"])
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        barrier.wait()
        started = time.monotonic()
        try:
            # A 302 means "booked", a 200 shows the form again.
            connection.request("POST", setup["path"], body=data, headers=headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except OSError:
            status = 0
        finally:
            connection.close()
        with lock:
            results.append((status, time.monotonic() - started))

    threads = [threading.Thread(target=attempt, args=(item,)) for item in setup["attempts"]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    counts = json.loads(
        subprocess.run(
            [sys.executable, "bench/contention_setup.py", "--count", str(setup["occasion"])],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    statuses = [s for s, _t in results]
    return {
        "attempts": len(results),
        "places": setup["places"],
        "booked": counts["bookings"],
        "reserved": counts["reserved"],
        "redirect_302": statuses.count(302),
        "form_again_200": statuses.count(200),
        "server_errors_5xx": sum(1 for s in statuses if s >= 500 or s == 0),
        "slowest_s": round(max(t for _s, t in results), 3),
        "ok": counts["bookings"] == setup["places"] == counts["reserved"]
        and not any(s >= 500 or s == 0 for s in statuses)
        and max(t for _s, t in results) <= 2.0,
    }


def _request(url, method: str, path: str, headers: dict) -> int:
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()
