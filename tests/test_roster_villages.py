"""Rosters as villages keep them (issue 16, part 4): 村/组 with the group (陈桥村2组, 二组, 第二村民
小组, full place names), a separate 组 column, phones in one stored form, and the usual words for
stages and compensation choices. Each case checks the stored households; each bad file changes
nothing."""

import io

import openpyxl
import pytest

from audit.models import Entry
from org.models import OrgUnit
from org.scoping import Scope
from requisition import phones, roster, search
from requisition.models import Household, Stage
from tests.test_requisition_roster import ID1, ID2, ID3, ID4, checked

GROUP = OrgUnit.Kind.VILLAGE_GROUP
HEADERS = ["序号", "户主姓名", "身份证号", "联系电话", "村/组", "补偿方式", "当前阶段"]


class Places:
    pass


@pytest.fixture
def places(world):
    """甲指挥部 → 某镇 → 陈桥村 (group 1组 exists); 甲指挥部 → 江尾村; 乙指挥部 → 集奎村."""
    p = Places()
    p.town = OrgUnit.objects.create(name="某镇", kind=OrgUnit.Kind.TOWN, parent=world.a)
    p.chenqiao = OrgUnit.objects.create(name="陈桥村", kind=OrgUnit.Kind.VILLAGE, parent=p.town)
    p.group1 = OrgUnit.objects.create(name="陈桥村1组", short_name="1组", kind=GROUP, parent=p.chenqiao)
    p.jiangwei = OrgUnit.objects.create(name="江尾村", kind=OrgUnit.Kind.VILLAGE, parent=world.a)
    p.jikui = OrgUnit.objects.create(name="集奎村", kind=OrgUnit.Kind.VILLAGE, parent=world.b)
    return p


def xlsx(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def line(seq, name, place, id_number="", phone="", compensation="货币补偿", stage="入户摸底", group=None):
    row = [seq, name, id_number, phone, place, compensation, stage]
    return row if group is None else [*row, group]


def sheet(*rows, group_column=None):
    headers = HEADERS if group_column is None else [*HEADERS, group_column]
    return xlsx([["陈桥村征迁入户摸底花名册"], headers, *rows])


def state():
    return (
        list(Household.objects.order_by("pk").values_list()),
        list(OrgUnit.objects.order_by("pk").values_list("pk", "name", "parent_id", "path")),
    )


def run(data, user=None, **kwargs):
    return roster.import_file(data, scope=Scope(user) if user is not None else None, **kwargs)


def refused(data, expected, user=None):
    before = state()
    result = run(data, user)
    assert not result.ok
    assert expected in result.errors, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    assert state() == before
    return result


def groups_of(village):
    return sorted(OrgUnit.objects.filter(parent=village, kind=GROUP).values_list("name", "short_name"))


# 村/组 and 组 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    ["陈桥村2组", "陈桥村二组", "陈桥村第二组", "陈桥村第二村民小组", "陈桥村第2村民小组", "陈桥村2队", "陈桥村２组"],
)
def test_a_village_and_its_group_as_rosters_write_them(places, world, cell):
    result = run(sheet(line(1, "张三", cell, ID1)), world.office)
    assert result.ok, result.errors
    zhang = Household.objects.get()
    assert (zhang.village, zhang.address) == (places.chenqiao, "")
    assert (zhang.group.parent, zhang.group.kind, zhang.group.name, zhang.group.short_name) == (
        places.chenqiao,
        GROUP,
        "陈桥村2组",
        "2组",
    )
    assert zhang.group.path == f"{places.chenqiao.path}{zhang.group.pk:06d}."
    assert result.notes == ["已新建村民小组：陈桥村2组。"]


@pytest.mark.parametrize("cell", ["某镇陈桥村1组", "涵江区某镇陈桥村1组", "某镇陈桥村第一村民小组", "陈桥村一组"])
def test_the_full_place_name_finds_the_village_and_an_existing_group(places, world, cell):
    result = run(sheet(line(1, "张三", cell, ID1)), world.office)
    assert result.ok, result.errors
    assert (Household.objects.get().village, Household.objects.get().group) == (places.chenqiao, places.group1)
    assert groups_of(places.chenqiao) == [("陈桥村1组", "1组")]  # nothing new
    assert result.notes == []


