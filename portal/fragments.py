"""Cached parts of signed-in pages, per user, invalidated exactly.

Some signed-in pages are read far more often than what they show changes: "My school" lists
a school's bookings, waiting list, events, needs and co-financing, and costs ~35 ms to
render at national scale. ``cached_fragment`` keeps the rendered HTML of such a part under a
key made of the user, the page's own parts (school, options), the language, the host and
the current numbers of the given generation families (``portal.generations``). Any save or
delete of a model the part shows bumps the family, so the next request renders it again.

Time changes a page too (an upcoming booking becomes a past one): the render function
returns, with its HTML, the moment the part stops being valid, and the entry is not used
after it. Forms in the part get the visitor's CSRF token on every request: the part is
rendered with a placeholder, replaced on the way out.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from . import generations, pagecache

MAX_SECONDS = 300


def csrf_placeholder() -> str:
    """A string no visitor can type in: derived from the secret key."""
    digest = hmac.new(settings.SECRET_KEY.encode(), b"csrf-placeholder", hashlib.sha256)
    return "csrf-" + digest.hexdigest()[:40]


def next_midnight(now: datetime) -> datetime:
    """The start of the next local day: date-based lists (events, needs, pools) change then."""
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, datetime.min.time()))


def cached_fragment(
    request,
    name: str,
    parts: Iterable,
    families: Iterable[str],
    render: Callable[[str], tuple[str, datetime]],
) -> SafeString:
    """The HTML of one part of a signed-in page.

    ``render(csrf_token)`` renders the part with ``csrf_token`` as its token and returns
    ``(html, valid_until)``. Without ``PAGECACHE_ENABLED`` it is rendered on every request.
    """
    if not getattr(settings, "PAGECACHE_ENABLED", True):
        html, _valid_until = render(get_token(request))
        return mark_safe(html)  # noqa: S308 # nosec B308 B703 - our own template's output
    numbers = generations.read(*families)
    raw = "|".join(
        str(p)
        for p in (
            name,
            request.user.pk,
            *parts,
            get_language() or "",
            request.scheme,
            request.get_host(),
            *numbers,
        )
    )
    key = "fragment:" + hashlib.sha256(raw.encode()).hexdigest()
    now = timezone.now()
    entry = pagecache.local_get(key)
    if entry is None:
        entry = cache.get(key)
        if entry is not None:
            pagecache.local_set(key, entry)
    if entry is None or entry[1] <= now:
        html, valid_until = render(csrf_placeholder())
        valid_until = min(valid_until, now + timedelta(seconds=MAX_SECONDS))
        entry = (html, valid_until)
        cache.set(key, entry, max(1, int((valid_until - now).total_seconds())))
        pagecache.local_set(key, entry)
    html = entry[0].replace(csrf_placeholder(), get_token(request))
    return mark_safe(html)  # noqa: S308 # nosec B308 B703 - our own template's output
