"""A real SMTP server (aiosmtpd) and real Celery workers for the notification tests.

The workers are separate processes (``celery -A portal worker --pool=solo``) that read the
test database, so the tests that use them need PostgreSQL and ``transactional_db``.
"""

from __future__ import annotations

import email
import email.policy
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


class Mailbox:
    """An aiosmtpd handler that keeps what it receives; it can refuse an address once (451)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages: list[email.message.EmailMessage] = []
        self.sessions: set[int] = set()
        self.fail_once: set[str] = set()

    def reset(self):
        with self.lock:
            self.messages.clear()
            self.sessions.clear()
            self.fail_once.clear()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        with self.lock:
            if address in self.fail_once:
                self.fail_once.discard(address)
                return "451 4.3.0 Temporary failure, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
            self.sessions.add(id(session))
        return "250 Message accepted for delivery"

    # Reading what arrived.
    def to(self, address: str) -> list:
        with self.lock:
            return [m for m in self.messages if address in m["To"]]

    def count(self) -> int:
        with self.lock:
            return len(self.messages)

    def wait_for(self, count: int, timeout: float = 30, settle: float = 1.5) -> int:
        """Wait until ``count`` messages arrived, then a little longer to catch extra ones."""
        deadline = time.monotonic() + timeout
        while self.count() < count and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(settle)
        return self.count()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server():
    handler = Mailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def mailbox(smtp_server, settings):
    """The real SMTP server, empty; this test process sends to it too."""
    smtp_server.handler.reset()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield smtp_server.handler
    smtp_server.handler.reset()


def _redis_url() -> str:
    return os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or ""


def _database_url(db: dict) -> str:
    user = quote(db.get("USER") or "")
    password = quote(db.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{db['NAME']}"


WORKERS = 2


@pytest.fixture(scope="session")
def celery_workers(django_db_setup, django_db_blocker, smtp_server, tmp_path_factory):
    """Two real Celery workers (solo pool) against Redis, the test database and aiosmtpd."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the Celery worker is another process: needs PostgreSQL (DATABASE_URL)")
    url = _redis_url()
    if not url:
        pytest.skip("needs Redis: set REDIS_URL (CI does)")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as exc:
        pytest.skip(f"Redis at {url} is unreachable: {exc}")

    from portal.celery import app

    app.conf.broker_url = url
    app.control.purge()  # tasks left over from an aborted run would act on a flushed database

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": _database_url(connection.settings_dict),
        "CONN_MAX_AGE": "0",  # no idle connection may keep the test database from being dropped
        "REDIS_URL": url,
        "CELERY_BROKER_URL": url,
        "CELERY_EAGER": "false",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_server.port}",
        "NOTIFICATIONS_RETRY_BACKOFF": "1",
    }
    logs = tmp_path_factory.mktemp("celery")
    procs = []
    for i in range(WORKERS):
        log = logs / f"worker{i}.log"
        procs.append(
            (
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "celery",
                        "-A",
                        "portal",
                        "worker",
                        "--pool=solo",
                        "--loglevel=INFO",
                        f"--hostname=notify-test-{i}-{os.getpid()}@%h",
                        "--without-gossip",
                        "--without-mingle",
                        "--without-heartbeat",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=log.open("w"),
                    stderr=subprocess.STDOUT,
                ),
                log,
            )
        )
    deadline = time.monotonic() + 60
    for proc, log in procs:
        while "ready." not in log.read_text():
            if proc.poll() is not None or time.monotonic() > deadline:
                for p, _log in procs:
                    p.kill()
                pytest.fail(f"the Celery worker did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
    yield procs
    for proc, _log in procs:
        proc.terminate()
    for proc, log in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if os.environ.get("SHOW_WORKER_LOG"):
            print(log.read_text())  # noqa: T201


@pytest.fixture
def celery_worker(celery_workers):
    """During one test, tasks sent from this process go to the real workers, not in process.

    Only for the test: every other test in the session keeps eager tasks.
    """
    from portal.celery import app

    app.conf.task_always_eager = False
    yield celery_workers
    app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
