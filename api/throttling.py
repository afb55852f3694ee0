from django.conf import settings
from rest_framework.throttling import AnonRateThrottle

from portal.ratelimit import client_address


class ApiRateThrottle(AnonRateThrottle):
    """Requests per client address, counted in the cache (Redis in production).

    The rate is read from ``settings.API_RATE`` on each request (DRF's own default is
    fixed at import), so an operator's setting and a test's override both take effect.
    The address is the one the portal's own rate limits use (``TRUSTED_PROXY_COUNT``):
    DRF's default believes any X-Forwarded-For header, which a client can vary at will.
    """

    scope = "api"

    def get_rate(self) -> str:
        return settings.API_RATE

    def get_ident(self, request) -> str:
        return client_address(request)
