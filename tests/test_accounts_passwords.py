"""Password rules, password history and the forced change of a password somebody else set."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.models import AccountSecurity, PasswordHistory
from accounts.receivers import MUST_CHANGE
from accounts.validators import character_classes
from tests.conftest import PASSWORD


def messages_of(password, user=None):
    try:
        with translation.override("zh-hans"):
            validate_password(password, user)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


@pytest.mark.parametrize(
    "password, expected",
    [
        ("Ab1-x", "密码太短"),  # too short
        ("abcdefghijkl", "至少包含"),  # one class only
        ("abcdefgh1234", "至少包含"),  # two classes
    ],
)
def test_weak_passwords_are_refused_with_a_chinese_reason(db, password, expected):
    assert expected in messages_of(password)


def test_a_long_password_of_three_kinds_passes(db):
    assert messages_of("Stone-river-2031") == ""
    assert character_classes("Stone-river-2031") == 4
    assert character_classes("abc123") == 2


def change(client, old, new):
    return client.post(reverse("password_change"), {"old_password": old, "new_password1": new, "new_password2": new})


def test_none_of_the_last_five_passwords_may_come_back(world, client):
    user = world.owner
    client.force_login(user)
    passwords = [PASSWORD] + [f"Harbour-bridge-{n}x" for n in range(1, 6)]
    for old, new in zip(passwords, passwords[1:], strict=False):
        response = change(client, old, new)
        assert response.status_code == 302, response.content.decode()
    assert PasswordHistory.objects.filter(user=user).count() == 5  # only the last five are kept
    current = passwords[-1]
    for reused in passwords[-5:]:
        response = change(client, current, reused)
        assert response.status_code == 200
        assert "不能与最近 5 次使用过的密码相同" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(current)  # nothing changed
    # the sixth-last is out of the history again
    assert change(client, current, passwords[0] + "Q").status_code == 302


def test_a_wrong_current_password_changes_nothing(world, client):
    client.force_login(world.owner)
    response = change(client, "not-my-password", "Harbour-bridge-77")
    assert response.status_code == 200
    assert "旧密码不正确" in response.content.decode()
    world.owner.refresh_from_db()
    assert world.owner.check_password(PASSWORD)


def test_creating_a_user_in_code_keeps_demo_style_passwords_usable(db):
    user = get_user_model().objects.create_user("demo", password="duban-demo")
    assert user.check_password("duban-demo")
    assert not AccountSecurity.objects.filter(user=user, must_change_password=True).exists()


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("root", password=PASSWORD)


def test_a_password_set_by_an_administrator_must_be_changed_at_the_next_log_in(world, client, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_password_change", args=[world.owner.pk])
    response = client.post(url, {"password1": "Temporary-pass-9", "password2": "Temporary-pass-9"})
    assert response.status_code == 302
    assert AccountSecurity.objects.get(user=world.owner).must_change_password
    client.logout()

    response = client.post(reverse("login"), {"username": "owner", "password": "Temporary-pass-9"})
    assert response.status_code == 302
    for name in ("home", "my_reports", "campaign_list"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"] == reverse("password_change")
    page = client.get(reverse("password_change")).content.decode()
    assert "您的密码是他人设置的" in page

    response = change(client, "Temporary-pass-9", "My-own-secret-42")
    assert response.status_code == 302
    assert not AccountSecurity.objects.get(user=world.owner).must_change_password
    assert MUST_CHANGE not in client.session
    assert client.get(reverse("home")).status_code == 200


def test_a_user_added_in_the_admin_must_change_the_password(db, client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newbie",
            "password1": "Initial-pass-77",
            "password2": "Initial-pass-77",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    newbie = get_user_model().objects.get(username="newbie")
    assert AccountSecurity.objects.get(user=newbie).must_change_password


def test_the_admin_refuses_a_weak_password(world, client, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_password_change", args=[world.owner.pk])
    response = client.post(url, {"password1": "short", "password2": "short"})
    assert response.status_code == 200
    assert "密码太短" in response.content.decode()
    world.owner.refresh_from_db()
    assert world.owner.check_password(PASSWORD)


def test_the_password_page_needs_a_log_in(db, client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
