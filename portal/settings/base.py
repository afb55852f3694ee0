"""Settings shared by every environment. Everything that differs comes from the environment."""

import subprocess
import tomllib
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()


def filesystem_broker_options(folder: Path) -> dict:
    """Transport options of kombu's filesystem broker under ``folder`` (created here): the
    web process and the worker write and read the same message folder."""
    messages, control = folder / "messages", folder / "control"
    for path in (messages, control):
        path.mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(messages),
        "data_folder_out": str(messages),
        "control_folder": str(control),
        "store_processed": False,
    }


# A local .env file is optional; real deployments set the environment directly.
env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    # Our apps, shared pieces first.
    "portal",
    "accounts",
    "municipalities",
    "geo",
    "notifications",
    "schools",
    "associations",
    "screening",
    "bookings",
    "catalog",
    "partnerships",
    "knowledge",
    "dashboard",
    "privacy",
    # Single sign-on (OpenID Connect per municipality) and the open data API.
    "rest_framework",
    "drf_spectacular",
    "sso",
    "api",
    # Development data (seed_demo, seed_scale): the top layer, no app imports it.
    "devdata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.RefuseNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    # Inside the CSP and frame headers' middleware, which then add them to their pages too.
    "portal.middleware.RefuseMalformedAdminInputMiddleware",
    "portal.middleware.FormOnlyAddressPageMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # No i18n processor: the templates that show the language ask for it themselves
            # ({% get_current_language %}), the others need no language variables.
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

# Database: SQLite file in the project unless DATABASE_URL says otherwise.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL: bind parameters on the server and let psycopg prepare a statement once it has
# run twice on a connection, so that a repeated query is parsed and planned once per
# connection rather than on every request (planning was most of the database's time for the
# signed-in pages). Behind pgbouncer in transaction mode this needs pgbouncer >= 1.21 with
# max_prepared_statements set, or DATABASE_PREPARED_STATEMENTS=false.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "DATABASE_PREPARED_STATEMENTS", default=True
):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=2
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: optional. Without it, the cache is local memory and Celery runs tasks in process.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # django-redis: keeps one Redis client per server (Django's own backend builds a
            # new one, ~0.25 ms, for every call) and increments in one round trip.
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="portal"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Each web process's own copy of the pages it read from Redis and of "My school" lists
# (portal/pagecache.py, portal/fragments.py); generation values: portal/generations.py.
LOCAL_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "portal-local",
    "OPTIONS": {"MAX_ENTRIES": 256},
}
CACHES["local"] = LOCAL_CACHE

# Sessions are read from the cache (Redis in production) and written through to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
#: The backend that log-ins without a password (sign-up, SSO) record in the session.
LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling (django-axes): lock a user+address pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "errors/lockout.html"
AXES_RESET_ON_SUCCESS = True
# The log-in lockout counts per client address the way every rate limit does.
AXES_CLIENT_IP_CALLABLE = "portal.ratelimit.client_address"

