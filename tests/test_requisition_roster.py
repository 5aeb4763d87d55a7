"""Village rosters: resident ID numbers, masking, import (good and bad rosters, scoping), the
page, the command, and the ledger and tally exports."""

import io
import zipfile
from datetime import date, timedelta
from decimal import Decimal
from operator import mul
from urllib.parse import unquote

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from duban import pending_uploads, personal
from duban.spreadsheet import XLSX_CONTENT_TYPE
from org.models import Membership, OrgUnit
from org.scoping import Scope
from requisition import ids, roster
from requisition.models import STAGE_DATE, STAGES, Household, Stage
from requisition.tallies import tally_level, tally_unit
from tests.conftest import make_user

HEADERS = ["序号", "户主姓名", "身份证号", "联系电话", "村/组", "房屋用途", "合法面积(㎡)", "无证面积(㎡)"]
HEADERS += ["土地面积(亩)", "补偿方式", "当前阶段"]
TITLE = "江尾村征迁入户摸底花名册"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # GB 11643, written out


def checked(body):
    """The ID number with its check character, computed here the textbook way."""
    return body + "10X98765432"[sum(map(mul, map(int, body), WEIGHTS)) % 11]


ID1 = checked("35030219800101001")
ID2 = checked("35030219851231002")
ID3 = checked("35030219900229003"[:6] + "19920229" + "003")  # a leap day
ID4 = checked("35030220000101004")


# ID numbers --------------------------------------------------------------------------------


def test_the_standards_example_and_computed_numbers_are_valid():
    assert ids.id_problem("11010519491231002X") is None
    for number in (ID1, ID2, ID3, ID4):
        assert ids.id_problem(number) is None, number
    assert ids.check_char("11010519491231002") == "X"


def test_lower_case_x_and_spaces_are_accepted():
    assert ids.id_problem("11010519491231002x") is None
    assert ids.id_problem(" 110105 19491231 002X ") is None
    assert ids.normalize_id(" 110105 19491231002x") == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("", "身份证号应为18位，此号为0位"),
        ("11010519491231002", "身份证号应为18位，此号为17位"),
        ("1101051949123100212", "身份证号应为18位，此号为19位"),
        ("1101051949123100AX", "身份证号前17位应为数字"),
        ("11010519491231002Y", "身份证号最后一位应为数字或X"),
        (checked("11010519490230002"), "其中的出生日期19490230不是有效日期"),
        (checked("11010518991231002"), "其中的出生日期18991231不是有效日期"),
        (checked("11010520991231002"), "其中的出生日期2099-12-31晚于今天"),
        ("110105194912310021", "校验码不符（可能输错了一位）"),
    ],
)
def test_each_kind_of_invalid_number_is_named(number, problem):
    assert ids.id_problem(number) == problem


def test_a_birth_date_is_checked_against_the_given_day():
    number = checked("11010520240601002")
    assert ids.id_problem(number, today=date(2024, 6, 1)) is None
    assert ids.id_problem(number, today=date(2024, 5, 31)) == "其中的出生日期2024-06-01晚于今天"


birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=date.today() - timedelta(days=1))
digits = st.text(alphabet="0123456789", min_size=3, max_size=3)


@settings(max_examples=300, deadline=None)
@given(region=st.text(alphabet="0123456789", min_size=6, max_size=6), born=birth_dates, seq=digits, data=st.data())
def test_the_check_character_validates_and_any_changed_digit_invalidates(region, born, seq, data):
    body = f"{region}{born:%Y%m%d}{seq}"
    number = body + ids.check_char(body)
    assert number == checked(body)
    assert ids.id_problem(number) is None
    position = data.draw(st.integers(min_value=0, max_value=17))
    if number[position] == "X":
        other = data.draw(st.sampled_from("0123456789"))
    else:
        other = data.draw(st.sampled_from([d for d in "0123456789" if d != number[position]]))
    changed = number[:position] + other + number[position + 1 :]
    assert ids.id_problem(changed) is not None


def test_masks():
    assert personal.mask_id("110101199003071234") == "110***********1234"
    assert personal.mask_phone("13812345678") == "138****5678"
    assert personal.mask_id("") == "" and personal.mask_phone("") == ""
    assert personal.mask_phone("5551234") == "*****34"
    assert personal.mask_phone("0594-2345678") == "059*****5678"


def test_only_the_office_may_see_personal_data(world):
    assert ids.may_see_personal_data(Scope(world.office), world.a)
    for user in (world.leader, world.owner, world.outsider):
        assert not ids.may_see_personal_data(Scope(user), world.a)


