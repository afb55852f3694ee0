"""Searches planned for their values, not by a prepared statement's generic plan.

On PostgreSQL a connection prepares a statement once it has run twice
(``prepare_threshold`` in the settings): the queries every page repeats are parsed and
planned once per connection. After five runs of a prepared statement PostgreSQL may switch
to a *generic* plan, made without the values. For a text search that is often the wrong
plan: how many offers the words match decides whether to start from the municipality's
associations or from the words' index, and a generic plan cannot know the words. On the
benchmark's national data the catalog's search queries cost PostgreSQL 10.7 ms of CPU per
search with their generic plans and 7.1 ms planned for the words (docs/PERFORMANCE.md, 53.).

``planned_for_values()`` sends the queries run inside it unprepared, so PostgreSQL plans
each for its values: psycopg's ``prepare_threshold`` is None for the block and restored
after. The other queries keep their prepared statements.
"""

from __future__ import annotations

import contextlib

from django.db import DEFAULT_DB_ALIAS, connections


@contextlib.contextmanager
def planned_for_values(enabled: bool = True, using: str = DEFAULT_DB_ALIAS):
    """Within the block, queries on ``using`` are planned for their values (when ``enabled``;
    nothing changes on SQLite or with prepared statements turned off)."""
    connection = connections[using]
    if not (enabled and connection.settings_dict.get("OPTIONS", {}).get("prepare_threshold")):
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    threshold = raw.prepare_threshold
    raw.prepare_threshold = None
    try:
        yield
    finally:
        raw.prepare_threshold = threshold
