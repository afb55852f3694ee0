"""Local development: `make run`. Debug on, embedded defaults for everything."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# `make run` (scripts/run.py) starts a Celery worker beside the server: its console e-mails go
# to the terminal as they are, not through the worker's logger.
CELERY_WORKER_REDIRECT_STDOUTS = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # The server and the worker write the same file: a write transaction takes the lock when
    # it begins and waits up to 20 s for it (no "database is locked" halfway through), and
    # readers do not wait for writers (write-ahead log).
    DATABASES["default"].setdefault("OPTIONS", {}).update(  # noqa: F405
        transaction_mode="IMMEDIATE", timeout=20, init_command="PRAGMA journal_mode=WAL;"
    )