def test_it_keeps_personal_data_from_the_office_of_another_zone(world):
    assert ids.may_see_personal_data(Scope(world.other_office), world.c)
    assert not ids.may_see_personal_data(Scope(world.other_office), world.a)


# Rosters ------------------------------------------------------------------------------------


class Villages:
    pass


@pytest.fixture
def villages(world):
    """甲: 江尾村 (and an area 白塘湖片区 with 东阳村); 乙: 集奎村; 丙 (other zone): 外村."""
    v = Villages()
    v.jiangwei = OrgUnit.objects.create(name="江尾村", short_name="江尾", kind=OrgUnit.Kind.VILLAGE, parent=world.a)
    v.area = OrgUnit.objects.create(name="白塘湖片区", kind=OrgUnit.Kind.AREA, parent=world.a)
    v.dongyang = OrgUnit.objects.create(name="东阳村", kind=OrgUnit.Kind.VILLAGE, parent=v.area)
    v.jikui = OrgUnit.objects.create(name="集奎村", kind=OrgUnit.Kind.VILLAGE, parent=world.b)
    v.outer = OrgUnit.objects.create(name="外村", kind=OrgUnit.Kind.VILLAGE, parent=world.c)
    return v


@pytest.fixture(autouse=True)
def pending_dir(settings, tmp_path, monkeypatch):
    """Checked uploads wait in the test's own directory."""
    settings.MEDIA_ROOT = tmp_path  # checked uploads wait in pending_uploads.FOLDER under it


def xlsx(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def household(seq, name, id_number, village, phone="13812345678", use="住宅", legal=120, unlicensed=0, land="0.5"):
    return [seq, name, id_number, phone, village, use, legal, unlicensed, land, "货币补偿", "入户摸底"]


def sheet(*rows, headers=HEADERS, titles=(TITLE,), total=True):
    lines = [*[[t] for t in titles], headers, *rows]
    if total:
        lines.append(["合计", "", "", "", "", "", 0, 0, 0])
    return xlsx(lines)


def good_roster():
    return sheet(
        household(1, "张三", ID1, "江尾村/3组", legal="120.5", unlicensed="30.25", land="0.6667"),
        household(2, "李四", ID2.lower(), "江尾/4组", phone="0594-2345678", use="非住宅", legal=200),
        household(3, "王五", "", "东阳村", phone=""),
    )


def state():
    return list(Household.objects.order_by("pk").values_list())


def run(data, **kwargs):
    return roster.import_file(data, **kwargs)


def test_it_creates_households(villages):
    result = run(good_roster())
    assert result.ok, result.errors
    assert (result.rows, result.created, result.updated, result.unchanged) == (3, 3, 0, 0)
    zhang = Household.objects.get(id_number=ID1)
    assert (zhang.village, zhang.address, zhang.head_name, zhang.phone) == (
        villages.jiangwei,
        "3组",
        "张三",
        "13812345678",
    )
    assert (zhang.legal_area, zhang.unlicensed_area, zhang.land_area) == (
        Decimal("120.50"),
        Decimal("30.25"),
        Decimal("0.6667"),
    )
    assert (zhang.use, zhang.compensation, zhang.stage) == ("residential", "money", Stage.VISITED)
    assert all(zhang.stage_date(s) is None for s in STAGES)  # stage dates are not imported
    li = Household.objects.get(head_name="李四")
    assert (li.id_number, li.village, li.address, li.use, li.phone, li.phone_typed) == (
        ID2,
        villages.jiangwei,
        "4组",
        "non_residential",
        "05942345678",  # the stored form; as typed, for display:
        "0594-2345678",
    )
    wang = Household.objects.get(head_name="王五")
    assert (wang.village, wang.address, wang.id_number, wang.phone) == (villages.dongyang, "", "", "")
    numbers = sorted(Household.objects.values_list("number", flat=True))
    assert all(n.startswith("H") and len(n) == 13 for n in numbers)
    assert ID1 not in zhang.number


def test_importing_the_same_file_twice_changes_nothing(villages):
    data = good_roster()
    assert run(data).ok
    before = state()
    again = run(data)
    assert again.ok, again.errors
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert state() == before


def test_household_numbers_are_stable_and_a_numbered_column_is_used(villages):
    assert run(good_roster()).ok
    first = dict(Household.objects.values_list("id_number", "number"))
    Household.objects.all().delete()
    assert run(good_roster()).ok
    assert dict(Household.objects.values_list("id_number", "number")) == first
    headers = [*HEADERS, "户号"]
    result = run(sheet([*household(1, "赵六", ID3, "集奎村"), "JK-001"], headers=headers))
    assert result.ok, result.errors
    assert Household.objects.get(id_number=ID3).number == "JK-001"


def test_a_re_import_updates_what_changed_and_moves_stages_forward(villages):
    assert run(good_roster()).ok
    changed = sheet(
        household(1, "张三", ID1, "江尾村/3组", legal="130", unlicensed="30.25", land="0.6667")[:10] + ["签约"],
        household(3, "王五", "", "东阳村", phone="13900000000"),
    )
    result = run(changed)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 2, 0)
    assert [c.fields for c in result.changes] == [["合法面积", "当前阶段"], ["联系电话"]]
    zhang = Household.objects.get(id_number=ID1)
    assert (zhang.legal_area, zhang.stage, zhang.signed_on) == (Decimal("130.00"), Stage.SIGNED, None)
    assert Household.objects.get(head_name="王五").phone == "13900000000"
    assert Household.objects.get(head_name="李四").legal_area == Decimal("200.00")  # not in the file: kept


