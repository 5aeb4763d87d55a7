"""Request rates counted in the shared cache (Redis with several app servers), carrying on when it
does not answer: DRF's throttles read and write their history in Django's cache and fail the
request with a 500 when that cache is unreachable. Here a throttle whose cache does not answer
counts in this process's own memory instead — a limit per process until Redis is back, not no
limit (the household search rate guards personal data) and not an error page."""

import logging

from django.core.cache.backends.locmem import LocMemCache
from redis.exceptions import RedisError
from rest_framework.throttling import UserRateThrottle

log = logging.getLogger(__name__)

CACHE_DOWN = (RedisError, OSError)
_local = LocMemCache("duban-throttles", {"OPTIONS": {"MAX_ENTRIES": 10000}})


def local_cache():
    return _local


class SharedCacheFallback:
    """Mix in before a DRF throttle class."""

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except CACHE_DOWN as err:
            log.warning("throttle cache not answering (%s); counting in this process", type(err).__name__)
            self.cache = _local
            return super().allow_request(request, view)


class UserThrottle(SharedCacheFallback, UserRateThrottle):
    """The API's rate per user (DUBAN_API_RATE)."""