def test_a_full_place_name_without_a_group_is_the_village(places, world):
    assert run(sheet(line(1, "张三", "涵江区某镇陈桥村", ID1)), world.office).ok
    zhang = Household.objects.get()
    assert (zhang.village, zhang.group) == (places.chenqiao, None)


def test_one_number_however_written_is_one_group(places, world):
    data = sheet(
        line(1, "张三", "陈桥村3组", ID1),
        line(2, "李四", "陈桥村三组", ID2),
        line(3, "王五", "陈桥村第三村民小组", ID3),
        line(4, "赵六", "陈桥村十一组", ID4),
        line(5, "钱七", "陈桥村11组"),
    )
    result = run(data, world.office)
    assert result.ok, result.errors
    assert groups_of(places.chenqiao) == [("陈桥村11组", "11组"), ("陈桥村1组", "1组"), ("陈桥村3组", "3组")]
    by_name = {h.head_name: h.group.short_name for h in Household.objects.select_related("group")}
    assert by_name == {"张三": "3组", "李四": "3组", "王五": "3组", "赵六": "11组", "钱七": "11组"}
    made = Entry.objects.filter(model="org.orgunit", action="import").values_list("note", flat=True)
    assert list(made) == ["villagers' groups made by a roster import: 陈桥村3组, 陈桥村11组"]


@pytest.mark.parametrize("header", ["组", "村民小组", "组别"])
@pytest.mark.parametrize("value", [2, "2", "二", "2组", "第二村民小组", "陈桥村2组"])
def test_a_separate_group_column_is_read(places, world, header, value):
    result = run(sheet(line(1, "张三", "陈桥村", ID1, group=value), group_column=header), world.office)
    assert result.ok, result.errors
    zhang = Household.objects.get()
    assert (zhang.village, zhang.group.short_name, zhang.group.parent) == (places.chenqiao, "2组", places.chenqiao)


def test_namesakes_in_different_groups_are_two_households(places, world):
    data = sheet(
        line(1, "王五", "陈桥村1组"),
        line(2, "王五", "陈桥村2组"),
        line(3, "王五", "陈桥村", group="3"),
        group_column="组",
    )
    result = run(data, world.office)
    assert result.ok, result.errors
    assert sorted(Household.objects.values_list("head_name", "group__short_name")) == [
        ("王五", "1组"),
        ("王五", "2组"),
        ("王五", "3组"),
    ]
    assert len(set(Household.objects.values_list("number", flat=True))) == 3
    again = run(data, world.office)  # and each is found again, not made twice
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_namesakes_in_one_group_are_still_one_household_twice(places, world):
    data = sheet(line(1, "王五", "陈桥村2组"), line(2, "王五", "陈桥村二组"))
    refused(data, "第4行：王五户（陈桥村）与第3行重复。", world.office)
    assert groups_of(places.chenqiao) == [("陈桥村1组", "1组")]


def test_a_group_of_another_village_is_refused(places, world):
    data = sheet(line(1, "张三", "陈桥村", ID1, group="江尾村3组"), group_column="组")
    refused(data, "第3行：组“江尾村3组”是江尾村的组，不是陈桥村的组。", world.office)


def test_two_groups_for_one_household_are_refused(places, world):
    data = sheet(line(1, "张三", "陈桥村2组", ID1, group="3"), group_column="组")
    refused(data, "第3行：村/组写的是2组，组列写的是3组；一户只能属于一个组。", world.office)
    refused(sheet(line(1, "张三", "陈桥村2组/3组", ID1)), "第3行：村/组“陈桥村2组/3组”写了两个不同的组。", world.office)


def test_what_is_not_a_group_is_refused_naming_row_and_column(places, world):
    data = sheet(line(1, "张三", "陈桥村", ID1), line(2, "李四", "陈桥村", ID2, group="东头"), group_column="组")
    refused(data, "第4行：组“东头”不是村民小组（请填组号，如3或3组）。", world.office)


