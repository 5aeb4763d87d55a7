"""Compensation sheets: each item by hand, reward windows at their edges, capitals (大写),
freezing at signing, and the page / Word / PDF with their permissions."""

import re
import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from duban.rmb import rmb_upper
from org.models import OrgUnit
from requisition import compensation, stages
from requisition.models import CompensationScheme, CompensationSheet, Household, ResettlementChoice, Stage

D = Decimal
SIGN_START = date(2021, 3, 1)


def make_scheme(unit, **fields):
    values = {
        "name": "测试片区征收补偿方案",
        "unit": unit,
        "effective_from": date(2021, 1, 1),
        "sign_start": SIGN_START,
        "decoration_rate": D("300"),
        "moving_rate": D("20"),
        "moving_minimum": D("3000"),
        "temporary_rate": D("10"),
        "temporary_months": 24,
        "reward_windows": [[30, 30000], [45, 20000]],
        "stoppage_rate": D("400"),
        "flat_price": D("6000"),
        "swap_ratio": D("1.2"),
    }
    values.update(fields)
    return CompensationScheme.objects.create(**values)


def make_household(village, number="001", **fields):
    values = {
        "head_name": "林阿福",
        "id_number": "350100196501011234",
        "phone": "13905912345",
        "legal_area": D("120"),
        "assessed_price": D("5800"),
        "stage": Stage.ASSESSED,
        "visited_on": date(2021, 1, 5),
        "measured_on": date(2021, 1, 10),
        "measured_area": D("130"),
        "assessed_on": date(2021, 2, 1),
    }
    values.update(fields)
    return Household.objects.create(village=village, number=number, **values)


def signed(household, on):
    household.stage, household.signed_on = Stage.SIGNED, on
    return household


def amounts(sheet):
    return {item.code: item.amount for item in sheet.items}


@pytest.fixture
def village(world):
    return OrgUnit.objects.create(name="江尾村", kind=OrgUnit.Kind.VILLAGE, parent=world.a1)


@pytest.fixture
def scheme(world):
    return make_scheme(world.a)


# Each item by hand -----------------------------------------------------------------------------


def test_it_computes_each_item_of_a_money_household(village, scheme):
    household = signed(make_household(village), SIGN_START + timedelta(days=10))
    sheet = compensation.compute(household, scheme)
    assert amounts(sheet) == {
        "house_value": D("696000.00"),  # 120 × 5,800
        "decoration": D("36000.00"),  # 120 × 300
        "moving": D("3000.00"),  # 120 × 20 = 2,400, below the 3,000 minimum
        "reward": D("30000.00"),  # day 11, within 30 days
    }
    assert sheet.total == D("765000.00")
    assert sheet.total_upper == "柒拾陆万伍仟元整"
    house = sheet.items[0]
    assert house.name == "被征收房屋价值补偿"
    assert house.formula == "合法面积 × 评估单价"
    assert house.inputs == "120.00 m² × 5,800.00 元/m²"
    moving = sheet.items[2]
    assert "2,400.00" in moving.inputs and "3,000.00" in moving.inputs and "最低" in moving.inputs


def test_it_pays_the_moving_fee_by_area_above_the_minimum(village, scheme):
    household = make_household(village, legal_area=D("200"))
    assert amounts(compensation.compute(household, scheme, on=SIGN_START))["moving"] == D("4000.00")


def test_temporary_resettlement_and_price_difference_are_for_a_swap_only(village, scheme):
    money = signed(make_household(village, "001"), SIGN_START)
    swap = signed(make_household(village, "002", compensation=Household.Compensation.SWAP), SIGN_START)
    assert not {"temporary", "swap_difference"} & set(amounts(compensation.compute(money, scheme)))
    items = amounts(compensation.compute(swap, scheme))
    assert "house_value" not in items  # the house is exchanged for flat area, not paid for
    assert items["temporary"] == D("28800.00")  # 120 × 10 × 24
    assert items["swap_difference"] == D("0.00")  # no flat chosen yet
    assert "尚未选房" in compensation.compute(swap, scheme).items[-2].inputs


def test_price_difference_of_the_chosen_flat(village, scheme):
    swap = signed(make_household(village, compensation=Household.Compensation.SWAP), SIGN_START)
    # entitled area 120 × 1.2 = 144 m²; a bigger flat costs the family, a smaller one pays it
    assert amounts(compensation.compute(swap, scheme, flat_area=D("150")))["swap_difference"] == D("-36000.00")
    assert amounts(compensation.compute(swap, scheme, flat_area=D("130")))["swap_difference"] == D("84000.00")
    ResettlementChoice.objects.create(household=swap, area=D("144.5"), flat="3号楼502")
    sheet = compensation.compute(swap, scheme)
    assert amounts(sheet)["swap_difference"] == D("-3000.00")
    assert sheet.items[-2].inputs.startswith("(144.00 m² − 144.50 m²) × 6,000.00 元/m²")
    # decoration 36,000 + moving 3,000 + temporary 28,800 − 3,000 + reward 30,000
    assert sheet.total == D("94800.00")