def test_a_household_number_of_another_household_is_refused(villages):
    headers = [*HEADERS, "户号"]
    assert run(sheet([*household(1, "赵六", ID3, "集奎村"), "JK-001"], headers=headers)).ok
    before = state()
    result = run(sheet([*household(1, "钱七", ID4, "集奎村"), "JK-001"], headers=headers))
    assert result.errors == ["第3行（钱七）：集奎村的户号JK-001属于赵六。"]
    assert state() == before
    # the same number in another village is another household's own
    result = run(sheet([*household(1, "钱七", ID4, "江尾村"), "JK-001"], headers=headers))
    assert result.ok, result.errors


def test_a_generated_number_already_taken_in_the_village_is_refused(villages):
    """A new household's number is generated from its village and ID number; should a household
    already carry that number (typed in by hand, say), the row is refused, not given a second one."""
    assert run(sheet(household(1, "张三", ID1, "江尾村"))).ok
    generated = Household.objects.get(id_number=ID1).number
    Household.objects.all().delete()
    Household.objects.create(village=villages.jiangwei, number=generated, head_name="孙八")
    before = state()
    result = run(sheet(household(1, "张三", ID1, "江尾村")))
    assert result.errors == [f"第3行（张三）：江尾村的户号{generated}属于孙八。"]
    assert state() == before
    # another village's household with that number is no obstacle
    Household.objects.update(village=villages.jikui)
    assert run(sheet(household(1, "张三", ID1, "江尾村"))).ok


