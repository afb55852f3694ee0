import time

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from portal import ratelimit


class ApiRateThrottle(BaseThrottle):
    """Requests per client address and time window, counted in the cache (Redis in
    production) by the portal's own rate limit (``portal.ratelimit.hit``: one INCR).

    DRF's ``SimpleRateThrottle`` keeps the time of every request in the window as a list,
    read and written back whole on each request, which grows with the rate; a fixed window
    counter costs the same at any rate. The rate is read from ``settings.API_RATE`` on each
    request, so an operator's setting and a test's override both take effect. The address
    is the one the portal's own rate limits use (``TRUSTED_PROXY_COUNT``): DRF's default
    believes any X-Forwarded-For header, which a client can vary at will.
    """

    def allow_request(self, request, view) -> bool:
        self.rate = settings.API_RATE
        return ratelimit.hit("api", self.get_ident(request), self.rate)

    def get_ident(self, request) -> str:
        return ratelimit.client_address(request)

    def wait(self) -> float:
        """Seconds until the current window ends (the Retry-After header)."""
        _limit, period = ratelimit.parse_rate(self.rate)
        return period - time.time() % period
