"""Searches planned for their values, not by a prepared statement's generic plan.

On PostgreSQL the connections bind parameters on the server and psycopg prepares a
statement once it has run ``prepare_threshold`` times (the settings): PostgreSQL then parses
it once per connection and plans it for its first values, and after five runs may switch to
one *generic* plan, made without the values. For a text search that is often the wrong
plan: how many offers the words match decides whether to start from the municipality's
associations or from the words' index, and a generic plan cannot know the words. On the
benchmark's national data the catalog's search queries cost PostgreSQL 12.3 ms of CPU per
search with their generic plans and 7.9 ms planned for the words (docs/PERFORMANCE.md, 53.).

``planned_for_values()`` sends the queries run inside it unprepared, so PostgreSQL plans
each for its values: psycopg's ``prepare_threshold`` is None while each of them is sent
(through Django's ``execute_wrapper``, on the connection the query really uses, also after
a reconnection), and the connection's other queries keep their prepared statements.
"""

from __future__ import annotations

import contextlib

from django.db import DEFAULT_DB_ALIAS, connections


@contextlib.contextmanager
def planned_for_values(enabled: bool = True, using: str = DEFAULT_DB_ALIAS):
    """Within the block, the queries on ``using`` are planned for their values (when
    ``enabled``; on other databases than PostgreSQL nothing is prepared anyway)."""
    connection = connections[using]
    if not (enabled and connection.vendor == "postgresql"):
        yield
        return
    with connection.execute_wrapper(_unprepared):
        yield


def _unprepared(execute, sql, params, many, context):
    raw = context["connection"].connection  # psycopg's, opened by now
    threshold = raw.prepare_threshold
    raw.prepare_threshold = None
    try:
        return execute(sql, params, many, context)
    finally:
        raw.prepare_threshold = threshold


def searches_words(params) -> bool:
    """Whether a request's query parameters (``request.GET``) hold a text search (``q``)."""
    return bool((params.get("q") or "").strip())
