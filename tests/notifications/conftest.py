"""A real SMTP server (aiosmtpd) and real Celery workers for the notification tests.

The workers are separate processes (``celery -A portal worker --pool=solo``) that read the
test database, so the tests that use them need PostgreSQL and ``transactional_db``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def _redis_url() -> str:
    return os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or ""


def _database_url(db: dict) -> str:
    user = quote(db.get("USER") or "")
    password = quote(db.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{db['NAME']}"


@pytest.fixture(scope="session")
def worker_env(django_db_setup, django_db_blocker, smtp_server):
    """The environment of a real Celery worker against Redis, the test database and aiosmtpd.

    Skips unless the tests run on PostgreSQL with Redis. This process sends to the same broker.
    """
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

    return {
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


def start_workers(env: dict, logs: Path, names: list[str], queue: str | None = None) -> list:
    """Start one solo-pool worker per name (consuming ``queue``, or the default queue) and
    wait until all are ready. Returns ``[(process, log path), ...]``."""
    procs = []
    for name in names:
        log = logs / f"{name}.log"
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            f"--hostname={name}-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        if queue:
            command.append(f"--queues={queue}")
        procs.append(
            (
                subprocess.Popen(
                    command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
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
    return procs


def stop_workers(procs: list) -> None:
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


WORKERS = 2


@pytest.fixture(scope="session")
def celery_workers(worker_env, tmp_path_factory):
    """Two real Celery workers (solo pool) against Redis, the test database and aiosmtpd."""
    logs = tmp_path_factory.mktemp("celery")
    procs = start_workers(worker_env, logs, [f"notify-test-{i}" for i in range(WORKERS)])
    yield procs
    stop_workers(procs)


@pytest.fixture
def sending_to_workers():
    """During one test, tasks sent from this process go to the broker, not run in process.

    Only for the test: every other test in the session keeps eager tasks.
    """
    from portal.celery import app

    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


@pytest.fixture
def celery_worker(celery_workers, sending_to_workers):
    """During one test, tasks sent from this process go to the real workers, not in process."""
    return celery_workers
