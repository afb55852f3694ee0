"""Tests: fast hasher, e-mail in memory; DATABASE_URL and REDIS_URL are honoured for CI."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# E-mail in memory, unless EMAIL_URL names a server (the Celery worker tests run aiosmtpd).
if not env.str("EMAIL_URL", default=""):  # noqa: F405
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Celery is eager in the test process; tests that need a real worker start one themselves.
# CELERY_EAGER=false turns it off for a worker started by tests/notifications/conftest.py.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_EAGER", default=True)  # noqa: F405
CELERY_TASK_EAGER_PROPAGATES = True
AXES_ENABLED = True
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
# Each test run gets its own cache namespace so parallel runs never see each other.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CACHES["local"] = LOCAL_CACHE  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Views are tested without the page cache; tests of the cache turn it on themselves.
PAGECACHE_ENABLED = False
# So is the role summary: many tests change memberships in a transaction that never commits
# (no generation is bumped); tests of the summary's cache turn it on and commit.
ROLES_CACHE_ENABLED = False
# No persistent connections: a browser test's live-server threads would keep theirs open
# past the end of the run, and the test database could not be dropped.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# The test suite never calls outside services: no address service, no map tiles.
GEOCODER_URL = ""
MAP_TILE_URL = ""
# And the per-process reference data (tests of it turn it on and commit).
REFERENCE_CACHE_ENABLED = False
