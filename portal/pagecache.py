"""Cache of rendered anonymous pages, invalidated exactly when what they show changes.

Pages that anyone may see (catalog, offer, association and embed pages) are the same for
every anonymous visitor with the same URL, language and chosen municipality. We keep the
rendered response in the cache under a key that includes a *generation* number; any save
or delete of an offer, association, occasion, booking or photo bumps the generation
(``bump()``, wired with signals in ``PortalConfig.ready``), so the next request renders
fresh data. Nobody sees stale free places: the bump happens when the change commits, and
the generation lives in the shared cache (Redis in production), so every web process sees
it within ``PAGECACHE_LOCAL_SECONDS`` (1 s in production, off by default).

Two levels: each web process keeps the generation for up to that second and the most
recently served pages (pickled, ``PAGECACHE_LOCAL_ENTRIES``) in its own memory, so a hit
costs no network round trip at all; below that, the shared cache holds every page for
``timeout`` seconds. The process that bumps the generation forgets its copy at once.
"""

from __future__ import annotations

import functools
import hashlib
import pickle  # noqa: S403 - our own responses, from our own cache
import threading
import time
from collections import OrderedDict
from http.cookies import SimpleCookie

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

from . import generations

DEFAULT_TIMEOUT = 300


_lock = threading.Lock()
_local_generation: list = [None, 0.0]  # value, monotonic time it was read
_local_pages: OrderedDict[str, bytes] = OrderedDict()


def _local_seconds() -> float:
    """Off unless configured (production sets 1 s; tests clear the shared cache between
    tests, which a process-local copy would not notice)."""
    return float(getattr(settings, "PAGECACHE_LOCAL_SECONDS", 0))


def generation() -> int:
    """The current generation; read from the shared cache at most once per local second."""
    ttl = _local_seconds()
    now = time.monotonic()
    value, read_at = _local_generation
    if value is not None and ttl > 0 and now - read_at < ttl:
        return value
    (value,) = generations.read(generations.PUBLIC)
    _local_generation[:] = [value, now]
    return value


def forget_local() -> None:
    """Drop this process's copies (the generation and its pages)."""
    with _lock:
        _local_generation[:] = [None, 0.0]
        _local_pages.clear()


def local_get(key: str):
    if _local_seconds() <= 0:
        return None
    with _lock:
        data = _local_pages.get(key)
        if data is not None:
            _local_pages.move_to_end(key)
    return pickle.loads(data) if data is not None else None  # noqa: S301 # nosec B301 - our own bytes


def local_set(key: str, response) -> None:
    if _local_seconds() <= 0:
        return
    data = pickle.dumps(response, pickle.HIGHEST_PROTOCOL)
    limit = int(getattr(settings, "PAGECACHE_LOCAL_ENTRIES", 256))
    with _lock:
        _local_pages[key] = data
        _local_pages.move_to_end(key)
        while len(_local_pages) > limit:
            _local_pages.popitem(last=False)


def bump(**_kwargs) -> None:
    """Invalidate every cached page (after the current transaction commits)."""

    generations.bump(generations.PUBLIC, now=False)
    transaction.on_commit(forget_local)


def _has_pending_messages(request) -> bool:
    if request.COOKIES.get(getattr(settings, "MESSAGE_COOKIE_NAME", "messages")):
        return True
    session = getattr(request, "session", None)
    return bool(session is not None and session.session_key and session.get("_messages"))


def _key(request, vary_cookies) -> str:
    parts = [request.get_full_path(), get_language() or ""]
    parts += [request.COOKIES.get(name, "") for name in vary_cookies]
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()
    return f"pagecache:{generation()}:{digest}"


def cache_anonymous_page(
    timeout: int = DEFAULT_TIMEOUT, *, vary_cookies: tuple[str, ...] = (), after=None
):
    """Serve GET/HEAD for anonymous visitors from the cache; everyone else gets a fresh page.

    ``vary_cookies``: cookies that change the page (part of the key). A response may set
    only those cookies to be cached; they are stripped from the stored copy, and ``after``
    (request, response) runs on every answer, hit or miss, to set them again.
    Put this decorator closest to the view, so that header decorators run on hits too.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if (
                not getattr(settings, "PAGECACHE_ENABLED", True)
                or request.method not in ("GET", "HEAD")
                or request.user.is_authenticated
                or _has_pending_messages(request)
            ):
                response = view(request, *args, **kwargs)
            else:
                response = _cached_or_rendered(request, view, args, kwargs)
            if after is not None:
                after(request, response)
            return response

        def _cached_or_rendered(request, view, args, kwargs):
            key = _key(request, vary_cookies)
            response = local_get(key)
            if response is None:
                response = cache.get(key)
                if response is not None:
                    local_set(key, response)
            if response is not None:
                response["X-Page-Cache"] = "hit"
                return response
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            storable = (
                response.status_code == 200
                and not getattr(response, "streaming", False)
                and set(response.cookies) <= set(vary_cookies)
                # A page with a CSRF token belongs to one visitor's cookie.
                and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            )
            if storable:
                cookies, response.cookies = response.cookies, SimpleCookie()
                cache.set(key, response, timeout)  # pickled now, without the cookies
                local_set(key, response)
                response.cookies = cookies
            response["X-Page-Cache"] = "miss" if storable else "skip"
            return response

        return wrapped

    return decorator
