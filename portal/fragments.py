"""Cached parts of signed-in pages ("My school"), per user, until what they show changes.

``cached_fragment`` keeps the rendered HTML of a part under a key made of the release, the
user, the page's own parts (school, options), the language, the host and the current values
of the generation names the part shows (``name(School, pk)``, ``generations.CATALOG``...);
the apps bump those names when their data changes. Time changes a part too (an upcoming
booking becomes a past one): the render returns, with its HTML, the moment the part stops
being valid, and the entry is not used after it (nor after ``MAX_SECONDS``); a template tag in
the part that shows something timed tells it with ``expires_at``. Forms in the
part are rendered with a placeholder token, replaced by the visitor's CSRF token on the way out.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache, caches
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from . import generations
from .pagecache import release

MAX_SECONDS = 300


def name(model, pk) -> str:
    """The generation name of the cached parts showing one row, e.g. ``fragment:schools.school:3``."""
    return f"fragment:{model._meta.label_lower}:{pk}"


def csrf_placeholder() -> str:
    """A string no visitor can type in: derived from the secret key."""
    digest = hmac.new(settings.SECRET_KEY.encode(), b"csrf-placeholder", hashlib.sha256)
    return "csrf-" + digest.hexdigest()[:40]


def next_midnight(now: datetime) -> datetime:
    """The start of the next local day: date-based lists (events, needs, pools) change then."""
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, datetime.min.time()))


#: The context key of a part's list of moments its content changes at (``expires_at``).
EXPIRY = "fragment_expiry"


def expires_at(context, moment: datetime | None) -> None:
    """Called by a template tag whose output inside a cached part changes at ``moment`` (a
    meeting it lists ends): the part's render adds the moments of ``context[EXPIRY]`` to its
    ``valid_until``. Nothing happens outside such a part."""
    expiry = context.get(EXPIRY)
    if expiry is not None and moment is not None:
        expiry.append(moment)


def cached_fragment(
    request,
    part: str,
    parts: Iterable,
    names: Iterable[str],
    render: Callable,
    csrf_token: str | None = None,
) -> SafeString:
    """The HTML of one part of a signed-in page. ``render(csrf_token)`` renders it with
    ``csrf_token`` as its token and returns ``(html, valid_until)``. Without
    ``PAGECACHE_ENABLED`` it is rendered on every request. ``csrf_token``: the page's token
    if the view has it (Django masks a new one for every ``get_token``)."""
    csrf_token = csrf_token or get_token(request)
    if not settings.PAGECACHE_ENABLED:
        html, _valid_until = render(csrf_token)
        return mark_safe(html)  # noqa: S308 # nosec B308 B703 - our own template's output
    values = generations.read(*names)
    raw = [release(), part, request.user.pk, *parts, get_language(), request.scheme]
    raw += [request.get_host(), *values]
    key = "fragment:" + hashlib.sha256("|".join(map(str, raw)).encode()).hexdigest()
    local = caches["local"] if settings.PAGECACHE_LOCAL_SECONDS > 0 else None
    now = timezone.now()
    entry = local.get(key) if local is not None else None
    if entry is None or entry[1] <= now:
        entry = cache.get(key)
        if entry is None or entry[1] <= now:
            html, valid_until = render(csrf_placeholder())
            entry = (html, min(valid_until, now + timedelta(seconds=MAX_SECONDS)))
            cache.set(key, entry, max(1, int((entry[1] - now).total_seconds())))
        if local is not None:
            local.set(key, entry, max(1, int((entry[1] - now).total_seconds())))
    return mark_safe(entry[0].replace(csrf_placeholder(), csrf_token))  # noqa: S308 # nosec B308 B703
