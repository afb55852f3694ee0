"""Read queries compiled to SQL once per process (and thread).

Django compiles a queryset into SQL every time it runs it: for the offer page's query (a
join, thirty columns) that is ≈ 1,200 Python calls, ten times what sending it and reading
its row cost. Where a page runs the same query for every request but for one value (an
offer's slug), ``Compiled`` keeps the SQL that the ORM compiled once and runs it with that
value: the query is still written with the ORM (``Offer.objects.published()`` and its rule
stay where they are), only its compilation is not repeated.

The queryset is filtered by a *mark* where a request's value goes (``MARK`` for text,
``ID_MARK`` for an id, ``id_marks(n)`` for a list of ids), ends in ``values_list()`` and is
compiled when the ``Compiled`` is made; ``rows(value, ...)`` puts the values in the marks' places, runs the SQL through
Django's cursor (so query logging, ``execute_wrapper`` and connection handling apply) and
converts the columns as the ORM would (dates on SQLite, decimals, booleans). Where the page
needs model instances, the queryset selects each model's ``fields()`` and ``instance()``
makes one from its part of a row, as the ORM's ``select_related`` would.
"""

from __future__ import annotations

import functools
import threading

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet

#: A text value no request can hold (URL slugs have no NUL byte), marking where one goes.
MARK = "\x00mark"
#: An id no row has, marking where an id goes (``id_marks``: several).
ID_MARK = -1_999_999_999


def id_marks(count: int) -> list[int]:
    """``count`` different ids no row has, for a list of ids (``pk__in``)."""
    return [ID_MARK + i for i in range(count)]


class Compiled:
    """``queryset`` (a ``values_list()`` filtered by ``marks``) compiled once per thread;
    ``rows()`` runs it with a value for each mark, in the order of ``marks`` (a mark used in
    several places gets its value in each).

    Once per thread, not per process: the compiled query and its column converters hold the
    thread's database connection (web and Celery workers have one thread; the development
    server's threads each compile their own, and free it when they end)."""

    def __init__(self, queryset: QuerySet, *marks) -> None:
        self.queryset, self.marks = queryset, marks
        self.mine = threading.local()
        self._compiled()  # a mark that is not one of the query's values fails here

    def _compiled(self) -> _Compiled:
        compiled = getattr(self.mine, "compiled", None)
        if compiled is None:
            compiled = self.mine.compiled = _Compiled(self.queryset, self.marks)
        return compiled

    def rows(self, *values) -> list[tuple]:
        """The query's rows with ``values`` in the marks' places."""
        return self._compiled().rows(values)


class _Compiled:
    """``Compiled`` in one thread."""

    def __init__(self, queryset: QuerySet, marks) -> None:
        self.using = queryset.db
        compiler = queryset.query.get_compiler(using=self.using)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        self.places = []
        for mark in marks:
            places = [i for i, value in enumerate(self.params) if value == mark]
            if not places:
                raise ValueError(f"{mark!r} is not one of the query's values: {params}")
            self.places.append(places)
        columns = [expression for expression, _sql, _alias in compiler.select]
        self.converters = compiler.get_converters(columns[: compiler.col_count])
        # Columns selected only to order a DISTINCT by are not part of a row (as in Django).
        self.width = compiler.col_count if compiler.has_extra_select else None
        self.compiler = compiler

    def rows(self, values) -> list[tuple]:
        params = self.params.copy()
        for places, value in zip(self.places, values, strict=True):
            for place in places:
                params[place] = value
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.width is not None:
            rows = [row[: self.width] for row in rows]
        if self.converters:
            rows = [tuple(row) for row in self.compiler.apply_converters(rows, self.converters)]
        return rows


@functools.cache
def fields(model: type[Model], names: tuple[str, ...] | None = None) -> tuple:
    """The primary key and the fields ``names`` of ``model`` (all its columns with None), in
    the model's order, as ``Model.from_db`` takes their values."""
    wanted = set(names or ())
    return tuple(
        f
        for f in model._meta.concrete_fields
        if names is None or f.primary_key or f.name in wanted or f.attname in wanted
    )


def names(model_fields: tuple, prefix: str = "") -> list[str]:
    """The ``values_list()`` names of ``model_fields`` after ``prefix`` (a relation's path
    and ``__``)."""
    return [prefix + f.name for f in model_fields]


def instance(model: type[Model], model_fields: tuple, values) -> Model | None:
    """A ``model`` loaded with ``values`` of ``model_fields`` (``fields()``; the others are
    deferred, as with ``QuerySet.only()``), or None when the primary key is NULL (an outer
    join found no row)."""
    attnames = [f.attname for f in model_fields]
    if values[attnames.index(model._meta.pk.attname)] is None:
        return None
    return model.from_db(DEFAULT_DB_ALIAS, attnames, values)
