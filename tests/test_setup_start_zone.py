import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import AccountSecurity
from org.models import Membership, OrgUnit

pytestmark = pytest.mark.django_db


def start(*args):
    out = StringIO()
    call_command("start_zone", *args, stdout=out)
    return out.getvalue()


def fingerprint():
    return (OrgUnit.objects.count(), get_user_model().objects.count(), Membership.objects.count())


def test_it_makes_the_zone_and_its_office_with_a_first_password_shown_once(client):
    out = start("新安县", "--office", "xa-office", "--name", "新安县攻坚办")
    password = re.search(r"初始密码\s*(\S+)", out).group(1)
    zone = OrgUnit.objects.get(name="新安县", parent=None)
    user = get_user_model().objects.get(username="xa-office")
    assert zone.kind == OrgUnit.Kind.ZONE and user.first_name == "新安县攻坚办"
    assert Membership.objects.filter(user=user, unit=zone, role=Membership.Role.OFFICE).exists()
    assert AccountSecurity.objects.get(user=user).must_change_password
    assert "只显示这一次" in out
    assert client.login(username="xa-office", password=password)
    first = client.get(reverse("setup"))
    assert first.status_code == 302 and "password" in first.url  # made to change the first password


@pytest.mark.parametrize(
    "args, message",
    [
        (["涵江区", "--office", "new-office"], "已有名为“涵江区”的区县"),
        (["新安县", "--office", "taken"], "用户名“taken”已被使用"),
        (["  ", "--office", "x-office"], "请填写区县名称"),
        (["新安县", "--office", "  "], "请填写办公室账号的用户名"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_changes_nothing(args, message):
    OrgUnit.objects.create(name="涵江区", kind=OrgUnit.Kind.ZONE)
    get_user_model().objects.create_user("taken", password="x")
    before = fingerprint()
    with pytest.raises(CommandError, match=message):
        start(*args)
    assert fingerprint() == before
