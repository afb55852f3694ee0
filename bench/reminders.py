#!/usr/bin/env python
"""Reminder throughput: 10,000 reminder e-mails delivered by a real Celery worker.

Makes 5,000 confirmed bookings start exactly 7 days from now in a benchmark municipality
with the default reminder rules (7 days before, to the school's contact teacher and to the
association: 2 e-mails per booking), starts a real ``celery -A portal worker`` (prefork,
concurrency 2) against Redis and PostgreSQL with ``EMAIL_URL`` pointing at an aiosmtpd
server in this process, triggers the reminder scan task and measures the time until every
message has arrived, and how many arrived twice (must be 0).

Run alone with ``make bench-reminders`` (or ``python bench/reminders.py``); ``make bench``
runs it as its last step. Environment as for bench/run.py, plus BENCH_REMINDERS (the number
of e-mails, default 10000) and BENCH_WORKER_CONCURRENCY (default 2).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from email.parser import BytesHeaderParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MUNICIPALITY_SLUG = "bench-reminders"
TIMEOUT_S = 600


class Inbox:
    """An aiosmtpd handler that keeps only what the benchmark needs: the notification keys."""

    def __init__(self):
        self.keys: Counter = Counter()
        self.lock = threading.Lock()
        self.last_at = 0.0
        self._parser = BytesHeaderParser()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        headers = self._parser.parsebytes(envelope.original_content or envelope.content)
        key = headers.get("X-Portal-Notification", "")
        with self.lock:
            # One message per recipient (every reminder has exactly one).
            for rcpt in envelope.rcpt_tos:
                self.keys[(key, rcpt.lower())] += 1
            self.last_at = time.monotonic()
        return "250 OK"

    @property
    def received(self) -> int:
        with self.lock:
            return sum(self.keys.values())

    @property
    def duplicates(self) -> int:
        with self.lock:
            return sum(n - 1 for n in self.keys.values() if n > 1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _setup_django(env: dict) -> None:
    os.environ.update(env)
    import django

    django.setup()


def make_bookings(messages: int) -> dict:
    """A fresh set of bookings 7 days ahead (the previous run's are removed first)."""
    from datetime import datetime, timedelta

    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from associations.models import Association, Offer
    from bookings.models import Booking
    from bookings.states import BookingState
    from municipalities.models import Municipality
    from notifications.models import Notification
    from notifications.reminders import create_default_rules
    from schools.models import School, SchoolMembership
    from screening.workflow import ScreeningState

    bookings_needed = (messages + 1) // 2
    now = timezone.now()
    day = timezone.localdate() + timedelta(days=7)
    tz = timezone.get_current_timezone()
    with transaction.atomic():
        municipality, _ = Municipality.objects.get_or_create(
            slug=MUNICIPALITY_SLUG,
            defaults={"name": "Påmindelseskommune (benchmark)", "code": _free_code()},
        )
        create_default_rules(municipality)
        school, _ = School.objects.get_or_create(
            slug="bench-reminder-skole",
            defaults={
                "municipality": municipality,
                "name": "Påmindelsesskolen",
                "postal_code": "3000",
                "town": "Helsingør",
            },
        )
        teachers = []
        for i in range(50):
            user, created = User.objects.get_or_create(
                email=f"paamindelse{i}@bench.example",
                defaults={
                    "full_name": f"Lærer {i}",
                    "password": make_password(None),
                    "email_confirmed_at": now,
                },
            )
            if created:
                SchoolMembership.objects.create(
                    user=user, school=school, role="teacher", is_approved=True, approved_at=now
                )
            teachers.append(user)
        association, created = Association.objects.get_or_create(
            slug="bench-reminder-forening",
            defaults={
                "name": "Påmindelsesforeningen",
                "cvr": "10000009",
                "domains": ["sport"],
                "description": "Benchmark",
                "address": "Havnevej 1",
                "postal_code": "3000",
                "town": "Helsingør",
                "contact_name": "Kontakt",
                "contact_phone": "12345678",
                "contact_email": "kontakt@paamindelse.example",
                "state": ScreeningState.APPROVED,
                "approved_at": now,
            },
        )
        if created:
            association.municipalities.add(municipality)
        offer, _ = Offer.objects.get_or_create(
            slug="bench-reminder-tilbud",
            defaults={
                "association": association,
                "title": "Kajak for skoler",
                "summary": "Kajak",
                "description": "Kajak på havnen.",
                "domain": "sport",
                "grade_min": 0,
                "grade_max": 10,
                "format": "visit",
                "location": "association",
                "duration_minutes": 120,
                "pupils_min": 1,
                "pupils_max": 30,
                "price_model": "free",
                "state": ScreeningState.APPROVED,
                "approved_at": now,
                "certificates_valid_until": (now + timedelta(days=365)).date(),
            },
        )
        old = list(Booking.objects.filter(school=school).values_list("pk", flat=True))
        Notification.objects.filter(guard__booking__in=old).delete()
        Booking.objects.filter(pk__in=old).delete()
        start = datetime(day.year, day.month, day.day, 10, 0, tzinfo=tz)
        Booking.objects.bulk_create(
            [
                Booking(
                    offer=offer,
                    school=school,
                    requested_by=teachers[i % len(teachers)],
                    contact_teacher=teachers[i % len(teachers)],
                    state=BookingState.CONFIRMED,
                    starts_at=start,
                    ends_at=start + timedelta(hours=2),
                    answer_deadline=now,
                    classes=f"{i % 10}.A",
                    grade=5,
                    pupils=24,
                    confirmed_at=now,
                )
                for i in range(bookings_needed)
            ],
            batch_size=5000,
        )
    return {"bookings": bookings_needed, "expected": bookings_needed * 2, "day": day.isoformat()}


def _free_code() -> str:
    from municipalities.models import Municipality

    used = set(Municipality.objects.values_list("code", flat=True))
    return next(f"{n:03d}" for n in range(998, 0, -1) if f"{n:03d}" not in used)


def start_worker(env: dict, log: Path) -> subprocess.Popen:
    concurrency = os.environ.get("BENCH_WORKER_CONCURRENCY", "2")
    proc = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            "--loglevel=INFO",
            f"--hostname=bench-reminders-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while "ready." not in log.read_text():
        if proc.poll() is not None or time.monotonic() > deadline:
            _stop(proc)
            raise RuntimeError("the Celery worker did not start:\n" + log.read_text()[-3000:])
        time.sleep(0.2)
    return proc


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def run(env: dict | None = None) -> dict:
    """Run the benchmark; returns the result dict (also printed by main)."""
    from aiosmtpd.controller import Controller

    from bench.run import env_for_server

    env = dict(env or env_for_server())
    broker = env.get("REDIS_URL") or os.environ.get("BENCH_REDIS_URL", "")
    if not broker:
        return {"skipped": "needs Redis (the Celery broker)"}
    messages = int(os.environ.get("BENCH_REMINDERS", "10000"))
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    smtp.start()
    env.update(
        {
            "CELERY_BROKER_URL": broker,
            "CELERY_EAGER": "false",
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
            "CONN_MAX_AGE": "0",
        }
    )
    _setup_django(env)
    from django.db import connection
    from django.db.models import Q

    from bookings import tasks
    from notifications.models import Notification
    from portal.celery import app

    print(f"  reminders: making {messages:,} reminders due ...", flush=True)
    data = make_bookings(messages)
    connection.close()
    app.conf.broker_url = broker
    app.conf.task_always_eager = False
    app.control.purge()
    log = Path(tempfile.mkdtemp(prefix="bench-reminders-")) / "worker.log"
    worker = start_worker(env, log)
    try:
        started = time.monotonic()
        tasks.scan_reminders.delay()
        deadline = started + TIMEOUT_S
        while inbox.received < data["expected"] and time.monotonic() < deadline:
            time.sleep(0.1)
        elapsed = (inbox.last_at or time.monotonic()) - started
        time.sleep(3)  # anything sent twice would arrive now
    finally:
        _stop(worker)
        smtp.stop()
    sent_rows = Notification.objects.filter(
        Q(to_email__endswith="@bench.example") | Q(to_email="kontakt@paamindelse.example"),
        kind="booking.reminder",
        state=Notification.State.SENT,
    ).count()
    result = {
        "expected": data["expected"],
        "delivered": inbox.received,
        "unique": len(inbox.keys),
        "duplicates": inbox.duplicates,
        "seconds": round(elapsed, 1),
        "per_second": round(inbox.received / elapsed, 1) if elapsed else None,
        "sent_rows": sent_rows,
        "worker": f"prefork, concurrency {os.environ.get('BENCH_WORKER_CONCURRENCY', '2')}",
        "target_s": 120,
    }
    result["ok"] = (
        result["unique"] >= result["expected"]
        and result["duplicates"] == 0
        and result["seconds"] < result["target_s"]
    )
    return result


def describe(r: dict) -> str:
    if "skipped" in r:
        return f"Reminder throughput: skipped ({r['skipped']})"
    return (
        f"Reminder throughput: {r['unique']:,} of {r['expected']:,} reminders delivered in "
        f"{r['seconds']} s ({r['per_second']}/s, Celery {r['worker']}), "
        f"{r['duplicates']} duplicates -> {'OK' if r['ok'] else 'NOT OK'} (target < {r['target_s']} s)"
    )


def main() -> int:
    from bench.run import ensure_database, env_for_server, manage

    env = env_for_server()
    ensure_database(env)
    manage(env, "migrate", "--no-input", "-v", "0")
    result = run(env)
    print(json.dumps(result))
    print(describe(result))
    path = ROOT / "bench" / "results.json"
    try:
        results = json.loads(path.read_text())
    except (OSError, ValueError):
        results = {}
    results["reminders"] = result
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0 if result.get("ok") else 1


if __name__ == "__main__":
    sys.exit(main())
