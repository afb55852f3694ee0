"""Middleware of our own."""

from django.core.exceptions import BadRequest


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
