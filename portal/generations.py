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

import time
import uuid

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models import signals

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


def _local():
    """This process's copy of the values (``PAGECACHE_LOCAL_SECONDS``), or None."""
    return caches["local"] if settings.PAGECACHE_LOCAL_SECONDS > 0 else None


def read(*names: str, local: bool = False) -> tuple[str, ...]:
    """The current values of ``names``: one round trip to the shared cache, none for values
    this process read less than ``PAGECACHE_LOCAL_SECONDS`` ago when ``local``."""
    keys = [_key(name) for name in names]
    near = _local() if local else None
    found = near.get_many(keys) if near is not None else {}
    missing = [key for key in keys if key not in found]
    if missing:
        fetched = cache.get_many(missing)
        for key in missing:
            if key not in fetched:  # first use, evicted or flushed: a value never used before
                value = uuid.uuid4().hex
                fetched[key] = value if cache.add(key, value, None) else cache.get(key, value)
        if near is not None:
            near.set_many(fetched, settings.PAGECACHE_LOCAL_SECONDS)
        found.update(fetched)
    return tuple(found[key] for key in keys)


def bump(*names: str) -> None:
    """Give ``names`` new values when the current transaction commits."""
    keys = [_key(name) for name in set(names)]
    if keys:
        transaction.on_commit(lambda: _replace(keys))


def _replace(keys: list[str]) -> None:
    cache.set_many({key: uuid.uuid4().hex for key in keys}, None)
    if (near := _local()) is not None:  # this process sees its own change at once
        near.delete_many(keys)


def cached(key: str, names: tuple[str, ...], compute, timeout: int):
    """``compute()``, cached under ``key`` until one of ``names`` changes (or ``timeout``
    seconds). The value is stored with the values of ``names`` it was computed under, so one
    round trip reads both. A None result is not cached."""
    keys = [_key(name) for name in names]
    found = cache.get_many([key, *keys])
    values = read(*names) if any(k not in found for k in keys) else tuple(found[k] for k in keys)
    entry = found.get(key)
    if entry is not None and entry[0] == values:
        return entry[1]
    value = compute()
    if value is not None:
        cache.set(key, (values, value), timeout)
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
