"""Addresses of many rows' pages without a ``reverse()`` each (≈ 50 Python calls)."""

from __future__ import annotations

from functools import lru_cache
from html import escape

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

#: Stands in for the row's key in the address reversed once (an id or a slug fits).
_KEY = "2147483647"


def around(name: str) -> tuple[str, str]:
    """The escaped address of view ``name`` (one argument: an id or a slug) split around that
    argument: ``head + key + tail`` is the address of ``key`` (escaped, if it needs it).
    Reversed once per process, script prefix and URLconf."""
    return _around(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


def of(name: str, key: int | str) -> str:
    """The address of view ``name`` for ``key`` (an id or a slug, which need no quoting), as
    ``reverse(name, args=[key])`` gives it: not escaped, for a template or JSON."""
    head, tail = _split(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return f"{head}{key}{tail}"


@lru_cache(maxsize=32)
def _split(name: str, _prefix: str, _urlconf: str) -> tuple[str, str]:
    head, tail = reverse(name, args=[_KEY]).split(_KEY)
    return head, tail


@lru_cache(maxsize=32)
def _around(name: str, prefix: str, urlconf: str) -> tuple[str, str]:
    head, tail = _split(name, prefix, urlconf)
    return escape(head), escape(tail)
