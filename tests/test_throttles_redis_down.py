"""The API's rate and the household search rate while the shared cache (Redis) does not answer
(duban/throttles.py): requests are still answered, and still counted — in the process's memory —
so a dead Redis is neither a 500 nor an unlimited search of personal data."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from duban import throttles
from org.models import Membership, OrgUnit
from requisition.models import Household
from tests.conftest import make_user

DEAD_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


@pytest.fixture
def dead_redis(settings):
    throttles.local_cache().clear()
    settings.CACHES = DEAD_REDIS
    yield
    throttles.local_cache().clear()


@pytest.fixture
def village(world):
    village = OrgUnit.objects.create(name="江尾村", kind=OrgUnit.Kind.VILLAGE, parent=world.a)
    Household.objects.create(village=village, number="001", head_name="张三", id_number="", phone="13812345678")
    return village


def test_the_api_answers_while_redis_is_down(world, dead_redis):
    client = APIClient()
    client.force_login(world.leader)
    for name in ("api_units", "api_campaigns"):
        response = client.get(reverse(name))
        assert response.status_code == 200, (name, response.status_code)


def test_the_api_rate_is_counted_in_the_process_while_redis_is_down(world, dead_redis, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "3/hour"}}
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    api_settings.reload()
    SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        client = APIClient()
        client.force_login(world.leader)
        statuses = [client.get(reverse("api_units")).status_code for _ in range(4)]
    finally:
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "3000/hour"}}
        api_settings.reload()
        SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert statuses == [200, 200, 200, 429]


def test_household_searches_are_still_limited_while_redis_is_down(village, dead_redis, settings):
    settings.DUBAN_HOUSEHOLD_SEARCH_RATE = "3/hour"
    worker = make_user("worker", village, Membership.Role.REPORTER)
    client = APIClient()
    client.force_login(worker)
    field = reverse("requisition_field")
    statuses = [client.get(field, {"village": village.pk, "q": f"{n}678"}).status_code for n in range(2)]
    statuses.append(client.get(reverse("api_households"), {"q": "2678"}).status_code)
    page = client.get(field, {"village": village.pk, "q": "5678"})
    assert statuses == [200, 200, 200] and page.status_code == 429
    assert "查询住户过于频繁，请稍后再查。" in page.content.decode()
    assert client.get(reverse("api_households"), {"q": "5678"}).status_code == 429
