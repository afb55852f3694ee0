"""Helpers on the cache API, for any backend."""

from __future__ import annotations

import functools
import zlib

from django.apps import apps


def incr_many(cache, keys, delta=1, missing=0) -> None:
    """Increment every key that exists by ``delta``; set a missing one to ``missing``."""
    for key in keys:
        try:
            cache.incr(key, delta)
        except ValueError:
            cache.add(key, missing, timeout=None)


def count(cache, key, timeout) -> int:
    """Add one to the counter ``key`` (0 if missing); a new counter lives ``timeout`` s."""
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


@functools.cache
def pickled_shape(*labels: str) -> str:
    """A fingerprint of these models' columns, for the keys of cached (pickled) instances: a
    migration that adds or renames a column changes it, so a deploy never unpickles a row
    without the new field."""
    columns = ";".join(
        label + ":" + ",".join(f.attname for f in apps.get_model(label)._meta.concrete_fields)
        for label in labels
    )
    return format(zlib.crc32(columns.encode()), "x")
