"""Log-in lockout: 5 failures within 15 minutes lock the account and the address for 15 minutes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import lockout
from accounts.models import LoginFailure
from audit.models import Entry
from tests.conftest import PASSWORD

LOCKED = "登录失败次数过多"


@pytest.fixture
def clock(monkeypatch):
    """Frozen time that a test moves on by hand (django.utils.timezone.now is what everything reads)."""

    class Clock:
        now = timezone.now()

        def advance(self, **kwargs):
            self.now += timedelta(**kwargs)

    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


def attempt(client, username, password, address="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, times, username="owner", address="10.0.0.1"):
    for _ in range(times):
        response = attempt(client, username, "wrong-password", address)
        assert response.status_code == 200
    return response


def test_a_wrong_password_says_so_in_chinese(world, client):
    response = fail(client, 1)
    assert "用户名或密码错误" in response.content.decode()
    assert LOCKED not in response.content.decode()


def test_five_failures_lock_the_account_for_fifteen_minutes(world, client, clock):
    response = fail(client, 4)
    assert LOCKED not in response.content.decode()
    response = fail(client, 1)
    assert LOCKED in response.content.decode()  # said at once, on the fifth failure

    # the right password from another address is refused while the account is locked
    response = attempt(client, "owner", PASSWORD, address="10.9.9.9")
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert LoginFailure.objects.filter(username="owner").count() == 5  # attempts while locked are not counted

    clock.advance(minutes=14, seconds=59)
    assert LOCKED in attempt(client, "owner", PASSWORD, address="10.9.9.9").content.decode()

    clock.advance(seconds=2)  # 15 minutes after the last failure
    response = attempt(client, "owner", PASSWORD, address="10.9.9.9")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert LoginFailure.objects.filter(username="owner").count() == 0  # a success clears the account's count


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(world, client, clock):
    for _ in range(5):
        fail(client, 1)
        clock.advance(minutes=4)
    assert lockout.locked_until("owner", "10.0.0.1") is None
    assert attempt(client, "owner", PASSWORD).status_code == 302


def test_the_lock_is_per_account(world, client, clock):
    fail(client, 5, username="owner", address="10.0.0.1")
    response = attempt(client, "colleague", PASSWORD, address="10.0.0.2")
    assert response.status_code == 302  # another account from another address is not affected


def test_five_failures_from_one_address_lock_the_address(world, client, clock):
    for name in ("a", "b", "c", "d", "e"):  # five different (unknown) user names, one address
        fail(client, 1, username=name, address="10.0.0.7")
    response = attempt(client, "owner", PASSWORD, address="10.0.0.7")
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert attempt(client, "owner", PASSWORD, address="10.0.0.8").status_code == 302  # elsewhere: fine
    client.logout()
    clock.advance(minutes=15, seconds=1)
    assert attempt(client, "owner", PASSWORD, address="10.0.0.7").status_code == 302


def test_the_lock_works_for_the_test_client_login_and_the_admin_too(world, client, clock):
    fail(client, 5)
    assert client.login(username="owner", password=PASSWORD) is False
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login") + "?next=/admin/")


def test_failed_and_locked_attempts_are_in_the_audit_trail(world, client, clock):
    fail(client, 5)
    attempt(client, "owner", PASSWORD)
    failed = Entry.objects.filter(action=Entry.Action.LOGIN_FAILED, username="owner")
    assert failed.count() == 6
    assert failed.filter(note="locked").count() == 1
    assert set(failed.values_list("address", flat=True)) == {"10.0.0.1"}


def test_user_names_are_counted_case_insensitively(world, client, clock):
    for name in ("Owner", "OWNER", "owner ", "owner", "oWner"):
        attempt(client, name, "nope", address=f"10.1.0.{len(name)}")
    assert lockout.locked_until("owner", None) is not None


def test_old_failures_are_pruned(world, clock):
    lockout.record_failure("owner", "10.0.0.1")
    clock.advance(days=2)
    lockout.record_failure("owner", "10.0.0.1")
    assert LoginFailure.objects.count() == 1