def test_stoppage_loss_is_for_non_residential_use_only(village, scheme):
    home = make_household(village, "001")
    shop = make_household(village, "002", use=Household.Use.NON_RESIDENTIAL)
    assert "stoppage" not in amounts(compensation.compute(home, scheme, on=SIGN_START))
    assert amounts(compensation.compute(shop, scheme, on=SIGN_START))["stoppage"] == D("48000.00")  # 120 × 400


def test_components_the_scheme_does_not_have_are_left_off(village, world):
    bare = make_scheme(world.a, decoration_rate=0, moving_rate=0, moving_minimum=0, reward_windows=[])
    assert [i.code for i in compensation.compute(make_household(village), bare).items] == ["house_value"]


def test_amounts_round_half_up_to_the_fen(village, world):
    scheme = make_scheme(world.a, decoration_rate=D("0.50"))
    household = make_household(village, legal_area=D("1.01"))
    assert amounts(compensation.compute(household, scheme, on=SIGN_START))["decoration"] == D("0.51")  # 0.505


@pytest.mark.parametrize(
    ("signed_on", "day", "reward"),
    [
        (SIGN_START - timedelta(days=3), 1, "30000.00"),  # before the window opens: day 1
        (SIGN_START, 1, "30000.00"),
        (SIGN_START + timedelta(days=29), 30, "30000.00"),
        (SIGN_START + timedelta(days=30), 31, "20000.00"),
        (SIGN_START + timedelta(days=44), 45, "20000.00"),
        (SIGN_START + timedelta(days=45), 46, "0.00"),
    ],
)
def test_reward_windows_at_their_edges(village, scheme, signed_on, day, reward):
    household = signed(make_household(village), signed_on)
    item = next(i for i in compensation.compute(household, scheme).items if i.code == "reward")
    assert item.values["day"] == day
    assert item.amount == D(reward)
    assert f"第 {day} 天" in item.inputs


def test_an_unsigned_household_sees_the_reward_as_if_it_signed_on_the_day(village, scheme):
    household = make_household(village)
    sheet = compensation.compute(household, scheme, on=SIGN_START + timedelta(days=40))
    assert sheet.forecast and amounts(sheet)["reward"] == D("20000.00")
    assert "测算" in sheet.items[-1].inputs


def test_reward_windows_are_checked(world):
    scheme = CompensationScheme(
        name="x", unit=world.a, effective_from=SIGN_START, sign_start=SIGN_START, reward_windows=[[30, "abc"]]
    )
    with pytest.raises(Exception, match="reward_windows"):
        scheme.full_clean()
    scheme.reward_windows = [[0, 100]]
    with pytest.raises(Exception, match="reward_windows"):
        scheme.full_clean()
    scheme.reward_windows = [[45, "20000.50"], [30, 30000]]
    scheme.full_clean()
    assert compensation.parse_windows(scheme.reward_windows) == [(30, D("30000.00")), (45, D("20000.50"))]


# Which scheme ----------------------------------------------------------------------------------


def test_the_most_specific_scheme_in_effect_applies(world, village):
    zone_wide = make_scheme(world.zone, name="全区方案")
    post = make_scheme(world.a, name="甲指挥部方案", effective_from=date(2021, 2, 1))
    household = make_household(village)
    assert compensation.scheme_for(household, date(2021, 2, 1)) == post
    assert compensation.scheme_for(household, date(2021, 1, 31)) == zone_wide  # the post's not yet in effect
    elsewhere = OrgUnit.objects.create(name="乙村", kind=OrgUnit.Kind.VILLAGE, parent=world.b)
    assert compensation.scheme_for(make_household(elsewhere), date(2021, 6, 1)) == zone_wide
    outside = OrgUnit.objects.create(name="丙村", kind=OrgUnit.Kind.VILLAGE, parent=world.c)
    assert compensation.scheme_for(make_household(outside), date(2021, 6, 1)) is None


# Properties ------------------------------------------------------------------------------------

money_st = st.decimals(min_value=0, max_value=100_000, places=2)