def test_a_village_that_does_not_exist_is_still_refused(places, world):
    refused(sheet(line(1, "张三", "某镇不存在村2组", ID1)), "第3行：村“某镇不存在村2组”不存在。", world.office)
    # a name that ends like a village's is not that village unless a town, district … comes before
    refused(sheet(line(1, "张三", "新陈桥村2组", ID1)), "第3行：村“新陈桥村2组”不存在。", world.office)
    refused(sheet(line(1, "张三", "新陈桥村", ID1)), "第3行：村“新陈桥村”不存在。", world.office)


def test_a_field_worker_uses_the_groups_there_are_but_does_not_make_new_ones(places, world):
    """world.owner belongs to 甲指挥部 (owns its villages), but is not the office."""
    message = "第3行：陈桥村没有5组，村民小组只能由办公室新增；请联系办公室添加，或更正村/组列。"
    refused(sheet(line(1, "张三", "陈桥村5组", ID1)), message, world.owner)
    message = "第3行：陈桥村没有5组，村民小组只能由办公室新增；请联系办公室添加，或更正组列。"
    refused(sheet(line(1, "张三", "陈桥村", ID1, group=5), group_column="组"), message, world.owner)
    result = run(sheet(line(1, "张三", "陈桥村1组", ID1)), world.owner)
    assert result.ok, result.errors
    assert Household.objects.get().group == places.group1
    # after a slash the text is the address, as it always was: no group made, nothing refused
    result = run(sheet(line(1, "李四", "陈桥村/5组", ID2)), world.owner)
    assert result.ok, result.errors
    li = Household.objects.get(head_name="李四")
    assert (li.address, li.group) == ("5组", None)
    assert groups_of(places.chenqiao) == [("陈桥村1组", "1组")]


def test_the_office_gets_the_group_after_a_slash_too(places, world):
    assert run(sheet(line(1, "李四", "陈桥村/5组", ID2)), world.office).ok
    li = Household.objects.get()
    assert (li.address, li.group.short_name) == ("5组", "5组")


def test_groups_are_made_only_when_the_whole_file_is_taken(places, world):
    bad = sheet(line(1, "张三", "陈桥村7组", ID1), line(2, "李四", "陈桥村8组", "123"))
    result = refused(bad, "第4行（李四）：身份证号*23无效：身份证号应为18位，此号为3位。", world.office)
    assert result.notes == []
    assert groups_of(places.chenqiao) == [("陈桥村1组", "1组")]
    checked_only = run(sheet(line(1, "张三", "陈桥村7组", ID1)), world.office, dry_run=True)
    assert checked_only.ok and checked_only.created == 1
    assert checked_only.notes == ["将新建村民小组：陈桥村7组。"]
    assert groups_of(places.chenqiao) == [("陈桥村1组", "1组")] and not Household.objects.exists()


def test_the_dry_run_counts_a_household_moving_into_a_group_to_be_made(places, world):
    assert run(sheet(line(1, "张三", "陈桥村", ID1))).ok
    data = sheet(line(1, "张三", "陈桥村4组", ID1))
    checked_only = run(data, dry_run=True)
    assert (checked_only.updated, checked_only.changes[0].fields) == (1, ["组"])
    assert Household.objects.get().group is None
    result = run(data)
    assert (result.updated, result.changes[0].fields) == (1, ["组"])
    assert Household.objects.get().group.short_name == "4组"


def test_a_later_chunk_error_rolls_the_groups_back(places, world, monkeypatch):
    monkeypatch.setattr(roster.importing, "CHUNK", 1)
    bad = sheet(line(1, "张三", "陈桥村7组", ID1), line(2, "李四", "陈桥村8组", ID2), line(3, "王五", "外村"))
    refused(bad, "第5行：村“外村”不存在。", world.office)
    assert groups_of(places.chenqiao) == [("陈桥村1组", "1组")]


