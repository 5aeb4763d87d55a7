"""Searching households by ID or phone number (requisition.search): a whole number, or its last 4
characters, never a part of the masked digits — the attack that rebuilt a full ID number from
its masked form in 48 searches finds nothing; a search by a full number is logged as a look at
personal data; searches are throttled per user, pages and API together."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from duban import personal
from org.models import Membership, OrgUnit
from requisition import ids
from requisition.models import Household, RevealLog
from tests.conftest import make_user

BODY = "71010119900307344"
ID = BODY + ids.check_char(BODY)  # 710101199003073448-like: a valid number
PHONE = "13812345678"
DIGITS = "0123456789X"


@pytest.fixture
def ledger(world):
    village = OrgUnit.objects.create(name="江尾村", kind=OrgUnit.Kind.VILLAGE, parent=world.a)
    target = Household.objects.create(village=village, number="001", head_name="张三", id_number=ID, phone=PHONE)
    Household.objects.create(village=village, number="002", head_name="李四", id_number="", phone="")
    worker = make_user("worker", village, Membership.Role.REPORTER)
    return village, target, worker


@pytest.fixture
def many(settings):
    settings.DUBAN_HOUSEHOLD_SEARCH_RATE = "10000/hour"  # the matching alone, not the throttle


def attack(found):
    """The probe's reconstruction: from the visible last 4 characters, prepend each digit in
    turn and keep the one the search still finds; returns the ending recovered and the calls."""
    known, calls = ID[-ids_tail() :], 0
    while len(known) < len(ID):
        for digit in DIGITS:
            calls += 1
            if found(digit + known):
                known = digit + known
                break
        else:
            break
    return known, calls


def ids_tail():
    return len(personal.mask_id(ID)) - personal.mask_id(ID).rindex("*") - 1


def api_found(client, target):
    def found(q):
        response = client.get(reverse("api_households"), {"q": q})
        assert response.status_code == 200
        return target.pk in {row["id"] for row in response.json()["results"]}

    return found


def test_it_gives_a_leader_nothing_of_the_masked_id_on_the_api(world, ledger, many):
    _village, target, _worker = ledger
    client = APIClient()
    client.force_login(world.leader)
    known, calls = attack(api_found(client, target))
    assert known == ID[-4:]  # nothing beyond what the masked form shows
    assert calls == len(DIGITS)


def test_it_gives_a_field_worker_nothing_of_the_masked_id_on_the_field_page(client, ledger, many):
    village, target, worker = ledger
    client.force_login(worker)

    def found(q):
        response = client.get(reverse("requisition_field"), {"village": village.pk, "q": q})
        assert response.status_code == 200
        return target.pk in {h.pk for h, _next in response.context["found"]}

    known, _calls = attack(found)
    assert known == ID[-4:]


def test_it_gives_nothing_of_the_masked_id_on_the_village_page(world, client, ledger, many):
    village, target, _worker = ledger
    client.force_login(world.leader)

    def found(q):
        response = client.get(reverse("requisition_unit", args=[village.pk]), {"q": q})
        assert response.status_code == 200
        return target.pk in {h.pk for h, *_masked in response.context["rows"]}

    known, _calls = attack(found)
    assert known == ID[-4:]


def test_it_finds_by_the_whole_id_or_phone_or_their_last_four(world, ledger, many):
    _village, target, _worker = ledger
    client = APIClient()
    client.force_login(world.leader)
    found = api_found(client, target)
    assert found(ID) and found(ID.lower()) and found(ID[-4:])
    assert found(PHONE) and found(PHONE[-4:])
    assert not found(ID[-5:]) and not found(ID[-6:]) and not found(ID[:17])
    assert not found(PHONE[-5:]) and not found(PHONE[:7]) and not found(PHONE[3:7])
    assert found("张") and found("001")  # names and household numbers as before


def test_it_logs_a_search_by_a_full_id_as_a_look_at_personal_data(world, ledger, many):
    _village, target, _worker = ledger
    client = APIClient()
    client.force_login(world.leader)
    client.get(reverse("api_households"), {"q": ID[-4:]})
    client.get(reverse("api_households"), {"q": "张三"})
    assert not RevealLog.objects.exists()
    client.get(reverse("api_households"), {"q": ID})
    log = RevealLog.objects.get()
    assert (log.household_id, log.user, log.field) == (target.pk, world.leader, "id_number")


def test_it_logs_a_search_by_a_full_phone_on_the_field_page(client, ledger, many):
    village, target, worker = ledger
    client.force_login(worker)
    client.get(reverse("requisition_field"), {"village": village.pk, "q": PHONE})
    log = RevealLog.objects.get()
    assert (log.household_id, log.user, log.field) == (target.pk, worker, "phone")


def test_it_throttles_household_searches_on_the_api(world, ledger, settings):
    settings.DUBAN_HOUSEHOLD_SEARCH_RATE = "5/hour"
    client = APIClient()
    client.force_login(world.leader)
    statuses = [client.get(reverse("api_households"), {"q": f"{n}440"}).status_code for n in range(6)]
    assert statuses == [200] * 5 + [429]
    response = client.get(reverse("api_households"), {"q": "3448"})
    assert response.status_code == 429
    assert response.json()["detail"].startswith("查询住户过于频繁，请稍后再查。")
    assert client.get(reverse("api_households")).status_code == 200  # a list without a search is not counted


def test_it_counts_the_field_page_and_the_api_together(client, ledger, settings):
    village, _target, worker = ledger
    settings.DUBAN_HOUSEHOLD_SEARCH_RATE = "3/hour"
    client.force_login(worker)
    for n in range(2):
        assert client.get(reverse("requisition_field"), {"village": village.pk, "q": f"{n}440"}).status_code == 200
    assert client.get(reverse("api_households"), {"q": "2440"}).status_code == 200
    response = client.get(reverse("requisition_field"), {"village": village.pk, "q": "3440"})
    assert response.status_code == 429
    assert "查询住户过于频繁，请稍后再查。" in response.content.decode()
    assert client.get(reverse("requisition_field"), {"village": village.pk}).status_code == 200