@settings(max_examples=200, deadline=None)
@given(
    legal=st.decimals(min_value=0, max_value=5_000, places=2),
    price=money_st,
    rates=st.lists(money_st, min_size=6, max_size=6),
    months=st.integers(0, 60),
    ratio=st.decimals(min_value=D("0.5"), max_value=2, places=4),
    flat=st.none() | st.decimals(min_value=0, max_value=5_000, places=2),
    swap=st.booleans(),
    shop=st.booleans(),
    day=st.integers(-10, 100),
)
def test_the_total_is_the_sum_of_items_in_fen(legal, price, rates, months, ratio, flat, swap, shop, day):
    scheme = CompensationScheme(
        pk=1,
        name="s",
        effective_from=SIGN_START,
        sign_start=SIGN_START,
        decoration_rate=rates[0],
        moving_rate=rates[1],
        moving_minimum=rates[2],
        temporary_rate=rates[3],
        temporary_months=months,
        stoppage_rate=rates[4],
        flat_price=rates[5],
        swap_ratio=ratio,
        reward_windows=[[30, 30000], [45, 20000]],
    )
    household = Household(
        legal_area=legal,
        assessed_price=price,
        compensation=Household.Compensation.SWAP if swap else Household.Compensation.MONEY,
        use=Household.Use.NON_RESIDENTIAL if shop else Household.Use.RESIDENTIAL,
        stage=Stage.SIGNED,
        signed_on=SIGN_START + timedelta(days=day),
    )
    sheet = compensation.compute(household, scheme, flat_area=flat)
    codes = [i.code for i in sheet.items]
    assert sheet.total == sum(i.amount for i in sheet.items)
    assert all(i.amount.as_tuple().exponent == -2 for i in sheet.items)
    assert sheet.total.as_tuple().exponent == -2
    assert ("house_value" in codes) is not swap
    if swap:
        assert "swap_difference" in codes
    else:
        assert "temporary" not in codes and "swap_difference" not in codes
    assert ("stoppage" in codes) is (shop and rates[4] > 0)
    assert all(i.amount >= 0 for i in sheet.items if i.code != "swap_difference")
    assert sheet.items[-1].amount == (D("30000") if day < 30 else D("20000") if day < 45 else D("0"))
    again = compensation.Statement.from_json(sheet.to_json())
    assert [(i.code, i.amount, i.inputs) for i in again.items] == [(i.code, i.amount, i.inputs) for i in sheet.items]


# 大写 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1234567.89", "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"),
        ("100", "壹佰元整"),
        ("0", "零元整"),
        ("10000.05", "壹万元零伍分"),
        ("100000000", "壹亿元整"),
        ("-36000", "负叁万陆仟元整"),
        ("0.50", "伍角整"),
        ("0.05", "伍分"),
        ("10", "壹拾元整"),
        ("15.30", "壹拾伍元叁角整"),
        ("1001", "壹仟零壹元整"),
        ("100001", "壹拾万零壹元整"),
        ("10010000", "壹仟零壹万元整"),
        ("10001000", "壹仟万壹仟元整"),
        ("100000001", "壹亿零壹元整"),
        ("120000005", "壹亿贰仟万零伍元整"),
        ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
        ("1000000000000", "壹万亿元整"),
        ("0.005", "壹分"),  # rounded half-up first
    ],
)
def test_rmb_upper_known_amounts(amount, words):
    assert rmb_upper(D(amount)) == words


DIGITS = {c: n for n, c in enumerate("零壹贰叁肆伍陆柒捌玖")}


def parse_upper(text):
    """The test's own reader of capitals, back to a Decimal (zeros are only read as place holders)."""
    sign = 1
    if text.startswith("负"):
        sign, text = -1, text[1:]
    whole, _, rest = text.rpartition("元") if "元" in text else ("", "", text)

    def section(s):
        total = digit = 0
        for ch in s:
            if ch in DIGITS:
                digit = DIGITS[ch]
            else:
                total += digit * {"拾": 10, "佰": 100, "仟": 1000}[ch]
                digit = 0
        return total + digit

    def number(s):
        if "亿" in s:
            high, low = s.rsplit("亿", 1)
            return number(high) * 10**8 + number(low)
        if "万" in s:
            high, low = s.split("万")
            return section(high) * 10**4 + section(low)
        return section(s)

    rest = rest.removesuffix("整").removeprefix("零")
    cents = 0
    for unit, factor in (("角", 10), ("分", 1)):
        if unit in rest:
            digit, rest = rest.split(unit)
            cents += DIGITS[digit] * factor
    assert rest == ""
    return sign * (D(number(whole)) + D(cents) / 100)


