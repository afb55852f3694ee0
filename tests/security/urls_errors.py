"""A test-only URLconf: the project's URLs plus views that fail on purpose."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from portal.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


class ExplodingError(RuntimeError):
    pass


def explode(request):
    raise ExplodingError("secret-detail-in-exception /etc/passwd")


def forbidden(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("bad request detail")


urlpatterns = [
    path("__test__/500/", explode),
    path("__test__/403/", forbidden),
    path("__test__/400/", suspicious),
    *urlpatterns,
]
