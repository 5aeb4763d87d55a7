"""Sessions end after 30 minutes without a request."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import SEEN


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = timezone.now()

        def advance(self, **kwargs):
            self.now += timedelta(**kwargs)

    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


def test_activity_keeps_the_session_and_thirty_idle_minutes_end_it(world, client, clock):
    client.force_login(world.owner)
    assert client.get(reverse("home")).status_code == 200
    for _ in range(3):  # a request every 20 minutes keeps the session alive
        clock.advance(minutes=20)
        assert client.get(reverse("home")).status_code == 200
    clock.advance(minutes=30, seconds=1)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    page = client.get(response["Location"]).content.decode()
    assert "您已 30 分钟未操作，已自动退出，请重新登录" in page
    assert client.get(reverse("my_reports")).status_code == 302  # stays logged out


def test_twenty_nine_idle_minutes_are_fine(world, client, clock):
    client.force_login(world.owner)
    client.get(reverse("home"))
    clock.advance(minutes=29, seconds=59)
    assert client.get(reverse("home")).status_code == 200


def test_the_last_request_time_is_written_at_most_once_a_minute(world, client, clock):
    client.force_login(world.owner)
    client.get(reverse("home"))
    first = client.session[SEEN]
    clock.advance(seconds=30)
    client.get(reverse("home"))
    assert client.session[SEEN] == first
    clock.advance(seconds=31)
    client.get(reverse("home"))
    assert client.session[SEEN] > first


def test_the_session_cookie_does_not_outlive_the_idle_limit_by_much(settings):
    assert settings.DUBAN_IDLE_MINUTES == 30
    assert 30 * 60 <= settings.SESSION_COOKIE_AGE <= 35 * 60