def test_generated_numbers_are_checked_one_by_one_when_the_villages_hold_many(villages, monkeypatch):
    """With more generated numbers stored in the rows' villages than the file could need, the
    numbers are looked up one by one instead: the same answer."""
    assert run(sheet(household(1, "张三", ID1, "江尾村"))).ok
    generated = Household.objects.get(id_number=ID1).number
    Household.objects.all().delete()
    Household.objects.create(village=villages.jiangwei, number=generated, head_name="孙八")
    for i in range(5):
        Household.objects.create(village=villages.jiangwei, number=f"H00000000000{i}", head_name=f"户{i}")
    init = roster.Importer.__init__

    def small_limit(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self.generated_limit = 3

    monkeypatch.setattr(roster.Importer, "__init__", small_limit)
    result = run(sheet(household(1, "张三", ID1, "江尾村"), household(2, "李四", ID2, "江尾村")))
    assert result.errors == [f"第3行（张三）：江尾村的户号{generated}属于孙八。"]


def test_a_row_with_a_new_id_number_completes_the_household_without_one(villages):
    assert run(good_roster()).ok
    result = run(sheet(household(1, "王五", ID4, "东阳村", phone="")))
    assert (result.created, result.updated) == (0, 1), result.errors
    assert Household.objects.get(head_name="王五").id_number == ID4


def test_a_stage_cannot_go_back_through_an_import(villages):
    assert run(good_roster()).ok
    Household.objects.filter(id_number=ID1).update(stage=Stage.SIGNED, signed_on=date(2021, 5, 1))
    before = state()
    result = run(sheet(household(1, "张三", ID1, "江尾村/3组")))
    assert result.errors == [
        "第3行（张三）：该户在台账中已是“签约”，导入不能把它退回到“入户摸底”（请在该户页面填写原因后回退）。"
    ]
    assert state() == before


def test_title_blank_and_total_rows_are_skipped(villages):
    data = xlsx(
        [
            [TITLE],
            ["填报单位:江尾村", None, None, "2021年5月"],
            [],
            HEADERS,
            household(1, "张三", ID1, "江尾村"),
            [],
            ["  ", None, "   "],
            household(2, "李四", ID2, "江尾村"),
            ["合 计", "2户", None, None, None, None, 320, 0, 1],
        ]
    )
    result = run(data)
    assert result.ok, result.errors
    assert (result.rows, result.created) == (2, 2)
    assert [c.line for c in result.changes] == [5, 8]


def test_a_roster_that_does_not_start_in_a1_reads_as_one_that_does(villages):
    from duban.spreadsheet import lazy_sheets, sheets

    workbook = openpyxl.Workbook()
    sheet_ = workbook.active
    for r, line in enumerate(
        [[TITLE], [], HEADERS, household(1, "张三", ID1, "江尾村"), [], household(2, "李四", ID2, "江尾村")]
    ):
        for c, value in enumerate(line):
            sheet_.cell(row=r + 3, column=c + 3, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    lazy = next(lazy_sheets(data))
    eager = next(sheets(data))
    assert list(lazy.rows()) == eager and lazy.head == eager[:20] and lazy.height == len(eager)
    result = run(data)
    assert result.ok, result.errors
    assert [c.line for c in result.changes] == [6, 8]


def test_headers_with_units_and_land_in_square_metres(villages):
    headers = ["序号", "户主姓名", "身份证号", "村/组", "合法面积（m²）", "无证面积(平方米)", "土地面积(㎡)"]
    result = run(sheet([1, "张三", ID1, "江尾村", 100, 20, "666.67"], headers=headers, total=False))
    assert result.ok, result.errors
    zhang = Household.objects.get()
    assert (zhang.legal_area, zhang.unlicensed_area, zhang.land_area) == (
        Decimal("100.00"),
        Decimal("20.00"),
        Decimal("1.0000"),
    )
    assert (zhang.use, zhang.compensation, zhang.stage) == ("residential", "money", Stage.NONE)


def test_an_unknown_unit_in_a_header_refuses_the_file(villages):
    result = run(sheet(household(1, "张三", ID1, "江尾村"), headers=[*HEADERS[:6], "合法面积(亩)", *HEADERS[7:]]))
    assert result.errors == ["表头“合法面积(亩)”中的单位无法识别（应为㎡或亩）。"]


# Bad rosters: each is refused whole, with a row-by-row message, and nothing is stored.


def refused(data, expected, **kwargs):
    before = state()
    result = run(data, **kwargs)
    assert not result.ok
    assert expected in result.errors, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    assert state() == before
    return result


def test_an_invalid_id_number_is_refused(villages):
    wrong = ID1[:-1] + ("0" if ID1[-1] != "0" else "1")
    refused(
        sheet(household(1, "张三", wrong, "江尾村"), household(2, "李四", ID2, "江尾村")),
        f"第3行（张三）：身份证号{personal.mask_id(wrong)}无效：校验码不符（可能输错了一位）。",
    )


def test_an_id_number_typed_as_a_number_is_refused(villages):
    refused(
        sheet(household(1, "张三", 350302198001010000, "江尾村")),
        "第3行（张三）：身份证号存成了数字，Excel会把它截成15位有效数字；请把该列设为文本格式后重新输入。",
    )


def test_a_household_twice_in_the_file_is_refused(villages):
    result = refused(
        sheet(household(1, "张三", ID1, "江尾村"), household(2, "张三", ID1, "江尾村")),
        f"第4行（张三）：身份证号为{personal.mask_id(ID1)}的住户与第3行重复。",
    )
    assert ID1 not in " ".join(result.errors)


def test_a_household_without_id_twice_in_the_file_is_refused(villages):
    refused(
        sheet(household(1, "王五", "", "江尾村/1组"), household(2, "王五", "", "江尾村/1组")),
        "第4行：王五户（江尾村）与第3行重复。",
    )


def test_a_household_registered_in_another_village_is_refused(villages):
    assert run(sheet(household(1, "张三", ID1, "集奎村"))).ok
    refused(
        sheet(household(1, "张三", ID1, "江尾村")),
        f"第3行（张三）：身份证号为{personal.mask_id(ID1)}的住户已登记在集奎村。",
    )


def test_another_village_is_not_named_to_whom_may_not_read_it(villages, world):
    assert run(sheet(household(1, "张三", ID1, "集奎村"))).ok
    refused(
        sheet(household(1, "张三", ID1, "江尾村")),
        f"第3行（张三）：身份证号为{personal.mask_id(ID1)}的住户已登记在其他村。",
        scope=Scope(world.owner),
    )


def test_an_unknown_village_is_refused(villages):
    refused(sheet(household(1, "张三", ID1, "不存在村/1组")), "第3行：村“不存在村”不存在。")


def test_a_unit_that_is_not_a_village_is_not_a_village(villages):
    refused(sheet(household(1, "张三", ID1, "甲指挥部")), "第3行：村“甲指挥部”不存在。")


def test_a_negative_area_is_refused(villages):
    refused(sheet(household(1, "张三", ID1, "江尾村", legal=-5)), "第3行：合法面积不能为负数（-5）。")


def test_text_in_a_number_cell_is_refused(villages):
    refused(sheet(household(1, "张三", ID1, "江尾村", land="半亩")), "第3行：土地面积“半亩”不是数字。")


@pytest.mark.parametrize(
    ("column", "word", "message"),
    [
        (5, "商铺", "第3行：房屋用途“商铺”无法识别（应填住宅、非住宅）。"),
        (9, "现金", "第3行：补偿方式“现金”无法识别（应填货币补偿、产权调换）。"),
        (
            10,
            "已完成",
            "第3行：当前阶段“已完成”无法识别（应填未入户、入户摸底、丈量、评估、签约、腾空、拆除、交地、未签约）。",
        ),
    ],
)
def test_unknown_words_are_refused(villages, column, word, message):
    line = household(1, "张三", ID1, "江尾村")
    line[column] = word
    refused(sheet(line), message)


def test_stage_words(villages):
    lines = []
    numbers = [checked(f"3503021980010100{i}") for i in range(8)]
    for i, word in enumerate(["", "未入户", "入户摸底", "丈量", "评估", "签约", "腾空", "已交地"]):
        line = household(i + 1, f"户{i}", numbers[i], "江尾村")
        line[10] = word
        lines.append(line)
    assert run(sheet(*lines)).ok
    stages = [Household.objects.get(id_number=n).stage for n in numbers]
    assert stages == ["none", "none", "visited", "measured", "assessed", "signed", "vacated", "delivered"]


def test_a_masked_id_for_a_new_household_is_refused(villages):
    refused(
        sheet(household(1, "张三", "350***********0011", "江尾村")),
        "第3行（张三）：身份证号已打码（350***********0011）；请填写完整身份证号，或保留导出台账中的户号。",
    )


def test_the_file_without_a_header_is_refused(villages):
    result = refused(
        xlsx([["随便什么"], ["a", "b"]]),
        "工作表“Sheet”的前30行中找不到表头（需要这些列：户主姓名、村/组）；请删除这些工作表或改正表头后重新导入。",
    )
    assert len(result.errors) == 1


def test_every_bad_row_is_listed(villages):
    result = refused(
        sheet(
            household(1, "张三", ID1, "江尾村", legal=-1),
            household(2, "", ID2, "江尾村"),
            household(3, "王五", ID3, "无名村"),
        ),
        "第4行：户主姓名为空。",
    )
    assert len(result.errors) == 3


# Scoping ------------------------------------------------------------------------------------


def test_a_field_worker_imports_only_into_villages_of_their_subtree(villages, world):
    worker = make_user("field-a", villages.jiangwei, Membership.Role.REPORTER)
    assert run(sheet(household(1, "张三", ID1, "江尾村")), scope=Scope(worker)).ok
    refused(
        sheet(household(1, "李四", ID2, "东阳村"), household(2, "赵六", ID3, "集奎村")),
        "第3行：无权导入东阳村的住户。",
        scope=Scope(worker),
    )
    # a command post's reporter reaches the villages of its areas too
    assert run(sheet(household(1, "李四", ID2, "东阳村")), scope=Scope(world.owner)).ok


def test_other_posts_and_outsiders_may_not_import_and_the_office_may(villages, world):
    data = sheet(household(1, "张三", ID1, "江尾村"))
    refused(data, "第3行：无权导入江尾村的住户。", scope=Scope(world.colleague))
    refused(data, "第3行：无权导入江尾村的住户。", scope=Scope(world.outsider))
    refused(data, "第3行：无权导入江尾村的住户。", scope=Scope(world.leader))
    assert run(data, scope=Scope(world.office)).ok


def test_of_two_villages_of_one_name_a_worker_gets_their_own(villages, world):
    OrgUnit.objects.create(name="江尾村", kind=OrgUnit.Kind.VILLAGE, parent=world.b)
    refused(sheet(household(1, "张三", ID1, "江尾村")), "第3行：有多个村名为“江尾村”，请写全称。")
    assert run(sheet(household(1, "张三", ID1, "江尾村")), scope=Scope(world.owner)).ok
    assert Household.objects.get().village == villages.jiangwei


def test_an_import_makes_a_fixed_number_of_queries(villages, django_assert_max_num_queries):
    lines = [household(i, f"户{i}", checked(f"35030219800101{i:03d}"), "江尾村") for i in range(300)]
    data = sheet(*lines)
    # 15 for the import, 1 for its audit entry, 8 for the campaign roll-ups taking the new
    # households in, in the same transaction (reports/rollups.py: a fixed number, whatever the rows)
    with django_assert_max_num_queries(24):
        result = run(data)
    assert result.ok and result.created == 300


# Chunks: a roster is parsed in one thread and checked and written in another, a chunk at a time


def stored_values():
    """The ledger without ids and times: what an import decides."""
    skip = {"id", "created_at", "updated_at"}
    fields = [f.attname for f in Household._meta.concrete_fields if f.attname not in skip]
    return sorted(Household.objects.values_list(*fields))


def chunked_files():
    return [
        good_roster(),
        sheet(
            household(1, "张三", ID1, "江尾村/3组", legal="130")[:10] + ["签约"],
            household(2, "王五", ID4, "东阳村"),
            household(3, "王五", "", "东阳村", phone="13900000000"),
            household(4, "赵六", ID3, "集奎村"),
        ),
        sheet(
            household(1, "孙七", ID2, "江尾村"), household(2, "周八", "", "集奎村"), household(3, "孙七", ID2, "江尾村")
        ),
    ]


def test_chunking_never_changes_the_outcome(villages, monkeypatch):
    outcomes = []
    for chunk in (roster.CHUNK, 1, 2):
        monkeypatch.setattr(roster.importing, "CHUNK", chunk)
        Household.objects.all().delete()
        results = [run(data) for data in chunked_files()]
        outcomes.append(
            (
                [(r.errors, r.created, r.updated, r.unchanged, [c.line for c in r.changes]) for r in results],
                stored_values(),
            )
        )
    # 王五 without an ID number is the stored household; 王五 with ID4 is another, new one
    assert outcomes[0][0][1][:4] == ([], 2, 2, 0)
    assert outcomes[0][0][2][0] == [f"第5行（孙七）：身份证号为{personal.mask_id(ID2)}的住户与第3行重复。"]
    assert outcomes[1] == outcomes[0] and outcomes[2] == outcomes[0]


def test_an_error_in_a_later_chunk_rolls_back_the_chunks_already_written(villages, monkeypatch):
    monkeypatch.setattr(roster.importing, "CHUNK", 2)
    assert run(good_roster()).ok
    lines = [household(i, f"户{i}", checked(f"35030219800101{i:03d}"), "江尾村") for i in range(10, 16)]
    lines[5][2] = ID1  # the last row renames 张三 (a change, written at the end)
    lines[4][2] = lines[0][2]  # and the fifth repeats the first
    result = refused(sheet(*lines), f"第7行（户14）：身份证号为{personal.mask_id(lines[0][2])}的住户与第3行重复。")
    assert len(result.errors) == 1
    lines[4][2] = "123"
    result = refused(sheet(*lines), "第7行（户14）：身份证号*23无效：身份证号应为18位，此号为3位。")
    assert len(result.errors) == 1


def test_errors_are_listed_in_row_order(villages):
    assert run(sheet(household(1, "张三", ID1, "集奎村"))).ok
    result = refused(
        sheet(household(1, "张三", ID1, "江尾村"), household(2, "李四", ID2, "江尾村", legal=-1)),
        "第4行：合法面积不能为负数（-1）。",
    )
    assert result.errors == [
        f"第3行（张三）：身份证号为{personal.mask_id(ID1)}的住户已登记在集奎村。",
        "第4行：合法面积不能为负数（-1）。",
    ]


def test_a_failure_in_the_parser_thread_reaches_the_caller(villages, monkeypatch):
    import threading

    monkeypatch.setattr(roster.importing, "CHUNK", 1)
    parse = roster.RowParser.parse

    def failing(self, line, raw):
        if line == 4:
            raise RuntimeError("parser broke")
        return parse(self, line, raw)

    monkeypatch.setattr(roster.RowParser, "parse", failing)
    before = state()
    with pytest.raises(RuntimeError, match="parser broke"):
        run(good_roster())
    assert state() == before
    assert not [t for t in threading.enumerate() if t.name == "roster-parser"]


# The page and the command -------------------------------------------------------------------


def upload(client, data, name="花名册.xlsx"):
    return client.post(reverse("requisition_import"), {"file": SimpleUploadedFile(name, data)})


def test_the_page_needs_a_login_and_edit_rights(villages, world, client, login):
    response = client.get(reverse("requisition_import"))
    assert response.status_code == 302 and "/login/" in response["Location"]
    client = login(world.leader)
    assert client.get(reverse("requisition_import")).status_code == 403
    assert upload(client, good_roster()).status_code == 403
    assert state() == []


def test_the_owner_checks_then_confirms(villages, world, login, tmp_path):
    client = login(world.owner)
    page = client.get(reverse("requisition_import")).content.decode()
    assert "导入村组花名册" in page
    data = sheet(household(1, "张三", ID1, "江尾村/3组"), household(2, "王五", "", "东阳村"))
    page = upload(client, data).content.decode()
    assert "新建2条，更新0条，未变0条。" in page
    assert "导入这些更改" in page
    assert state() == []
    token = client.session["roster_import"]["token"]
    response = client.post(reverse("requisition_import"), {"confirm": "1", "token": token}, follow=True)
    assert "已导入花名册.xlsx：新建2条，更新0条，未变0条。" in response.content.decode()
    assert Household.objects.count() == 2
    assert list((tmp_path / pending_uploads.FOLDER).iterdir()) == []
    again = client.post(reverse("requisition_import"), {"confirm": "1", "token": token}, follow=True)
    assert "预览已过期，请重新上传文件。" in again.content.decode()
    assert Household.objects.count() == 2


def test_the_page_shows_row_errors_for_a_colleague(villages, world, login):
    client = login(world.colleague)
    page = upload(client, sheet(household(1, "张三", ID1, "江尾村"))).content.decode()
    assert "第3行：无权导入江尾村的住户。" in page
    assert "roster_import" not in client.session
    assert state() == []


def test_the_page_refuses_a_file_that_is_not_excel(villages, world, login):
    page = upload(login(world.owner), b"not excel").content.decode()
    assert "这不是Excel文件（.xlsx或.xls）。" in page


def test_the_command(villages, tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(good_roster())
    out = io.StringIO()
    call_command("import_households", str(path), "--dry-run", stdout=out)
    assert "新建3条" in out.getvalue() and state() == []
    call_command("import_households", str(path), stdout=out)
    assert Household.objects.count() == 3
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(sheet(household(1, "张三", ID1, "无名村")))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_households", str(bad), stderr=err)
    assert "第3行：村“无名村”不存在。" in err.getvalue()
    with pytest.raises(CommandError):
        call_command("import_households", str(tmp_path / "missing.xlsx"))


# Exports ------------------------------------------------------------------------------------


def workbook_text(data):
    """Every string of the workbook, from its XML: what a reader of the file could find."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return " ".join(z.read(name).decode() for name in z.namelist() if name.endswith(".xml"))


def test_the_ledger_export_is_masked_by_default_for_everyone_and_imports_back(villages, world, login):
    assert run(good_roster()).ok
    for user in (world.owner, world.office):
        response = login(user).get(reverse("requisition_ledger_export", args=[world.a.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == XLSX_CONTENT_TYPE
        text = workbook_text(response.content)
        for full in (ID1, ID2, "13812345678", "0594-2345678"):
            assert full not in text
        rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert rows[0][0] == "甲指挥部征迁户台账"
        assert rows[1][:4] == ("序号", "户号", "户主姓名", "身份证号")
        assert rows[1][-1] == "交地日期"
        by_name = {r[2]: r for r in rows[2:]}
        assert sorted(by_name) == ["张三", "李四", "王五"]
        assert by_name["张三"][3:6] == (personal.mask_id(ID1), "138****5678", "江尾村/3组")
        assert by_name["张三"][6:12] == ("住宅", 120.5, 30.25, 0.6667, "货币补偿", "入户摸底")
    before = state()
    again = run(response.content)
    assert again.ok, again.errors
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert state() == before


def test_the_office_exports_in_full_and_each_household_is_logged(villages, world, login):
    from audit.models import Entry
    from requisition.models import RevealLog

    assert run(good_roster()).ok
    RevealLog.objects.all().delete()
    client = login(world.office)
    url = reverse("requisition_ledger_export", args=[world.a.pk]) + "?full=1"
    response = client.get(url, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    assert unquote(response["Content-Disposition"]).endswith("甲指挥部征迁户台账（完整）.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    by_name = {r[2]: r for r in rows[2:]}
    assert by_name["张三"][3:5] == (ID1, "13812345678")
    assert by_name["李四"][3:5] == (ID2, "0594-2345678")
    logs = RevealLog.objects.order_by("household__head_name")
    assert sorted(log.household.head_name for log in logs) == ["张三", "李四", "王五"]
    assert {(log.user, log.field, log.address) for log in logs} == {(world.office, "export", "10.1.2.3")}
    entry = Entry.objects.filter(action=Entry.Action.REVEAL).latest("at")
    assert (entry.user, entry.note) == (world.office, "export 甲指挥部: 3")
    # a village's export logs that village's households only
    client.get(reverse("requisition_ledger_export", args=[villages.dongyang.pk]) + "?full=1")
    assert RevealLog.objects.count() == 4
    assert RevealLog.objects.order_by("-pk").first().household.head_name == "王五"


def test_only_the_office_exports_in_full(villages, world, login):
    from requisition.models import RevealLog

    assert run(good_roster()).ok
    RevealLog.objects.all().delete()
    url = reverse("requisition_ledger_export", args=[villages.jiangwei.pk]) + "?full=1"
    assert Client().get(url).status_code == 302
    for user in (world.owner, world.leader):  # may read the village, may not see personal data
        assert login(user).get(url).status_code == 403
    for user in (world.colleague, world.outsider):  # may not read the village
        assert login(user).get(url).status_code == 404
    assert RevealLog.objects.count() == 0
    page = login(world.office).get(reverse("requisition_unit", args=[villages.jiangwei.pk])).content.decode()
    assert "?full=1" in page
    page = login(world.owner).get(reverse("requisition_unit", args=[villages.jiangwei.pk])).content.decode()
    assert "?full=1" not in page


def test_the_ledger_export_has_the_step_dates(villages):
    assert run(good_roster()).ok
    Household.objects.filter(id_number=ID1).update(stage=Stage.MEASURED, visited_on=date(2021, 3, 1))
    Household.objects.filter(id_number=ID1).update(measured_on=date(2021, 3, 9))
    rows = list(
        openpyxl.load_workbook(io.BytesIO(roster.export_ledger(Household.objects.all(), mask=False))).active.iter_rows(
            values_only=True
        )
    )
    zhang = next(r for r in rows if r[2] == "张三")
    assert zhang[3] == ID1  # mask=False
    assert zhang[12] == "3组"  # the group (江尾村/3组)
    assert zhang[13].date() == date(2021, 3, 1) and zhang[14].date() == date(2021, 3, 9)
    assert zhang[15:] == (None,) * 5


def test_exports_are_scoped(villages, world, login):
    assert run(good_roster()).ok
    for name in ("requisition_ledger_export", "requisition_tallies_export"):
        url = reverse(name, args=[villages.jiangwei.pk])
        assert Client().get(url).status_code == 302
        assert login(world.colleague).get(url).status_code == 404
        assert login(world.outsider).get(url).status_code == 404
        assert login(world.leader).get(url).status_code == 200
        assert login(world.owner).get(reverse(name, args=[99999])).status_code == 404
    response = login(world.owner).get(reverse("requisition_ledger_export", args=[villages.dongyang.pk]))
    names = [r[2] for r in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
    assert names[2:] == ["王五"]


def test_the_tallies_export_matches_the_tallies(villages, world, login):
    assert run(good_roster()).ok
    on = date(2021, 6, 10)
    steps = {ID1: Stage.SIGNED, ID2: Stage.DEMOLISHED}
    for number, stage in steps.items():
        dates = {STAGE_DATE[s]: date(2021, 5, 1) for s in STAGES[: STAGES.index(stage) + 1]}
        Household.objects.filter(id_number=number).update(stage=stage, **dates)
    Household.objects.filter(head_name="王五").update(stage=Stage.VISITED, visited_on=date(2021, 7, 1))
    response = login(world.office).get(reverse("requisition_tallies_export", args=[world.a.pk]), {"on": on})
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "甲指挥部征迁进度统计表(2021年06月10日)"
    assert rows[1][:3] == ("单位", "总户数", "未入户（户）")
    expected = tally_level(world.a, world.a.depth + 1, on)
    by_name = {r[0]: r for r in rows[2:]}
    assert sorted(by_name) == sorted([t.unit.name for t in expected.values()] + ["合计"])
    for tally in [*expected.values(), tally_unit(world.a, on)]:
        line = by_name["合计" if tally.unit == world.a else tally.unit.name]
        assert line[1] == tally.households
        assert list(line[2:10]) == [tally.at_stage(s) for s in [Stage.NONE, *STAGES]]
        pct = tally.signed_pct
        assert line[10] == (None if pct is None else float(round(pct, 2)))
        assert Decimal(str(line[11])) == tally.demolished_area
        assert Decimal(str(line[12])) == tally.delivered_land
        assert line[13:] == (tally.graves_moved, tally.enterprises_moved)
    total = by_name["合计"]
    assert total[1] == 3 and total[2:10] == (1, 0, 0, 0, 1, 0, 1, 0)  # 王五 visited after the date
    assert total[10] == 66.67 and Decimal(str(total[11])) == Decimal("200.00")
    assert (
        login(world.office).get(reverse("requisition_tallies_export", args=[world.a.pk]), {"on": "June"}).status_code
        == 400
    )
