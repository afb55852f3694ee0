"""Rendered anonymous pages (catalog, offer, association, embed), cached until what they show
changes.

A page is the same for every anonymous visitor with the same URL, language and chosen
municipality. Its response is stored under those, the release (``release()``: a deploy never
serves old HTML) and the generation names the page shows, with the values those names had
before the render (``generations.lookup`` reads them and the stored page in one round trip;
a stored page whose values are no longer current is not served): the view's
``names(request, *args, **kwargs)``, from its URL (the catalog of one municipality:
``name(Municipality, slug)``; an offer's page: ``name(Offer, slug)``), and
``EVERYTHING``. The apps bump those names when their data changes (``generations.on_change``),
so other municipalities' pages stay cached. A view that shows something else than its names
say (an unknown municipality in the URL) answers with ``Cache-Control: no-store``.

Two levels: the shared cache (Redis) holds every page for ``TIMEOUT`` seconds; with
``PAGECACHE_LOCAL_SECONDS`` (1 s in production) each web process also keeps the pages it read
from Redis and the generation values it read in its own memory (the ``local`` cache), so a
hit needs no network round trip. Another process's change is seen within that second. A
miss costs two round trips: the lookup and the store.
"""

from __future__ import annotations

import functools
import hashlib
from http.cookies import SimpleCookie
from pathlib import Path

from django.conf import settings
from django.template.utils import get_app_template_dirs
from django.utils.translation import get_language

from . import generations

TIMEOUT = 300
#: Part of every page's names: bumped by changes that concern every page (a municipality).
EVERYTHING = "page:*"


def name(model, key) -> str:
    """The generation name of the pages showing one row (by slug or id), or a municipality's
    catalog (by slug; ``"any"``: the catalog of no chosen municipality), e.g.
    ``page:associations.offer:kajak``."""
    return f"page:{model._meta.label_lower}:{key}"


@functools.cache
def release() -> str:
    """The deployed code: ``RELEASE`` and a fingerprint of the templates and of the static
    files' manifest (read once per process)."""
    digest = hashlib.sha256(settings.RELEASE.encode())
    folders = [Path(d) for t in settings.TEMPLATES for d in t.get("DIRS", [])]
    files = [p for d in [*folders, *get_app_template_dirs("templates")] for p in d.rglob("*")]
    files.append(Path(settings.STATIC_ROOT) / "staticfiles.json")
    for path in sorted(p for p in files if p.is_file()):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _has_pending_messages(request) -> bool:
    if request.COOKIES.get(getattr(settings, "MESSAGE_COOKIE_NAME", "messages")):
        return True
    session = getattr(request, "session", None)
    return bool(session is not None and session.session_key and session.get("_messages"))


def cache_anonymous_page(names, *, vary_cookies: tuple[str, ...] = (), after=None):
    """Serve GET/HEAD for anonymous visitors from the cache; everyone else gets a fresh page.

    ``names(request, *args, **kwargs)``: the generation names of what the page shows.
    ``vary_cookies``: cookies that change the page (part of the key). A response may set
    only those cookies to be cached; they are stripped from the stored copy, and ``after``
    (request, response) runs on every answer, hit or miss, to set them again.
    Put this decorator closest to the view, so that header decorators run on hits too.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if (
                settings.PAGECACHE_ENABLED
                and request.method in ("GET", "HEAD")
                and not request.user.is_authenticated
                and not _has_pending_messages(request)
            ):
                shown = (EVERYTHING, *names(request, *args, **kwargs))
                parts = [release(), request.get_full_path(), get_language() or "", *shown]
                parts += [request.COOKIES.get(cookie, "") for cookie in vary_cookies]
                key = "page:" + hashlib.sha256("|".join(parts).encode()).hexdigest()
                response = _cached_or_rendered(
                    key, shown, vary_cookies, view, request, args, kwargs
                )
            else:
                response = view(request, *args, **kwargs)
            if after is not None:
                after(request, response)
            return response

        return wrapped

    return decorator


def _cached_or_rendered(key, shown, vary_cookies, view, request, args, kwargs):
    # The values are read before the render: a page rendered while a change commits is
    # stored with the old values, so it is never served after that change.
    local = settings.PAGECACHE_LOCAL_SECONDS > 0
    values, response = generations.lookup(key, shown, local=local)
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
        and "no-store" not in response.get("Cache-Control", "")
        # A page with a CSRF token belongs to one visitor's cookie.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )
    if storable:
        cookies, response.cookies = response.cookies, SimpleCookie()
        generations.store(key, values, response, TIMEOUT)  # pickled, no cookies
        response.cookies = cookies
    response["X-Page-Cache"] = "miss" if storable else "skip"
    return response
