"""API tokens: the second factor is asked for at POST /api/token/, tokens expire, are stored
hashed, are listed and revoked by their owner and the office, and their making, use and
revocation are audited."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import totp
from accounts.models import AccountSecurity, LoginFailure
from api.models import ApiToken, hash_secret
from audit.models import Entry
from tests.conftest import PASSWORD


def with_second_factor(user):
    secret = totp.new_secret()
    AccountSecurity.objects.create(user=user, totp_secret=secret, totp_enabled_at=timezone.now())
    return secret


def code_now(secret):
    return totp.totp(totp.key_of(secret), timezone.now().timestamp())


def ask(data):
    return APIClient().post(reverse("api_token"), data, format="json")


def households_with(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get(reverse("api_households"))


def test_it_refuses_a_token_for_the_password_alone_when_the_account_has_a_second_factor(world):
    with_second_factor(world.office)
    response = ask({"username": "office", "password": PASSWORD})
    assert response.status_code == 400
    assert "身份验证器" in str(response.json()["code"])
    assert "token" not in response.json()
    assert not ApiToken.objects.exists()


def test_it_refuses_a_wrong_code_and_counts_it_into_the_lockout(world):
    with_second_factor(world.office)
    response = ask({"username": "office", "password": PASSWORD, "code": "000000"})
    assert response.status_code == 400
    assert "验证码错误或已过期" in response.json()["detail"]
    assert not ApiToken.objects.exists()
    assert LoginFailure.objects.filter(username="office").count() == 1
    assert Entry.objects.filter(action=Entry.Action.LOGIN_FAILED, username="office").exists()


def test_it_locks_the_token_endpoint_after_too_many_wrong_codes(world, settings):
    settings.DUBAN_LOCKOUT_FAILURES = 2
    secret = with_second_factor(world.office)
    for _ in range(2):
        ask({"username": "office", "password": PASSWORD, "code": "000000"})
    response = ask({"username": "office", "password": PASSWORD, "code": code_now(secret)})
    assert response.status_code == 400 and "已锁定" in response.json()["detail"]
    assert not ApiToken.objects.exists()


def test_it_gives_a_token_for_the_password_and_the_current_code(world):
    secret = with_second_factor(world.office)
    response = ask({"username": "office", "password": PASSWORD, "code": code_now(secret), "name": "数据交换"})
    assert response.status_code == 200
    assert households_with(response.json()["token"]).status_code == 200
    assert ApiToken.objects.get().name == "数据交换"
    again = ask({"username": "office", "password": PASSWORD, "code": code_now(secret)})  # a code works once
    assert again.status_code == 400 and ApiToken.objects.count() == 1


def test_it_stores_only_the_hash_of_the_key(world):
    key = ask({"username": "owner", "password": PASSWORD}).json()["token"]
    token = ApiToken.objects.get()
    prefix, secret = key.split(".")
    assert token.prefix == prefix and token.secret_hash == hash_secret(secret)
    assert secret not in token.secret_hash and key not in str(list(ApiToken.objects.values()))


def test_it_gives_tokens_an_expiry_from_the_settings_bounded_by_the_maximum(world, settings):
    settings.DUBAN_API_TOKEN_DAYS, settings.DUBAN_API_TOKEN_MAX_DAYS = 90, 180
    ask({"username": "owner", "password": PASSWORD, "name": "默认"})
    ask({"username": "owner", "password": PASSWORD, "name": "七天", "days": 7})
    ask({"username": "owner", "password": PASSWORD, "name": "太久", "days": 5000})
    lifetimes = {t.name: (t.expires_at - t.created_at).days for t in ApiToken.objects.all()}
    assert lifetimes == {"默认": 90, "七天": 7, "太久": 180}


def test_it_refuses_an_expired_token_with_401(world):
    token, key = ApiToken.issue(world.owner, "旧")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = households_with(key)
    assert response.status_code == 401 and "已过期" in response.json()["detail"]


def test_it_refuses_a_revoked_token_with_401(world, login):
    token, key = ApiToken.issue(world.owner, "旧")
    assert households_with(key).status_code == 200
    login(world.owner).post(reverse("api_token_revoke", args=[token.pk]))
    assert households_with(key).status_code == 401


def test_it_refuses_a_wrong_secret_with_a_right_prefix(world):
    token, key = ApiToken.issue(world.owner, "旧")
    assert households_with(f"{token.prefix}.{'x' * 43}").status_code == 401
    assert households_with("garbage").status_code == 401


def test_it_audits_creation_first_use_and_revocation(world, login):
    key = ask({"username": "owner", "password": PASSWORD, "name": "接口"}).json()["token"]
    token = ApiToken.objects.get()
    notes = lambda: list(  # noqa: E731
        Entry.objects.filter(model="api.apitoken", object_id=str(token.pk))
        .order_by("at", "pk")
        .values_list("note", flat=True)
    )
    assert notes() == ["API token created"]
    for _ in range(3):
        assert households_with(key).status_code == 200
    assert notes() == ["API token created", "API token first used"]  # once, not per request
    token.refresh_from_db()
    assert token.last_used_at is not None
    login(world.owner).post(reverse("api_token_revoke", args=[token.pk]))
    assert notes() == ["API token created", "API token first used", "API token revoked"]
    assert Entry.objects.filter(note="API token revoked").get().username == "owner"


def test_it_updates_last_used_at_at_most_once_a_minute(world):
    token, key = ApiToken.issue(world.owner, "接口")
    households_with(key)
    first = ApiToken.objects.get().last_used_at
    households_with(key)
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    households_with(key)
    assert ApiToken.objects.get().last_used_at > first


def test_it_lets_a_logged_in_person_make_a_token_on_the_page_and_shows_the_key_once(world, login):
    client = login(world.office)
    page = client.post(reverse("api_tokens"), {"name": "县数据交换", "days": "30"})
    assert page.status_code == 200
    key = page.context["new_key"]
    assert key in page.content.decode()
    token = ApiToken.objects.get()
    assert (token.user, token.name, (token.expires_at - token.created_at).days) == (world.office, "县数据交换", 30)
    assert households_with(key).status_code == 200
    listing = client.get(reverse("api_tokens")).content.decode()
    assert "县数据交换" in listing and token.prefix in listing and key not in listing


def test_it_refuses_a_nameless_or_too_long_lived_token_on_the_page(world, login, settings):
    settings.DUBAN_API_TOKEN_MAX_DAYS = 100
    client = login(world.owner)
    nameless = client.post(reverse("api_tokens"), {"name": "  ", "days": "30"})
    assert nameless.status_code == 400 and "请给令牌起个名字" in nameless.content.decode()
    too_long = client.post(reverse("api_tokens"), {"name": "接口", "days": "101"})
    assert too_long.status_code == 400 and "100" in too_long.content.decode()
    assert not ApiToken.objects.exists()


def test_it_lists_only_the_owners_tokens_to_a_reporter(world, login):
    ApiToken.issue(world.owner, "我的")
    ApiToken.issue(world.colleague, "别人的")
    page = login(world.owner).get(reverse("api_tokens")).content.decode()
    assert "我的" in page and "别人的" not in page


def test_it_refuses_a_reporter_revoking_someone_elses_token(world, login):
    token, key = ApiToken.issue(world.colleague, "别人的")
    assert login(world.owner).post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None and households_with(key).status_code == 200


def test_it_lets_the_office_list_and_revoke_the_tokens_of_its_units_people(world, login):
    token, key = ApiToken.issue(world.owner, "甲指挥部接口")
    client = login(world.office)
    page = client.get(reverse("api_tokens"))
    assert "甲指挥部接口" in page.content.decode() and token in page.context["others"]
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == world.office and households_with(key).status_code == 401


def test_it_hides_another_zones_tokens_from_the_other_zone_office(world, login):
    token, key = ApiToken.issue(world.owner, "甲指挥部接口")
    client = login(world.other_office)
    assert "甲指挥部接口" not in client.get(reverse("api_tokens")).content.decode()
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_it_refuses_a_token_of_a_disabled_account(world):
    token, key = ApiToken.issue(world.owner, "接口")
    world.owner.is_active = False
    world.owner.save()
    assert households_with(key).status_code == 401


def test_it_makes_a_token_with_the_management_command(world, capsys):
    from django.core.management import call_command

    call_command("make_api_token", "owner", "--name", "备份机", "--days", "10")
    key = capsys.readouterr().out.strip()
    assert households_with(key).status_code == 200
    assert (ApiToken.objects.get().expires_at - timezone.now()).days == 9
