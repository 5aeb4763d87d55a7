"""The optional second factor (TOTP, RFC 6238) for the office and administrators."""

import hashlib
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from accounts import totp
from accounts.models import AccountSecurity
from accounts.views import ENROL
from audit.models import Entry
from tests.conftest import PASSWORD

# RFC 6238, appendix B: the seeds are the ASCII strings "1234567890" repeated.
SHA1_KEY = b"12345678901234567890"
SHA256_KEY = b"12345678901234567890123456789012"
SHA512_KEY = b"1234567890123456789012345678901234567890123456789012345678901234"
VECTORS = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]


@pytest.mark.parametrize("at, sha1, sha256, sha512", VECTORS)
def test_rfc_6238_test_vectors(at, sha1, sha256, sha512):
    assert totp.totp(SHA1_KEY, at, digits=8) == sha1
    assert totp.totp(SHA256_KEY, at, digits=8, digest=hashlib.sha256) == sha256
    assert totp.totp(SHA512_KEY, at, digits=8, digest=hashlib.sha512) == sha512


def test_rfc_4226_hotp_vectors():
    expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
    assert [totp.hotp(SHA1_KEY, n) for n in range(10)] == expected


def test_verify_allows_one_step_of_drift_and_each_code_once():
    secret = totp.new_secret()
    key = totp.key_of(secret)
    now = 1_700_000_000
    step = totp.step_at(now)
    assert totp.verify(secret, totp.hotp(key, step), now) == step
    assert totp.verify(secret, totp.hotp(key, step - 1), now) == step - 1
    assert totp.verify(secret, totp.hotp(key, step + 1), now) == step + 1
    assert totp.verify(secret, totp.hotp(key, step - 2), now) is None
    assert totp.verify(secret, totp.hotp(key, step), now, last_step=step) is None  # used already
    assert totp.verify(secret, "12ab56", now) is None
    assert totp.verify(secret, "", now) is None


def code_now(secret):
    return totp.totp(totp.key_of(secret), timezone.now().timestamp())


def enrol(client):
    page = client.get(reverse("account_security"))
    assert page.status_code == 200
    secret = client.session[ENROL]
    uri = urlparse(page.context["uri"])
    assert uri.scheme == "otpauth" and parse_qs(uri.query)["secret"] == [secret]
    assert secret[:4] in page.content.decode()
    response = client.post(reverse("account_security"), {"code": code_now(secret)})
    assert response.status_code == 302
    return secret


def test_the_office_turns_it_on_and_then_logs_in_in_two_steps(world, client):
    client.force_login(world.office)
    assert "尚未启用第二步验证" in client.get(reverse("account_security")).content.decode()
    bad = client.post(reverse("account_security"), {"code": "000000"})
    assert "验证码错误或已过期" in bad.content.decode()
    assert not AccountSecurity.objects.get(user=world.office).totp_enabled
    secret = enrol(client)
    security = AccountSecurity.objects.get(user=world.office)
    assert security.totp_enabled and security.totp_secret == secret
    assert Entry.objects.filter(action=Entry.Action.SECURITY, note="second factor added").exists()
    client.logout()

    response = client.post(reverse("login") + "?next=/office/", {"username": "office", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("login_verify")
    assert "_auth_user_id" not in client.session  # not logged in yet
    assert client.get(reverse("home")).status_code == 302

    wrong = client.post(reverse("login_verify"), {"code": "123456"})
    assert "验证码错误或已过期" in wrong.content.decode()
    malformed = client.post(reverse("login_verify"), {"code": "12"})
    assert "请输入身份验证器显示的 6 位数字" in malformed.content.decode()
    assert "_auth_user_id" not in client.session

    # the code used to turn it on cannot be replayed within its step; wait for a fresh one
    AccountSecurity.objects.filter(pk=security.pk).update(totp_last_step=0)
    response = client.post(reverse("login_verify"), {"code": code_now(secret)})
    assert response.status_code == 302 and response["Location"] == "/office/"
    assert client.session["_auth_user_id"] == str(world.office.pk)

    client.logout()
    client.post(reverse("login"), {"username": "office", "password": PASSWORD})
    replay = client.post(reverse("login_verify"), {"code": code_now(secret)})
    assert replay.status_code == 200 and "_auth_user_id" not in client.session


def test_wrong_codes_count_towards_the_lockout(world, client):
    client.force_login(world.office)
    enrol(client)
    client.logout()
    client.post(reverse("login"), {"username": "office", "password": PASSWORD})
    for _ in range(5):
        response = client.post(reverse("login_verify"), {"code": "000000"})
    assert "登录失败次数过多" in response.content.decode()
    assert Entry.objects.filter(action=Entry.Action.LOGIN_FAILED, note="second factor").count() == 5


def test_the_verify_step_without_a_password_first_goes_back_to_log_in(db, client):
    response = client.get(reverse("login_verify"))
    assert response.status_code == 302 and response["Location"] == reverse("login")


def test_turning_it_off_needs_a_current_code(world, client):
    client.force_login(world.office)
    secret = enrol(client)
    AccountSecurity.objects.filter(user=world.office).update(totp_last_step=0)
    refused = client.post(reverse("account_security"), {"code": "000000"})
    assert refused.status_code == 200 and AccountSecurity.objects.get(user=world.office).totp_enabled
    response = client.post(reverse("account_security"), {"code": code_now(secret)})
    assert response.status_code == 302
    assert not AccountSecurity.objects.get(user=world.office).totp_enabled


@pytest.mark.parametrize("name", ["owner", "colleague", "outsider", "leader"])
def test_reporters_and_leaders_have_no_second_factor_page(world, client, name):
    client.force_login(getattr(world, name))
    assert client.get(reverse("account_security")).status_code == 403
    assert client.post(reverse("account_security"), {"code": "123456"}).status_code == 403


def test_a_superuser_may_turn_it_on(db, client):
    root = get_user_model().objects.create_superuser("root", password=PASSWORD)
    client.force_login(root)
    assert client.get(reverse("account_security")).status_code == 200


def test_anonymous_users_are_sent_to_log_in(db, client):
    response = client.get(reverse("account_security"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
