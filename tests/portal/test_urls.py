"""The root URLconf includes every app at "" in the order requests are most often for (the
catalog, a school's bookings, the open data API first: Django tries the patterns one by
one). That order must not change what any URL opens: no pattern may catch another's URLs."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

#: A value for each path converter the project's patterns use.
SAMPLES = {
    "IntConverter": "7",
    "SlugConverter": "some-slug",
    "StringConverter": "some-token",
    "PathConverter": "a/b",
}


def _named_patterns(resolver: URLResolver, namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def _sample_kwargs(pattern: URLPattern) -> dict:
    converters = pattern.pattern.converters
    return {name: SAMPLES[type(c).__name__] for name, c in converters.items()}


def _own_patterns():
    for name, pattern in _named_patterns(get_resolver()):
        if name.startswith("admin:") or not hasattr(pattern.pattern, "converters"):
            continue  # Django's admin and regex patterns: not ours to order
        yield pytest.param(name, pattern, id=name)


@pytest.mark.parametrize(("name", "pattern"), list(_own_patterns()))
def test_every_url_opens_its_own_view(name, pattern):
    path = reverse(name, kwargs=_sample_kwargs(pattern))
    assert resolve(path).view_name == name, path


def test_the_busiest_pages_resolve_first():
    """Each app's patterns tried before a school's "My school" page cost ≈ 3 Python calls."""
    order = [
        entry.urlconf_name.__name__
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and str(entry.pattern) == ""
    ]
    assert order[:3] == ["catalog.urls", "bookings.urls", "api.urls"]
