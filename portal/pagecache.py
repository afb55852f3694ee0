"""Cache of rendered anonymous pages, invalidated exactly when what they show changes.

Pages that anyone may see (catalog, offer, association and embed pages) are the same for
every anonymous visitor with the same URL, language and chosen municipality. We keep the
rendered response in the cache under a key that includes a *generation* number; any save
or delete of an offer, association, occasion, booking or photo bumps the generation
(``bump()``, wired with signals in ``PortalConfig.ready``), so the next request renders
fresh data. Nobody sees stale free places: the bump happens when the change commits, and
the generation lives in the shared cache (Redis in production), so every web process sees
it at once.
"""

from __future__ import annotations

import functools
import hashlib
from http.cookies import SimpleCookie

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

GENERATION_KEY = "pagecache:generation"
DEFAULT_TIMEOUT = 300


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY) or 1
    return int(value)


def bump(**_kwargs) -> None:
    """Invalidate every cached page (after the current transaction commits)."""

    def _bump():
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:
            cache.add(GENERATION_KEY, 2, timeout=None)

    transaction.on_commit(_bump)


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
            response = cache.get(key)
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
            )
            if storable:
                cookies, response.cookies = response.cookies, SimpleCookie()
                cache.set(key, response, timeout)  # pickled now, without the cookies
                response.cookies = cookies
            response["X-Page-Cache"] = "miss" if storable else "skip"
            return response

        return wrapped

    return decorator