def test_the_export_writes_village_group_and_phone_back(places, world):
    data = sheet(
        line(1, "张三", "陈桥村2组", ID1, phone="+86 138 0591 2345"),
        line(2, "李四", "某镇陈桥村第一村民小组", ID2, phone="0594-2345678/13905912345"),
        line(3, "王五", "江尾村/东头12号"),
        line(4, "王五", "陈桥村", group="三"),
        group_column="组",
    )
    assert run(data, world.office).ok
    before = state()
    for mask in (False, True):
        exported = roster.export_ledger(Household.objects.all(), mask=mask)
        rows = list(openpyxl.load_workbook(io.BytesIO(exported)).active.iter_rows(values_only=True))
        assert rows[1][12] == "组"
        by_name = {(r[2], r[12]): r for r in rows[2:]}
        assert by_name[("张三", "2组")][4:6] == (
            ("+86 138 0591 2345", "陈桥村") if not mask else ("138****2345", "陈桥村")
        )
        assert by_name[("王五", None)][5] == "江尾村/东头12号"
        again = run(exported, world.office)
        assert again.ok, again.errors
        assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
        assert state() == before


# Phones --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13805912345", "13805912345"),
        ("+86 138 0591 2345", "13805912345"),
        ("+8613805912345", "13805912345"),
        ("86-138-0591-2345", "13805912345"),
        ("8613805912345", "13805912345"),
        ("0086 138 0591 2345", "13805912345"),
        ("138 0591 2345", "13805912345"),
        ("１３８０５９１２３４５", "13805912345"),
        ("0594-2345678", "05942345678"),
        ("(0594)2345678", "05942345678"),
        ("（０５９４）２３４５６７８", "05942345678"),
        ("0594 2345678", "05942345678"),
        ("010-12345678", "01012345678"),
        ("+86 594 2345678", "05942345678"),
        ("2345678", "2345678"),
        ("13805912345/0594-2345678", "13805912345,05942345678"),
        ("13805912345、13905912345", "13805912345,13905912345"),
        ("13805912345,13905912345", "13805912345,13905912345"),
        ("13805912345；13905912345", "13805912345,13905912345"),
        ("13805912345 13905912345", "13805912345,13905912345"),
        ("13805912345 / 13805912345", "13805912345"),
    ],
)
def test_phones_are_stored_in_one_form_and_shown_as_typed(places, world, typed, stored):
    assert phones.normalize(typed) == stored
    result = run(sheet(line(1, "张三", "陈桥村", ID1, phone=typed)), world.office)
    assert result.ok, result.errors
    zhang = Household.objects.get()
    assert (zhang.phone, zhang.phone_shown) == (stored, typed)
    assert zhang.phone_typed == ("" if typed == stored else typed)


@pytest.mark.parametrize("typed", ["12345", "138059123456", "电话未知", "+1 415 555 0100", "0594-23", "1380591234x"])
def test_a_bad_phone_is_refused_naming_the_row(places, world, typed):
    data = sheet(line(1, "张三", "陈桥村", ID1), line(2, "李四", "陈桥村", ID2, phone=typed))
    refused(
        data,
        f"第4行（李四）：联系电话“{typed}”不是电话号码（手机号11位，固定电话带区号，如0594-2345678；两个号码用/分隔）。",
    )


def test_the_same_number_typed_otherwise_is_the_same_phone(places, world):
    assert run(sheet(line(1, "张三", "陈桥村", ID1, phone="+86 138 0591 2345")), world.office).ok
    again = run(sheet(line(1, "张三", "陈桥村", ID1, phone="138-0591-2345")), world.office)
    assert again.ok and again.changes[0].fields == ["联系电话"]  # only the form shown
    zhang = Household.objects.get()
    assert (zhang.phone, zhang.phone_typed) == ("13805912345", "138-0591-2345")


def test_a_search_by_phone_uses_the_stored_form(places, world):
    data = sheet(
        line(1, "张三", "陈桥村", ID1, phone="+86 138 0591 2345"),
        line(2, "李四", "陈桥村", ID2, phone="0594-2345678/13905912345"),
        line(3, "王五", "陈桥村", ID3, phone="13705912345"),
    )
    assert run(data, world.office).ok
    found = {q: sorted(search.find(Household.objects.all(), q).values_list("head_name", flat=True)) for q in (
        "13805912345",
        "138 0591 2345",
        "+86-138-0591-2345",
        "(0594)2345678",
        "13905912345",
        "2345",
    )}  # fmt: skip
    assert found == {
        "13805912345": ["张三"],
        "138 0591 2345": ["张三"],
        "+86-138-0591-2345": ["张三"],
        "(0594)2345678": ["李四"],
        "13905912345": ["李四"],
        "2345": ["张三", "李四", "王五"],  # the last 4, as the masked form shows (王五: 1370591**2345)
    }


