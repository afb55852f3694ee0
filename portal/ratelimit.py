"""A small fixed-window rate limit on the cache, for sign-up, invitations, booking and messages.

    @ratelimit("signup", rate="PORTAL_SIGNUP_RATE")     # a setting's name: per client address
    @ratelimit("booking", rate="30/h", key="user")       # a fixed rate: per logged-in user

Only POST requests count. Over the limit the view is not called and the visitor gets
a 429 page in the site's look.
"""

from __future__ import annotations

import functools
import time
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "10/h" or, as DRF writes them, "120/min", "5/hour" -> (count, seconds)."""
    count, _, period = rate.partition("/")
    return int(count), PERIODS[period[:1]]


def client_address(request) -> str:
    """The client's address. X-Forwarded-For is believed only for the proxies we run
    (``TRUSTED_PROXY_COUNT``): the client can put anything at the front of that header."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def hit(group: str, ident: str, rate: str) -> bool:
    """Count one hit; True when the caller is still within the limit."""
    limit, period = parse_rate(rate)
    # Quoted and capped: an address from a proxy's header may hold spaces or be long, and
    # such keys are invalid on memcached (Django warns about them on every backend).
    ident = quote(ident, safe=".:")[:100]
    key = f"rl:{group}:{ident}:{int(time.time() // period)}"
    try:
        return cache.incr(key) <= limit  # one round trip with django-redis
    except ValueError:  # the window's first hit (or the counter was evicted)
        if cache.add(key, 1, period + 5):
            return limit >= 1
        return cache.incr(key) <= limit


def current_rate(rate: str) -> str:
    """``rate`` itself ("10/h"), or the value of the setting it names, read at request time
    (a setting read when the view module is imported would ignore later overrides)."""
    return rate if "/" in rate else getattr(settings, rate)


def ratelimit(group: str, *, rate: str, key: str = "ip"):
    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                if key == "user" and request.user.is_authenticated:
                    ident = f"u{request.user.pk}"
                else:
                    ident = client_address(request)
                if not hit(group, ident, current_rate(rate)):
                    return render(request, "errors/429.html", status=429)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
