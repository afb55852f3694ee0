"""Production: secrets and hosts must come from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import REDIS_URL, env

DEBUG = False
if not SECRET_KEY or len(SECRET_KEY) < 32:  # noqa: F405
    raise ImproperlyConfigured("SECRET_KEY must be set (at least 32 characters) in production.")
if not REDIS_URL:
    # Without it each process has a cache of its own: a password change or a revoked
    # membership saved in one worker would not reach the cached accounts of the others.
    raise ImproperlyConfigured(
        "REDIS_URL must be set in production: the web processes share sessions, cached "
        "accounts and pages, rate limits and the Celery queue through it."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# Each web process keeps cached pages and generation values for up to this many seconds in
# its own memory (portal/pagecache.py); 0 turns that layer off.
PAGECACHE_LOCAL_SECONDS = env.float("PAGECACHE_LOCAL_SECONDS", default=1.0)
