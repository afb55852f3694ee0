from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class ApiRateThrottle(AnonRateThrottle):
    """Requests per client address, counted in the cache (Redis in production).

    The rate is read from ``settings.API_RATE`` on each request (DRF's own default is
    fixed at import), so an operator's setting and a test's override both take effect.
    """

    scope = "api"

    def get_rate(self) -> str:
        return settings.API_RATE
