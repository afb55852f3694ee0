"""Without a broker (`make run`'s seeding, `manage.py` commands, a plain checkout) tasks run in
process, and kombu says nothing about it: an eager task used to take a producer whose
connection had no host, and kombu warned "No hostname was supplied" for every e-mail."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import django
django.setup()
from django.conf import settings
from portal.celery import app
assert settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL
print(settings.CELERY_BROKER_URL)
for n in range(3):  # three e-mails' worth of tasks
    assert list(app.tasks["celery.accumulate"].delay(n).get()) == [n]
print("ran")
"""


def test_eager_tasks_need_no_broker_and_warn_nothing(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"CELERY_BROKER_URL", "REDIS_URL", "DATABASE_URL", "CELERY_EAGER"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        LOG_LEVEL="INFO",
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "No hostname was supplied" not in done.stderr + done.stdout
    assert done.stdout.split() == ["memory://localhost/", "ran"]
    assert "WARNING" not in done.stderr
