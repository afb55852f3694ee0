"""The root URLconf includes every app at "" in the order requests are most often for (the
catalog, a school's bookings, the open data API first: Django tries the patterns one by
one). That order must not change what any URL opens: no pattern may catch another's URLs."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern

from associations.services import RESERVED_SLUGS as ASSOCIATION_WORDS
from knowledge.services import RESERVED_SLUGS as KNOWLEDGE_WORDS

#: A value for each path converter the project's patterns use.
SAMPLES = {
    "IntConverter": "7",
    "SlugConverter": "some-slug",
    "StringConverter": "some-token",
    "PathConverter": "a/b",
}
#: Words no slug is ever given (the slug makers skip them), because URLs use them.
NEVER_SLUGS = ASSOCIATION_WORDS | KNOWLEDGE_WORDS


def _named_patterns(resolver: URLResolver, namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def _own_patterns():
    """Every named pattern but Django's admin (under its own "admin/" prefix)."""
    for name, pattern in _named_patterns(get_resolver()):
        if not name.startswith("admin:"):
            assert isinstance(pattern.pattern, RoutePattern), f"{name}: path() is expected"
            yield name, pattern


def _words() -> set[str]:
    """The fixed words of every route ("offers", "new", "book", ...): the values a slug or
    token would have to take to reach another pattern's URL."""
    words = set()
    for _name, pattern in _own_patterns():
        route = re.sub(r"<[^>]+>", "/", str(pattern.pattern))
        words |= {w for w in re.split(r"[/.]", route) if w}
    return words


def _sample_kwargs(pattern: URLPattern, words: set[str]):
    """The converters' samples, then each slug in turn given every fixed word but
    ``NEVER_SLUGS``: slugs come from names that people type. (A ``str`` is a token or an
    action the code makes and its view checks: "bookings/7/<action>/" comes after
    "bookings/7/approval/" on purpose.)"""
    converters = pattern.pattern.converters
    unknown = {type(c).__name__ for c in converters.values()} - set(SAMPLES)
    assert not unknown, f"add a sample value for {unknown}"
    base = {name: SAMPLES[type(c).__name__] for name, c in converters.items()}
    yield base
    for name, converter in converters.items():
        if type(converter).__name__ == "SlugConverter":
            for word in sorted(words - NEVER_SLUGS):
                if re.fullmatch(converter.regex, word):
                    yield {**base, name: word}


@pytest.mark.parametrize(("name", "pattern"), [pytest.param(*p, id=p[0]) for p in _own_patterns()])
def test_every_url_opens_its_own_view(name, pattern):
    words = _words()
    for kwargs in _sample_kwargs(pattern, words):
        path = reverse(name, kwargs=kwargs)
        assert resolve(path).view_name == name, path


def test_the_busiest_pages_resolve_first():
    """Each app's patterns tried before a school's "My school" page cost ≈ 3 Python calls."""
    order = [
        entry.urlconf_name.__name__
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and str(entry.pattern) == ""
    ]
    assert order[:3] == ["catalog.urls", "bookings.urls", "api.urls"]
