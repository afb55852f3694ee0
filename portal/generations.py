"""Generation numbers: counters in the shared cache that change whenever the data behind a
family of cached things changes.

A cache key that includes the current generation is dropped, in effect, by one ``incr``: no
list of keys to find and delete. A value can also carry the numbers it was read under
(``read_with`` and ``store``): then one round trip fetches the counters and the value, and
a value under old numbers is ignored. Three families use them:

- ``public``: the rendered anonymous pages (``portal.pagecache``);
- ``roles`` plus one counter per user (``user(pk)``): each signed-in user's account and
  roles (memberships, consultant post; ``accounts.roles``). Rare changes that concern many
  users (a school, a municipality) bump ``roles``; a change of one account, membership or
  consultant post, or of an association (for its members only), bumps the users' own;
- ``schools`` plus one counter per school (``school(pk)``) and per municipality
  (``municipality(pk)``): the rendered "My school" lists (``bookings.views.my_school``).
  A booking, waiting-list entry, event or need bumps only its own school's counter; what
  many schools show (offer titles, dates, municipalities) bumps ``schools``, which also
  keys the offers looked up for booking (``bookings.services.bookable_offer``).

Which models bump which family is wired with signals in ``PortalConfig.ready``
(``portal.apps``); code that writes those models with ``QuerySet.update()`` bumps by hand.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

from .cache import incr_many

PUBLIC = "public"
ROLES = "roles"
SCHOOLS = "schools"


def school(pk) -> str:
    return f"school:{pk}"


def municipality(pk) -> str:
    return f"municipality:{pk}"


def user(pk) -> str:
    return f"user:{pk}"


def _key(name: str) -> str:
    return f"generation:{name}"


def _fresh_start() -> int:
    """Where a missing counter starts: the clock in microseconds. A counter that was evicted
    or flushed must not start again at a number it had before, while entries cached under
    that number may still be alive; the clock has moved past all of them."""
    return time.time_ns() // 1_000


def read(*names: str) -> tuple[int, ...]:
    """The current numbers of ``names``, in one round trip to the shared cache."""
    _bump_now(names)
    keys = [_key(name) for name in names]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    for key in missing:  # first use, or the cache lost it
        cache.add(key, _fresh_start(), timeout=None)
    if missing:
        found.update(cache.get_many(missing))
    return tuple(int(found[key]) if key in found else _fresh_start() for key in keys)


def read_with(names: tuple[str, ...], keys: list[str]) -> tuple[tuple[int, ...], dict]:
    """The current numbers of ``names`` and, in the same round trip, the values under
    ``keys`` that were stored (``store``) while those numbers were current: a value stored
    under other numbers is left out, as if the bump had dropped it."""
    _bump_now(names)
    counters = [_key(name) for name in names]
    found = cache.get_many([*counters, *keys])
    if all(counter in found for counter in counters):
        numbers = tuple(int(found[counter]) for counter in counters)
    else:
        numbers = read(*names)
    fresh = {}
    for key in keys:
        entry = found.get(key)
        if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == numbers:
            fresh[key] = entry[1]
    return numbers, fresh


def store(key: str, value, numbers: tuple[int, ...], timeout: int) -> None:
    """Cache ``value`` as read under ``numbers`` (from ``read_with``)."""
    cache.set(key, (numbers, value), timeout)


def _incr(*names: str) -> None:
    incr_many(cache, [_key(name) for name in names], missing=_fresh_start())


def bump(name: str, *, now: bool = True) -> None:
    """Change the number of ``name`` when the transaction commits and, with ``now``, also
    for code that reads it later in the same transaction (a request in a test case, say).

    The commit bump drops anything cached from data read before it. The bumps at commit go
    in one round trip: each bump adds its name to the connection's pending set and registers
    a hook; the first hook to run bumps the whole set. The bump "now" is done only when the
    transaction reads the counter (``_bump_now``): most write paths never do, and other
    processes go on serving what was committed until the commit. A name left over from a
    rolled-back savepoint may be bumped anyway, which costs only a cache miss.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _incr(name)  # autocommit: the change is already committed
        return
    if not connection.run_on_commit:
        # No hook waits: what is left in the sets was rolled back.
        connection.__dict__.update(_generation_bumps=set(), _generation_now=set())
    if now:
        connection.__dict__.setdefault("_generation_now", set()).add(name)
    pending = connection.__dict__.setdefault("_generation_bumps", set())
    pending.add(name)
    transaction.on_commit(lambda: _bump_pending(pending))


def _bump_now(names) -> None:
    """Before this transaction reads counters: bump those it changed (``bump(now=True)``)."""
    connection = transaction.get_connection()
    unread = connection.__dict__.get("_generation_now")
    if not unread:
        return
    if not connection.in_atomic_block:  # committed (and bumped) or rolled back
        unread.clear()
        return
    wanted = unread.intersection(names)
    if wanted:
        unread.difference_update(wanted)
        _incr(*sorted(wanted))


def _bump_pending(pending: set[str]) -> None:
    names = sorted(pending)
    pending.clear()
    transaction.get_connection().__dict__.get("_generation_now", set()).clear()
    if names:
        _incr(*names)


def receiver(name: str, *, now: bool = True):
    """A signal receiver that bumps ``name``."""

    def bump_on_signal(**_kwargs) -> None:
        bump(name, now=now)

    bump_on_signal.__name__ = f"bump_{name}"
    return bump_on_signal


def scoped_receiver(names_for):
    """A signal receiver that bumps the counters ``names_for(instance)`` names."""

    def bump_on_signal(instance, **_kwargs) -> None:
        for name in names_for(instance):
            bump(name)

    return bump_on_signal