# Words -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "stage"),
    [
        ("未签约", Stage.NONE),
        ("未入户", Stage.NONE),
        ("已入户", Stage.VISITED),
        ("已丈量", Stage.MEASURED),
        ("已评估", Stage.ASSESSED),
        ("已签协议", Stage.SIGNED),
        ("已签约", Stage.SIGNED),
        ("签约", Stage.SIGNED),
        ("已交房", Stage.VACATED),
        ("已腾空", Stage.VACATED),
        ("已拆", Stage.DEMOLISHED),
        ("已拆除", Stage.DEMOLISHED),
        ("已交地", Stage.DELIVERED),
        (" 已 签 约 ", Stage.SIGNED),
    ],
)
def test_the_usual_stage_words_map_to_the_ledgers_steps(places, world, word, stage):
    assert run(sheet(line(1, "张三", "陈桥村", ID1, stage=word)), world.office).ok
    assert Household.objects.get().stage == stage


@pytest.mark.parametrize(
    ("word", "choice"),
    [
        ("货币补偿", Household.Compensation.MONEY),
        ("货币安置", Household.Compensation.MONEY),
        ("房票", Household.Compensation.MONEY),
        ("房票安置", Household.Compensation.MONEY),
        ("产权调换", Household.Compensation.SWAP),
        ("产权置换", Household.Compensation.SWAP),
        ("住房安置", Household.Compensation.SWAP),
        ("实物安置", Household.Compensation.SWAP),
    ],
)
def test_the_usual_compensation_words_map_to_the_ledgers_choices(places, world, word, choice):
    assert run(sheet(line(1, "张三", "陈桥村", ID1, compensation=word)), world.office).ok
    assert Household.objects.get().compensation == choice


def test_not_signed_keeps_an_earlier_stage_and_refuses_to_undo_a_signature(places, world):
    assert run(sheet(line(1, "张三", "陈桥村", ID1, stage="已评估"), line(2, "李四", "陈桥村", ID2, stage="已签约"))).ok
    result = run(sheet(line(1, "张三", "陈桥村", ID1, stage="未签约")))
    assert result.ok and (result.updated, result.unchanged) == (0, 1)
    assert Household.objects.get(head_name="张三").stage == Stage.ASSESSED
    message = "第3行（李四）：该户在台账中已是“签约”，“未签约”会使其退回（请在该户页面填写原因后回退）。"
    refused(sheet(line(1, "李四", "陈桥村", ID2, stage="未签约")), message)
    assert Household.objects.get(head_name="李四").stage == Stage.SIGNED


@pytest.mark.parametrize(
    ("column", "word", "message"),
    [
        (
            6,
            "已完工",
            "第3行：当前阶段“已完工”无法识别（应填未入户、入户摸底、丈量、评估、签约、腾空、拆除、交地、未签约）。",
        ),
        (5, "以租代拆", "第3行：补偿方式“以租代拆”无法识别（应填货币补偿、产权调换）。"),
    ],
)
def test_an_unknown_word_is_refused_naming_the_allowed_ones(places, world, column, word, message):
    row = line(1, "张三", "陈桥村", ID1)
    row[column] = word
    refused(sheet(row), message, world.office)


def test_group_numbers_in_chinese_numerals():
    from requisition.roster.groups import chinese_number, group_number, split_group

    assert [chinese_number(t) for t in ("一", "十", "十一", "二十", "二十三", "两", "一〇", "３")] == [
        1,
        10,
        11,
        20,
        23,
        2,
        10,
        3,
    ]
    assert [group_number(v) for v in (3, 3.0, "3", "三", "第三村民小组", "3组", "第3组", "3队")] == [3] * 8
    assert [group_number(v) for v in (0, 2.5, True, "东头", "陈桥村3组", "十十")] == [None] * 6
    assert split_group("涵江区某镇陈桥村第十二村民小组") == ("涵江区某镇陈桥村", 12)
    assert split_group("陈桥村") is None
    assert checked("35030219800101001") == ID1
