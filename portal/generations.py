"""Generations: one value per name in the shared cache, replaced whenever the data behind
the name changes. Whatever is cached under (or with) the values it was read under is simply
never used after a change: there is no list of keys to delete.

Names say what changed, e.g. ``pagecache.name(Offer, 12)``. The app that owns a model says
which names its changes touch (``on_change`` in its ``AppConfig.ready()``); code that writes
with ``QuerySet.update()``, which sends no signal, calls ``bump`` itself. A bump counts when
the transaction commits (``transaction.on_commit``; at once outside a transaction), so
nothing read before the commit is cached under the new values.
"""

from __future__ import annotations

import functools
import os
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models import signals
from django.dispatch import receiver
from django_redis import get_redis_connection

#: What every school sees of offers, associations, their dates and municipalities ("My
#: school" lists, the offer being booked): bumped by any change of those.
CATALOG = "catalog"


#: Small reference data that most requests read and operators rarely change (the active
#: municipalities, the school subjects), kept in each process (``kept``): bumped by any change
#: of a municipality or a subject.
REFERENCE = "reference"


def user_roles(user_id) -> str:
    """The name of one user's cached role summary (``accounts.roles``): bumped by a change of
    the user's school or association memberships or consultant post (``on_role_change``)."""
    return f"roles:user:{user_id}"


def _key(name: str) -> str:
    return f"generation:{name}"


#: This process's copy of the values it read, with when (``PAGECACHE_LOCAL_SECONDS``): a plain
#: dict, as every entry is at most that old it is simply emptied when it grows large.
_near: dict[str, tuple[object, float]] = {}
NEAR_ENTRIES = 10_000


def _near_values(keys: list[str]) -> dict:
    """The values of ``keys`` this process read less than ``PAGECACHE_LOCAL_SECONDS`` ago."""
    since = time.monotonic() - settings.PAGECACHE_LOCAL_SECONDS
    found = {}
    for key in keys:
        if (entry := _near.get(key)) is not None and entry[1] > since:
            found[key] = entry[0]
    return found


def _keep_near(values: dict) -> None:
    if len(_near) > NEAR_ENTRIES:
        _near.clear()
    now = time.monotonic()
    for key, value in values.items():
        _near[key] = (value, now)


@receiver(setting_changed)
def _forget(setting, **_kwargs) -> None:
    """A test changed where the values come from."""
    if setting in ("PAGECACHE_LOCAL_SECONDS", "CACHES"):
        _near.clear()
    if setting == "CACHES":
        _fetch_script.cache_clear()


def _new_value() -> int:
    """A value never used before (128 random bits). An integer: django-redis stores it as
    it is, so a Lua script can set it (``_FETCH``) and reading it unpickles nothing."""
    return int.from_bytes(os.urandom(16), "big")


def read(*names: str, local: bool = False) -> tuple:
    """The current values of ``names``: one round trip to the shared cache, none for values
    this process read less than ``PAGECACHE_LOCAL_SECONDS`` ago when ``local``."""
    near = local and settings.PAGECACHE_LOCAL_SECONDS > 0
    values, _entry = _current([_key(name) for name in names], near, None)
    return values


def lookup(key: str, names, *, local: bool = False) -> tuple[tuple, object]:
    """The current values of ``names`` and what ``store`` put under ``key`` with those values
    (else None). The entry and the values come in one round trip to the shared cache, also
    when a name is used for the first time; none with ``local`` when this process holds the
    entry (``local`` cache) and values read less than ``PAGECACHE_LOCAL_SECONDS`` ago."""
    near = caches["local"] if local and settings.PAGECACHE_LOCAL_SECONDS > 0 else None
    mine = near.get(key) if near is not None else None
    keys = [_key(name) for name in names]
    values, shared = _current(keys, near is not None, key if mine is None else None)
    if mine is not None:
        if mine[0] == values:
            return values, mine[1]
        shared = cache.get(key)  # this process's copy is older than the values
    if shared is not None and shared[0] == values:
        if near is not None:
            near.set(key, shared)
        return values, shared[1]
    return values, None


def _current(keys: list[str], near: bool, entry_key: str | None) -> tuple[tuple, object]:
    """The current values of generation ``keys`` (with ``near``: those this process read
    less than ``PAGECACHE_LOCAL_SECONDS`` ago as they are) and what the shared cache holds
    under ``entry_key`` (None: not asked), in at most one round trip."""
    found = _near_values(keys) if near else {}
    missing = [key for key in keys if key not in found]
    entry = None
    if missing or entry_key is not None:
        fetched, entry = _fetch(missing, entry_key)
        if near:
            _keep_near(fetched)
        found.update(fetched)
    return tuple(found[key] for key in keys), entry


#: KEYS: generation keys, then (optional) an entry's key; ARGV: a new value for each
#: generation key. A missing value (first use, evicted or flushed) is set to its new value.
_FETCH = """
local found = redis.call('MGET', unpack(KEYS))
for i = 1, #ARGV do
  if not found[i] then
    redis.call('SET', KEYS[i], ARGV[i])
    found[i] = ARGV[i]
  end
end
return found
"""


@functools.cache
def _fetch_script():
    """``_FETCH`` on the shared cache's Redis (django-redis's public raw client), or None
    for a cache without Lua (local memory in development and some test runs)."""
    try:
        return get_redis_connection("default").register_script(_FETCH)
    except NotImplementedError:
        return None


