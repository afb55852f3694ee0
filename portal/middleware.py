"""Middleware of our own."""

from datetime import MAXYEAR, MINYEAR

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import BadRequest
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import Resolver404, get_script_prefix, resolve

from .forms import MAX_PK, is_digits


class RefuseNulBytesMiddleware:
    """A NUL byte in the path or the query string is refused with 400 (the site's error
    page) before any view runs.

    No honest browser sends one, PostgreSQL cannot store or compare one (a 500 deep in a
    query), and the URL converters and ``request.GET`` let it through. Form fields refuse
    NUL on their own (Django's ProhibitNullCharactersValidator).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or self.query_has_nul(request):
            raise BadRequest("NUL byte in the request")
        return self.get_response(request)

    @staticmethod
    def query_has_nul(request) -> bool:
        # request.GET decodes "%00" to a NUL and keeps a raw one: without either in the query
        # string there is none to find, and a view that reads no parameter parses none.
        raw = request.META.get("QUERY_STRING", "")
        if "%00" not in raw and "\x00" not in raw:
            return False
        query = (value for key, values in request.GET.lists() for value in [key, *values])
        return any("\x00" in value for value in query)


class RefuseMalformedAdminInputMiddleware:
    """Two inputs Django's admin hands on unchecked are refused with 400 (the site's error
    page), before its view runs: a selected row's id that is not a number or larger than any
    id, in an action's POST (a ``ValueError`` or ``OverflowError`` in the admin's query), and
    a date drill-down (``date_hierarchy``) out of the calendar's range (a ``ValueError`` or
    ``OverflowError`` when the admin builds the dates). The admin's forms send neither; a
    hand-made or tampered request can. (An admin POST's body is read here, so an admin view
    cannot change its upload handlers; none does.)
    """

    #: A drill-down's parts and their ranges; a year keeps a day's margin from the calendar's
    #: ends, so that the next year and a time zone's shift stay inside it.
    DATE_PARTS = {"__year": (MINYEAR + 1, MAXYEAR - 1), "__month": (1, 12), "__day": (1, 31)}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.resolver_match.app_name != "admin":
            return None
        if request.method == "POST" and not all(
            self.pk_ok(pk) for pk in request.POST.getlist(ACTION_CHECKBOX_NAME)
        ):
            raise BadRequest("a selected row's id is no possible id")
        drill_down = ((k, v) for k, values in request.GET.lists() for v in values)
        if not all(self.date_part_ok(key, value) for key, value in drill_down):
            raise BadRequest("a date drill-down out of range")
        return None

    @staticmethod
    def pk_ok(value: str) -> bool:
        # Larger than any id, SQLite cannot bind it (``pk__in`` has no overflow guard).
        return is_digits(value) and len(value) <= 19 and int(value) <= MAX_PK

    @classmethod
    def date_part_ok(cls, key: str, value: str) -> bool:
        for suffix, (low, high) in cls.DATE_PARTS.items():
            if key.endswith(suffix):
                return is_digits(value) and len(value) <= 4 and low <= int(value) <= high
        return True


class FormOnlyAddressPageMiddleware:
    """A visit to an address that only takes a form (a sign-up's, an answer's) gets a page
    with a way on, not Django's empty 405: the login's "next" after a session ran out, or a
    bookmark, lands there. The way on is the nearest address above it that is a page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method in ("GET", "HEAD") and isinstance(response, HttpResponseNotAllowed):
            page = nearest_page(request.path_info)
            context = {"page": get_script_prefix() + page.lstrip("/") if page else ""}
            page = render(request, "errors/405.html", context, status=405)
            page["Allow"] = response["Allow"]
            return page
        return response


def nearest_page(path: str) -> str:
    """The closest address above ``path`` that the URLconf knows ("/events/2/" for
    "/events/2/sign-up/"), or "" if none is. It may take only a form itself (two form-only
    addresses in a row are rare); its own page then leads on."""
    parts = path.strip("/").split("/")[:-1]
    while parts:
        candidate = "/" + "/".join(parts) + "/"
        try:
            resolve(candidate)
        except Resolver404:
            parts.pop()
        else:
            return candidate
    return ""
