"""Cache of rendered anonymous pages, invalidated exactly when what they show changes.

Pages that anyone may see (catalog, offer, association and embed pages) are the same for
every anonymous visitor with the same URL, language and chosen municipality. We keep the
rendered response in the cache under a key that includes a *generation* number; any save
or delete of an offer, association, occasion, booking or photo bumps the generation
(``bump()``, wired with signals in ``PortalConfig.ready``), so the next request renders
fresh data. Nobody sees stale free places: the bump happens in the same request that
changes them (on commit), and the generation lives in the shared cache (Redis in
production), so every web process sees it at once.
"""

from __future__ import annotations

import functools
import hashlib

from django.core.cache import cache
from django.db import transaction
from django.utils.cache import patch_vary_headers
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


def _key(request, extra: str) -> str:
    raw = "|".join(
        [
            request.get_full_path(),
            get_language() or "",
            extra,
            request.COOKIES.get("municipality", ""),
            request.session.get("municipality", "") if hasattr(request, "session") else "",
        ]
    )
    return f"pagecache:{generation()}:{hashlib.sha256(raw.encode()).hexdigest()}"


def cache_anonymous_page(timeout: int = DEFAULT_TIMEOUT, key_extra=None):
    """Serve GET/HEAD for anonymous visitors from the cache; everyone else gets a fresh page."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            cacheable = request.method in ("GET", "HEAD") and not request.user.is_authenticated
            if not cacheable:
                return view(request, *args, **kwargs)
            extra = key_extra(request) if key_extra else ""
            key = _key(request, extra)
            cached = cache.get(key)
            if cached is not None:
                cached["X-Page-Cache"] = "hit"
                return cached
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            # Never store a page that sets cookies (session, CSRF) or is not a plain 200.
            if (
                response.status_code == 200
                and not response.cookies
                and not getattr(response, "streaming", False)
            ):
                cache.set(key, response, timeout)
            response["X-Page-Cache"] = "miss"
            patch_vary_headers(response, ["Cookie", "Accept-Language"])
            return response

        return wrapped

    return decorator
