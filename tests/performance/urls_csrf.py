"""Two tiny page-cached views for the tests: one plain, one that uses a CSRF token."""

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path

from portal.pagecache import cache_anonymous_page


@cache_anonymous_page(lambda _request: [])
def plain(request):
    return HttpResponse("plain")


@cache_anonymous_page(lambda _request: [])
def with_form(request):
    return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')


urlpatterns = [path("plain/", plain), path("form/", with_form)]