@settings(max_examples=500, deadline=None)
@given(st.integers(min_value=-(10**14), max_value=10**14))
def test_rmb_upper_reads_back_and_keeps_its_shape(fen):
    amount = D(fen) / 100
    words = rmb_upper(amount)
    assert parse_upper(words) == amount
    assert words.endswith("分") or words.endswith("整")
    assert words.endswith("整") == (fen % 10 == 0)
    assert "零零" not in words
    if fen:
        assert not re.search(r"零[拾佰仟万亿元角分]", words)  # a zero is never followed by a place
    assert not re.search(r"(^|[^壹贰叁肆伍陆柒捌玖])拾", words)  # ten is 壹拾
    if fen:
        assert not words.removeprefix("负").startswith("零")


# Freezing at signing ---------------------------------------------------------------------------


def test_signing_freezes_the_sheet_and_a_scheme_change_does_not_rewrite_it(world, village, scheme):
    household = make_household(village, "001")
    waiting = make_household(village, "002")
    stages.advance(household, Stage.SIGNED, SIGN_START + timedelta(days=5), world.owner, today=date(2021, 6, 1))
    frozen = CompensationSheet.objects.get(household=household)
    assert frozen.total == D("765000.00") and frozen.scheme == scheme
    before = compensation.sheet_for(waiting, on=SIGN_START)

    scheme.decoration_rate = D("500")
    scheme.save()

    household.refresh_from_db()
    sheet = compensation.sheet_for(household)
    assert sheet.frozen and sheet.total == D("765000.00")
    assert amounts(sheet)["decoration"] == D("36000.00")
    assert compensation.freeze(household).pk == frozen.pk  # calling it again changes nothing
    after = compensation.sheet_for(waiting, on=SIGN_START)
    assert not after.frozen
    assert amounts(after)["decoration"] - amounts(before)["decoration"] == D("24000.00")  # 120 × 200


def test_undoing_a_signing_and_signing_again_makes_a_new_sheet(world, village, scheme):
    household = make_household(village)
    today = date(2021, 6, 1)
    stages.advance(household, Stage.SIGNED, SIGN_START, world.owner, today=today)
    stages.step_back(household, Stage.ASSESSED, world.owner, "协议填错", today=today)
    household.refresh_from_db()
    assert not compensation.sheet_for(household, on=SIGN_START + timedelta(days=40)).frozen
    stages.advance(household, Stage.SIGNED, SIGN_START + timedelta(days=40), world.owner, today=today)
    household.refresh_from_db()
    sheet = compensation.sheet_for(household)
    assert sheet.frozen and amounts(sheet)["reward"] == D("20000.00")
    assert CompensationSheet.objects.filter(household=household).count() == 1


def test_a_household_signed_before_any_scheme_is_computed_and_says_so(world, village, login):
    household = make_household(village)
    stages.advance(household, Stage.SIGNED, SIGN_START, world.owner, today=date(2021, 6, 1))
    assert not CompensationSheet.objects.exists()
    make_scheme(world.a)
    household.refresh_from_db()
    sheet = compensation.sheet_for(household)
    assert not sheet.frozen and not sheet.forecast and sheet.total == D("765000.00")
    page = login(world.owner).get(reverse("household_sheet", args=[household.pk])).content.decode()
    assert "未确定" in page


def test_signing_without_a_scheme_freezes_nothing(world):
    outside = OrgUnit.objects.create(name="丙村", kind=OrgUnit.Kind.VILLAGE, parent=world.c)
    household = make_household(outside)
    stages.advance(household, Stage.SIGNED, SIGN_START, world.outsider, today=date(2021, 6, 1))
    assert not CompensationSheet.objects.exists()


# Page, Word, PDF -------------------------------------------------------------------------------


@pytest.fixture
def household(village, scheme):
    return make_household(village, head_name="林阿福")


