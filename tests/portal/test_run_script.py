"""`make run` (scripts/run.py): a real Celery worker with embedded beat on kombu's filesystem
broker in a temporary folder, against the test database and a real SMTP server; and the
script itself, which starts the server and the worker together and stops both."""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone

from notifications import services
from notifications.models import Notification
from portal.celery import app
from portal.settings.base import filesystem_broker_options
from tests import factories as f
from tests.mail import free_port

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("run_script", ROOT / "scripts" / "run.py")
run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(run)

#: What no test here may inherit: a broker of the caller's (the script's default is the point).
NOT_INHERITED = {"CELERY_BROKER_URL", "REDIS_URL", "SITE_URL", "FILESYSTEM_BROKER_DIR"}


def _database_url() -> str:
    db = connection.settings_dict
    user = quote(db.get("USER") or "")
    password = quote(db.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def _base_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    return {**env, **extra}


def _wait_for(predicate, timeout: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(
                f"{what} did not happen in {timeout} s"
                + (f":\n{log.read_text()[-3000:]}" if log else "")
            )
        time.sleep(0.2)


def _group(pgid: int) -> list[int]:
    """The live processes whose process group is ``pgid`` (a zombie waits for init to reap
    it: it is gone)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def _digest(user, key: str) -> Notification:
    return services.notify(
        kind="screening.digest",
        key=key,
        to_email=user.email,
        user=user,
        template="digest_submissions",
        context={"recipient_name": user.full_name, "municipality": "Helsingør", "waiting": []},
        deliver=False,
    )


@pytest.fixture
def worker_env(transactional_db, smtp_server, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the Celery worker is another process: needs PostgreSQL (DATABASE_URL)")
    base = _base_env(
        DJANGO_SETTINGS_MODULE="portal.settings.test",
        DATABASE_URL=_database_url(),
        CONN_MAX_AGE="0",
        CELERY_EAGER="false",
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}",
        FILESYSTEM_BROKER_DIR=str(tmp_path / "celery"),
    )
    return run.environment(port=8000, base=base)


@pytest.mark.postgres
@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
def test_worker_with_beat_on_the_filesystem_broker(worker_env, mailbox, tmp_path):
    """A task sent through the folder is delivered, and beat runs a periodic job (the outbox
    sweep, every 30 s) that sends an e-mail whose task was lost. Then the worker, its pool and
    beat stop on SIGTERM, leaving nothing behind."""
    assert worker_env["CELERY_BROKER_URL"] == run.FILESYSTEM_BROKER
    folder = Path(worker_env["FILESYSTEM_BROKER_DIR"])
    user = f.UserFactory(email="laerer@example.org")
    sent_by_task = _digest(user, "run-script-task")
    lost = _digest(user, "run-script-lost")  # its task was lost: only the sweep sends it
    Notification.objects.filter(pk=lost.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )

    options = filesystem_broker_options(folder)
    with app.connection_for_write(run.FILESYSTEM_BROKER, transport_options=options) as conn:
        app.send_task(
            "notifications.tasks.deliver_notification",
            args=[sent_by_task.pk],
            producer=app.amqp.Producer(conn),
        )
    assert len(list((folder / "messages").iterdir())) == 1  # waiting for the worker

    log = tmp_path / "worker.log"
    worker = run.start_worker(worker_env, "INFO", stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        _wait_for(lambda: "ready." in log.read_text(), 60, "the worker's start", log)
        _wait_for(
            lambda: Notification.objects.get(pk=sent_by_task.pk).state == Notification.State.SENT,
            30,
            "the delivery of the task",
            log,
        )
        _wait_for(
            lambda: Notification.objects.get(pk=lost.pk).state == Notification.State.SENT,
            75,
            "beat's outbox sweep",
            log,
        )
    finally:
        run.stop(worker)
    text = log.read_text()
    assert "beat: Starting..." in text
    assert "Sending due task notifications-retry-failed" in text
    assert len(mailbox.to("laerer@example.org")) == 2
    assert worker.returncode == 0  # a warm shutdown, not the kill
    assert _group(worker.pid) == []  # no pool process or beat left
    assert list((folder / "messages").iterdir()) == []


def test_make_run_starts_and_stops_the_server_and_the_worker(tmp_path):
    """The script prints what runs, serves on the given port with SITE_URL set to it, and
    Ctrl-C stops the server (and its autoreloader's child) and the worker with its pool and
    beat."""
    port = free_port()
    env = _base_env(
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        FILESYSTEM_BROKER_DIR=str(tmp_path / "celery"),
    )
    log = tmp_path / "run.log"
    script = subprocess.Popen(  # noqa: S603
        [sys.executable, "scripts/run.py", f"--port={port}"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(lambda: "Celery worker with beat (pid" in log.read_text(), 30, "the line", log)
        line = next(x for x in log.read_text().splitlines() if "Celery worker with beat" in x)
        worker_pid = int(line.split("(pid ")[1].split(")")[0])
        assert f"links to http://127.0.0.1:{port}" in line
        assert str(tmp_path / "celery") in line

        def serving():
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)  # noqa: S310
            except urllib.error.HTTPError:
                return True  # it answers (the empty database may make the check fail)
            except OSError:
                return False
            return True

        _wait_for(serving, 60, "the server's start", log)
        _wait_for(lambda: len(_group(worker_pid)) >= 3, 60, "the pool and beat", log)
        server = [p for p in _group_of_children(script.pid) if p != worker_pid]
        assert server, "the server runs in a process group of its own"
        script.send_signal(signal.SIGINT)
        script.wait(timeout=40)
    finally:
        if script.poll() is None:
            script.kill()
    assert "Server and Celery worker stopped." in log.read_text()
    assert _group(worker_pid) == []
    assert all(_group(pgid) == [] for pgid in server)


def _group_of_children(pid: int) -> list[int]:
    """The direct children of ``pid`` (each leads its own process group)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def test_the_environment_follows_the_port():
    """SITE_URL is the server's address unless set; the filesystem broker (under var/) is
    used only when no broker is configured."""
    env = run.environment(8010, base={"PATH": os.environ["PATH"]})
    assert env["SITE_URL"] == "http://127.0.0.1:8010"
    assert env["CELERY_BROKER_URL"] == "filesystem://localhost/"
    assert env["FILESYSTEM_BROKER_DIR"] == str(ROOT / "var" / "celery")
    assert env["DJANGO_SETTINGS_MODULE"] == "portal.settings.dev"
    mine = run.environment(8010, base={"SITE_URL": "https://demo.example"})
    assert mine["SITE_URL"] == "https://demo.example"
    with_redis = run.environment(8010, base={"REDIS_URL": "redis://127.0.0.1:6379/3"})
    assert "CELERY_BROKER_URL" not in with_redis


def test_a_taken_port_is_refused_with_a_hint(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert run.main([f"--port={port}"]) == 1
    assert f"make run PORT={port + 10}" in capsys.readouterr().err