# Language: Danish first, English second.
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date formats per language on top of Django's (English: "5 January 2027", 24-hour clock).
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "portal_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads live outside the code directory and get random names (see portal.uploads).
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
# The knowledge bank's templates, served only through its download view (empty: "private"
# beside MEDIA_ROOT, knowledge.models.PrivateFiles).
KNOWLEDGE_FILES_ROOT = env.str("KNOWLEDGE_FILES_ROOT", default="") or None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: EMAIL_URL (smtp://user:pass@host:port, smtp+tls://..., consolemail://); console by default.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Åben Skole <noreply@aabenskole.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: with no broker configured, tasks run eagerly in the calling process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # An eager task still takes a producer from Celery's pool, that is a kombu connection
    # object (never connected): with no URL, an AMQP one without a host, and kombu warned
    # "No hostname was supplied" for it whenever an e-mail was sent. The in-memory transport
    # needs no server; it ignores the host, but kombu warns unless the URL names one.
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
# Redis hands out an unacknowledged message again only after this (an ETA or retry countdown
# must fit in it), or when its worker shuts down properly: the task of a killed worker comes
# back an hour later. E-mail does not wait for that: see "A Celery task" in ARCHITECTURE.md.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
#: kombu's filesystem transport (``CELERY_BROKER_URL=filesystem://localhost/``, as `make run`
#: sets it; Celery prefers that variable to these settings):
#: messages are files in FILESYSTEM_BROKER_DIR, no server needed. For one worker on one
#: machine (development), not for production.
FILESYSTEM_BROKER_DIR = Path(
    env.str("FILESYSTEM_BROKER_DIR", default=str(BASE_DIR / "var" / "celery"))
)
if CELERY_BROKER_URL.startswith("filesystem:"):
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker_options(FILESYSTEM_BROKER_DIR)
    CELERY_BEAT_SCHEDULE_FILENAME = str(FILESYSTEM_BROKER_DIR / "beat-schedule")
CELERY_TASK_TRACK_STARTED = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Retries of a failed e-mail wait NOTIFICATIONS_RETRY_BACKOFF seconds, then twice that, ...
NOTIFICATIONS_RETRY_BACKOFF = env.int("NOTIFICATIONS_RETRY_BACKOFF", default=30)
CELERY_BEAT_SCHEDULE = {
    # Also sends again what a dead worker had claimed, once its claim lease (60 s) ran out.
    "notifications-retry-failed": {
        "task": "notifications.tasks.retry_queued",
        "schedule": timedelta(seconds=30),
    },
    # Keys carry the date, so running the scans every hour of the day never sends twice;
    # hourly (not once) so that a beat or worker outage delays reminders by an hour at most.
    "bookings-reminders": {
        "task": "bookings.tasks.scan_reminders",
        "schedule": crontab(minute=5, hour="7-20"),
    },
    "bookings-answer-deadlines": {
        "task": "bookings.tasks.scan_answer_deadlines",
        "schedule": crontab(minute=20, hour="7-20"),
    },
    "screening-submission-digest": {
        "task": "screening.tasks.send_submission_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    "dashboard-weekly-digest": {
        "task": "dashboard.tasks.send_weekly_digests",
        "schedule": crontab(hour=7, minute=15, day_of_week="mon"),
    },
    # Bookings: unanswered requests expire, past bookings complete, held waiting places lapse.
    "bookings-expire-requests": {
        "task": "bookings.tasks.expire_overdue_requests",
        "schedule": crontab(minute="*/15"),
    },
    "bookings-complete-past": {
        "task": "bookings.tasks.complete_past_bookings",
        "schedule": crontab(minute=40),
    },
    "bookings-lapse-waiting-offers": {
        "task": "bookings.tasks.lapse_waiting_offers",
        "schedule": crontab(minute="*/15"),
    },
    "bookings-allocate-due": {
        "task": "bookings.tasks.allocate_due_occasions",
        "schedule": crontab(minute="*/15"),
    },
}

# The map (geo, catalog's /map/). Tiles: any XYZ tile server, OpenStreetMap's by default
# (its usage policy asks for the attribution and allows light use; set your own server for
# heavy use). MAP_TILE_URL="" draws the map without tiles (markers and areas only).
MAP_TILE_URL = env.str("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env.str(
    "MAP_TILE_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)
# Positions from addresses: the Danish public address service (DAWA / Dataforsyningen, e.g.
# https://api.dataforsyningen.dk) when set; otherwise the postal code's known centre.
GEOCODER_URL = env.str("GEOCODER_URL", default="")
GEOCODER_TIMEOUT = env.float("GEOCODER_TIMEOUT", default=3.0)


def _tile_origin(url: str) -> list[str]:
    """The tile server's origin for the CSP's img-src ("{s}" subdomains become "*")."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "*"))
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


# Content Security Policy: no inline scripts or styles anywhere (django-csp 4).
CSP_ORIGINS_SELF = ("'self'",)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_tile_origin(MAP_TILE_URL)],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # One line per task is too chatty when tasks run in process (make run, seeding).
        "celery.app.trace": {"level": "WARNING"},
    },
}

# Rendered anonymous pages and "My school" lists are cached until what they show changes
# (portal/pagecache.py, portal/fragments.py). Each web process may keep pages and generation
# values for up to PAGECACHE_LOCAL_SECONDS in its own memory (production: 1 s; 0: off).
PAGECACHE_ENABLED = env.bool("PAGECACHE_ENABLED", default=True)
PAGECACHE_LOCAL_SECONDS = env.float("PAGECACHE_LOCAL_SECONDS", default=0)
# A signed-in user's role summary (the navigation's flags, the ids of their schools) is kept
# in the shared cache until one of their memberships or consultant post changes
# (accounts/roles.py); off: it is read from the database on every request.
ROLES_CACHE_ENABLED = env.bool("ROLES_CACHE_ENABLED", default=True)
# Reference data (active municipalities, school subjects) kept per web process until a change
# of a municipality or subject (portal.generations.kept).
REFERENCE_CACHE_ENABLED = env.bool("REFERENCE_CACHE_ENABLED", default=True)


def _release() -> str:
    """The deployed code, in the keys of cached pages: RELEASE, else the git commit, else the
    package version (the templates' and static files' fingerprint is added to it)."""
    try:
        git = ["git", "rev-parse", "HEAD"]
        found = subprocess.run(git, cwd=BASE_DIR, capture_output=True, text=True, timeout=5)  # noqa: S603, S607
        return found.stdout.strip() or _version()
    except OSError:
        return _version()


def _version() -> str:
    return tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]["version"]


RELEASE = env.str("RELEASE", default="") or _release()

# Privacy (GDPR) retention: see privacy/services.py.
PRIVACY_RETENTION_SCHOOL_YEARS = env.int("PRIVACY_RETENTION_SCHOOL_YEARS", default=3)
PRIVACY_INACTIVE_DAYS = env.int("PRIVACY_INACTIVE_DAYS", default=2 * 365)
PRIVACY_DELETION_GRACE_DAYS = env.int("PRIVACY_DELETION_GRACE_DAYS", default=30)
CELERY_BEAT_SCHEDULE["privacy-retention"] = {
    "task": "privacy.tasks.run_retention",
    "schedule": crontab(hour=3, minute=30),
}
# Re-screening (screening/tasks.py, associations/tasks.py): daily; outbox keys and state
# re-checks make reruns safe.
CELERY_BEAT_SCHEDULE["screening-remind-expiring"] = {
    "task": "screening.tasks.remind_expiring_approvals",
    "schedule": crontab(hour=6, minute=10),
}
CELERY_BEAT_SCHEDULE["screening-expire-approvals"] = {
    "task": "screening.tasks.expire_approvals",
    "schedule": crontab(hour=0, minute=20),
}
# Partnerships' status meetings: reminders by the municipalities' rules (keys carry the date).
CELERY_BEAT_SCHEDULE["partnerships-meeting-reminders"] = {
    "task": "partnerships.tasks.scan_meeting_reminders",
    "schedule": crontab(minute=10, hour="7-20"),
}
CELERY_BEAT_SCHEDULE["associations-child-certificates"] = {
    "task": "associations.tasks.check_child_certificates",
    "schedule": crontab(hour=0, minute=40),
}
# Partnerships: a partner's missing yearly figures, by the municipality's reminder rules
# (the key names the year, so the daily run sends each reminder once).
CELERY_BEAT_SCHEDULE["partnerships-figures-reminders"] = {
    "task": "partnerships.tasks.remind_missing_figures",
    "schedule": crontab(hour=8, minute=10),
}

# Portal rules that an operator may tune.
# How many proxies of ours add to X-Forwarded-For in front of the web processes (0: none).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
PORTAL_SIGNUP_RATE = env.str("PORTAL_SIGNUP_RATE", default="10/h")
PORTAL_INVITE_RATE = env.str("PORTAL_INVITE_RATE", default="30/h")
PORTAL_BOOKING_RATE = env.str("PORTAL_BOOKING_RATE", default="30/h")
PORTAL_MESSAGE_RATE = env.str("PORTAL_MESSAGE_RATE", default="30/h")

# --- Single sign-on and open data API (sso/, api/) ---------------------------------------
# OpenID providers are configured per municipality in the admin (sso.OIDCProvider).
SSO_HTTP_TIMEOUT = env.int("SSO_HTTP_TIMEOUT", default=10)  # seconds per call to a provider
# The open data API: read-only, anonymous, paginated and throttled through the cache.
API_RATE = env.str("API_RATE", default="120/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ApiRateThrottle"],
    "UNAUTHENTICATED_USER": None,
    # "format" is the catalog's filter (event, course, ...), not DRF's renderer switch.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Åben Skole open data API",
    "DESCRIPTION": (
        "Read-only data about published offers, associations and fixed-date occasions "
        "per municipality. No personal data (no contact persons, phone numbers, e-mail "
        "addresses or instructors).\n\n"
        "Everything belongs to a municipality: list them at `/api/municipalities/`, then use "
        "the slug in the path, e.g. `/api/municipalities/helsingor/offers/`. The offer and "
        "occasion filters have the same names and meaning as the catalog's (domain, subject, "
        "grade, format, where, free, max_price, week, weekday, q). Lists are paginated "
        "(`page`, `page_size` up to 200) and requests are rate limited per address (429)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/",
    "COMPONENT_SPLIT_REQUEST": True,
}