@pytest.mark.parametrize("name", ["household_sheet", "household_sheet_docx"])
def test_who_may_open_a_sheet(world, login, household, name):
    url = reverse(name, args=[household.pk])
    for user, status in [
        (world.owner, 200),
        (world.office, 200),
        (world.leader, 200),
        (world.colleague, 404),
        (world.outsider, 404),
    ]:
        assert login(user).get(url).status_code == status, user
    assert login(world.office).get(reverse(name, args=[999999])).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, household):
    response = client.get(reverse("household_sheet", args=[household.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_page_shows_items_total_and_capitals(world, login, household):
    page = login(world.owner).get(reverse("household_sheet", args=[household.pk])).content.decode()
    assert "征收补偿明细表" in page
    assert "合法面积 × 评估单价" in page and "120.00 m² × 5,800.00 元/m²" in page
    assert "735,000.00" in page  # not signed: the reward as if signed today, long after the windows closed
    assert "柒拾叁万伍仟元整" in page
    assert "测算" in page
    assert household.id_number not in page and household.phone not in page


def test_the_page_says_when_no_scheme_applies(world, login):
    outside = OrgUnit.objects.create(name="丙村", kind=OrgUnit.Kind.VILLAGE, parent=world.c)
    household = make_household(outside)
    page = login(world.outsider).get(reverse("household_sheet", args=[household.pk])).content.decode()
    assert "没有适用" in page
    assert login(world.outsider).get(reverse("household_sheet_docx", args=[household.pk])).status_code == 404


def test_the_word_file_has_the_sheet_and_no_personal_numbers(world, login, household):
    from docx import Document

    stages.advance(household, Stage.SIGNED, SIGN_START + timedelta(days=5), world.owner, today=date(2021, 6, 1))
    response = login(world.owner).get(reverse("household_sheet_docx", args=[household.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ".docx" in response["Content-Disposition"]
    document = Document(BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    text = "\n".join(texts)
    assert texts[0] == "征收补偿明细表"
    assert "林阿福" in text and "江尾村" in text
    for heading in ("序号", "项目", "计算公式", "计算数据", "金额（元）"):
        assert heading in text
    assert "765,000.00" in text and "柒拾陆万伍仟元整" in text
    assert "签字" in text
    assert household.id_number not in text and household.phone not in text
    assert 'w:eastAsia="仿宋_GB2312"' in document.styles["Normal"].element.xml


@pytest.fixture(scope="session")
def libreoffice_writer(tmp_path_factory):
    """Skip unless this machine's LibreOffice can turn a Word file into a PDF (soffice alone is not
    enough: Debian's libreoffice-core without libreoffice-writer-nogui cannot open .docx)."""
    from docx import Document

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("probe")
    Document().save(folder / "probe.docx")
    profile = (folder / "profile").as_uri()
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    subprocess.run([*command, "--outdir", str(folder), str(folder / "probe.docx")], capture_output=True, timeout=120)
    if not (folder / "probe.pdf").exists():
        pytest.skip("LibreOffice is installed without Writer: it cannot convert Word files")


def test_the_pdf_is_converted_by_libreoffice(world, login, household, libreoffice_writer):
    response = login(world.owner).get(reverse("household_sheet_pdf", args=[household.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert ".pdf" in response["Content-Disposition"]


def test_without_libreoffice_the_pdf_link_says_so(world, login, household, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)
    response = login(world.owner).get(reverse("household_sheet_pdf", args=[household.pk]))
    assert response.status_code == 503
    page = response.content.decode()
    assert "LibreOffice" in page and "未安装" in page and "Word" in page
    assert reverse("household_sheet_docx", args=[household.pk]) in page


def test_when_libreoffice_cannot_convert_the_page_says_so(world, login, household, monkeypatch):
    from duban.gongwen import pdf

    if pdf.fonts_missing():  # the real font report, read before the conversion is made to fail
        pytest.skip("CJK fonts not installed")
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: "/usr/bin/soffice")
    monkeypatch.setattr(subprocess, "run", lambda *args, **kwargs: subprocess.CompletedProcess(args, 1))
    response = login(world.owner).get(reverse("household_sheet_pdf", args=[household.pk]))
    assert response.status_code == 503
    page = response.content.decode()
    assert "无法" in page and "libreoffice-writer-nogui" in page and "Word" in page


def test_the_pdf_is_scoped_too(world, login, household):
    assert login(world.colleague).get(reverse("household_sheet_pdf", args=[household.pk])).status_code == 404


def test_the_office_records_a_chosen_flat_in_the_admin(client, django_user_model):
    from decimal import Decimal as D

    from requisition.models import ResettlementChoice

    village = OrgUnit.objects.create(name="选房村", kind=OrgUnit.Kind.VILLAGE)
    household = Household.objects.create(
        village=village, number="X1", head_name="王五", legal_area=D("100"), compensation=Household.Compensation.SWAP
    )
    admin_user = django_user_model.objects.create_superuser("root", password="x-pass-123")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:requisition_resettlementchoice_add"),
        {"household": household.pk, "area": "120.00", "flat": "3号楼2单元501"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    choice = ResettlementChoice.objects.get(household=household)
    assert (choice.area, choice.flat) == (D("120.00"), "3号楼2单元501")
    listing = client.get(reverse("admin:requisition_resettlementchoice_changelist"), {"q": "X1"})
    assert "3号楼2单元501" in listing.content.decode()
    assert "选房村" in listing.content.decode()