def _fetch(keys: list[str], entry_key: str | None) -> tuple[dict, object]:
    """The shared values of generation ``keys``, missing ones set to a value never used
    before, and what ``entry_key`` holds (None: nothing), in one round trip to Redis."""
    wanted = [*keys, entry_key] if entry_key is not None else keys
    if (script := _fetch_script()) is None:
        fetched = cache.get_many(wanted)
        entry = fetched.pop(entry_key, None)
        for key in keys:
            if key not in fetched:
                value = _new_value()
                fetched[key] = value if cache.add(key, value, None) else cache.get(key, value)
        return fetched, entry
    make_key, decode = cache.make_key, cache.client.decode
    raw = script(keys=[make_key(k) for k in wanted], args=[_new_value() for _ in keys])
    values = {key: decode(value) for key, value in zip(keys, raw, strict=False)}
    entry = raw[-1] if entry_key is not None else None
    return values, (decode(entry) if entry is not None else None)


def store(key: str, values: tuple, value, timeout: int) -> None:
    """Keep ``value`` under ``key`` with the ``values`` (from ``lookup``) it was computed
    under, for ``timeout`` seconds. Only in the shared cache: ``lookup`` copies an entry
    into this process's memory when it is read again, so pages read once cost no copy."""
    cache.set(key, (values, value), timeout)


def bump(*names: str) -> None:
    """Give ``names`` new values when the current transaction commits."""
    keys = [_key(name) for name in set(names)]
    if keys:
        transaction.on_commit(lambda: _replace(keys))


def _replace(keys: list[str]) -> None:
    values = {key: _new_value() for key in keys}
    if _fetch_script() is None:  # a cache without Lua has no raw client either
        cache.set_many(values, None)
    else:  # one MSET, where django-redis's set_many sends a SET for each key
        raw = {cache.make_key(key): cache.client.encode(value) for key, value in values.items()}
        get_redis_connection("default").mset(raw)
    for key in keys:  # this process sees its own change at once
        _near.pop(key, None)


def cached(key: str, names: tuple[str, ...], compute, timeout: int):
    """``compute()``, cached under ``key`` until one of ``names`` changes (or ``timeout``
    seconds). The value is stored with the values of ``names`` it was computed under, so one
    round trip reads both (``lookup``). A None result is not cached."""
    values, value = lookup(key, names)
    if value is None:
        value = compute()
        if value is not None:
            store(key, values, value, timeout)
    return value


_kept: dict[str, tuple[str, float, object]] = {}
#: At most this old, in case a change bypassed the signals (``bulk_create``, raw SQL).
KEPT_SECONDS = 300


def kept(key: str, name: str, compute):
    """``compute()`` kept in this process's memory until ``name`` changes (or for
    ``KEPT_SECONDS``), for small reference data that most requests read. The value of
    ``name`` is read as the page cache reads its values (``local``: at most
    ``PAGECACHE_LOCAL_SECONDS`` old, so another process's change counts within that second).
    Callers only read what they get: it is shared by the process's requests. Without
    ``REFERENCE_CACHE_ENABLED`` (off in the test settings, whose transactions never commit)
    it is computed every time."""
    if not settings.REFERENCE_CACHE_ENABLED:
        return compute()
    (value,) = read(name, local=True)
    now = time.monotonic()
    entry = _kept.get(key)
    if entry is None or entry[0] != value or now - entry[1] > KEPT_SECONDS:
        entry = _kept[key] = (value, now, compute())
    return entry[2]


def on_change(model, names_for, *, m2m: bool = True) -> None:
    """Bump ``names_for(instance)`` whenever an instance of ``model`` is saved or deleted
    and, with ``m2m``, when one of its many-to-many fields changes (seen from either side:
    the other side's change bumps the names of the ``model`` rows it touches)."""

    def changed(instance, **_kwargs) -> None:
        bump(*names_for(instance))

    uid = f"generations-{model._meta.label}"
    # weak=False: the receivers are closures that nothing else holds on to.
    signals.post_save.connect(changed, sender=model, dispatch_uid=uid + "-save", weak=False)
    signals.post_delete.connect(changed, sender=model, dispatch_uid=uid + "-del", weak=False)
    for field in model._meta.local_many_to_many if m2m else []:

        def m2m_changed(instance, action, reverse, pk_set, field=field, **_kwargs) -> None:
            if action not in ("post_add", "pre_remove", "pre_clear"):
                return  # before a removal and after an addition: the rows still/already there
            if not reverse:
                rows = [instance]
            elif pk_set:
                rows = model._default_manager.filter(pk__in=pk_set)
            else:
                rows = model._default_manager.filter(**{field.name: instance})
            bump(*(name for row in rows for name in names_for(row)))

        through = field.remote_field.through
        signals.m2m_changed.connect(
            m2m_changed, sender=through, dispatch_uid=f"{uid}-{field.name}", weak=False
        )


def on_role_change(model) -> None:
    """Rows of ``model`` give their ``user`` a role (a membership, a consultant post): bump the
    user's ``user_roles`` name when one is saved or deleted, and the previous user's too when
    one is given to someone else."""
    on_change(model, lambda row: [user_roles(row.user_id)], m2m=False)

    def previous_user(sender, instance, update_fields=None, **_kwargs) -> None:
        if instance.pk is None or (update_fields is not None and "user" not in update_fields):
            return
        old = sender._base_manager.filter(pk=instance.pk).values_list("user_id", flat=True)
        old = old.first()
        if old is not None and old != instance.user_id:
            bump(user_roles(old))

    signals.pre_save.connect(
        previous_user,
        sender=model,
        dispatch_uid=f"generations-{model._meta.label}-previous-user",
        weak=False,
    )
