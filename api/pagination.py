from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from portal.forms import is_digits

#: The annotation that carries the count of all rows on each row of a page.
TOTAL = "paginator_total"


class WindowCountPaginator(Paginator):
    """Django's paginator, counting all the rows for the first page in that page's own
    query (``COUNT(*) OVER ()``) instead of a second query that filters them all again.

    For querysets of model objects or ``.values()`` dicts. Later pages (a number must be
    checked against the count before it becomes an OFFSET), a query whose rows a window
    would count wrongly (DISTINCT, a union) and any other list are counted as Django does.
    """

    def page(self, number):
        queryset = self.object_list
        if (
            number not in (1, "1")
            or "count" in self.__dict__  # counted already
            or not isinstance(queryset, QuerySet)
            or queryset.query.distinct
            or queryset.query.combinator
            or self.orphans
            or not self.allow_empty_first_page
        ):
            return super().page(number)
        rows = list(queryset.annotate(**{TOTAL: Window(Count("*"))})[: self.per_page])
        self.count = rows_total(rows)
        return Page(rows, 1, self)


def rows_total(rows: list) -> int:
    """The window's count of all rows, taken off the page's dicts (0 for no rows)."""
    if not rows:
        return 0
    if not isinstance(rows[0], dict):
        return getattr(rows[0], TOTAL)
    total = rows[0][TOTAL]
    for row in rows:
        del row[TOTAL]
    return total


class Pagination(PageNumberPagination):
    """Pages of 50 by default; a client may ask for 1 to 200 with ``page_size``.

    An invalid ``page_size`` or ``page`` is an error (400), not silently the default: a
    client should learn that its request was not understood. (A page past the end stays
    DRF's 404.)
    """

    django_paginator_class = WindowCountPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        values = request.query_params.getlist(self.page_size_query_param)
        if not values:
            return self.page_size
        if len(values) > 1 or not is_digits(values[0]) or int(values[0]) < 1:
            raise ValidationError({self.page_size_query_param: [_("A whole number from 1.")]})
        return min(int(values[0]), self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        values = request.query_params.getlist(self.page_query_param)
        if values and (len(values) > 1 or not is_digits(values[0]) or int(values[0]) < 1):
            raise ValidationError({self.page_query_param: [_("A whole number from 1.")]})
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters
