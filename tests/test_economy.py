"""Economic indicators: 比增 and 环比 computed from the stored figures of both years (never typed),
the seed's first quarter reproduced from raw rows, the monthly form with its revisions and bad
input, the pages' reach, the CLI, the big screen's strip and the bulletin's section."""

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from audit.models import Entry
from economy import bulletin, growth, screen
from economy.models import FigureRevision, MonthlyFigure, ReportSelection
from org.scoping import Scope
from tests.economy_helpers import SEED, economy_fingerprint, indicators, load_raw


@pytest.fixture
def econ(world):
    """The seed's raw rows for 甲指挥部 (w.a), which the owner reports for."""
    world.ind = load_raw(world.a)
    return world


def by_name(readings):
    return {r.indicator.short_name: r for r in readings}


def test_it_reproduces_every_seed_figure_from_raw_rows(econ):
    found = by_name(growth.readings(econ.a, 2021, 3))
    for name, (value, unit, rate) in SEED.items():
        r = found[name]
        assert r.cumulative == Decimal(value), name
        assert r.indicator.unit_of_measure == unit
        if rate is None:
            assert r.growth is None and r.growth_note == "上年同期无数据"
        else:
            places = len(rate.split(".")[1]) if "." in rate else 0
            assert growth.rounded(r.growth, places) == Decimal(rate), name
    # the growth is the quotient of the stored figures: 60.3 / 41.1
    assert found["固投"].last_cumulative == Decimal("41.1")
    assert found["固投"].growth == (Decimal("60.3") - Decimal("41.1")) / Decimal("41.1") * 100


def test_cumulative_only_indicators_derive_the_months_and_monthly_ones_the_cumulative(econ):
    fixed = by_name(growth.readings(econ.a, 2021, 3))["固投"]
    assert fixed.month_value == Decimal("26.5")  # 60.3 - 33.8
    output = by_name(growth.readings(econ.a, 2021, 2))["规上工业产值"]
    assert output.cumulative == Decimal("29.3")  # 15.2 + 14.1
    assert output.mom == (Decimal("14.1") - Decimal("15.2")) / Decimal("15.2") * 100  # 环比
    march = by_name(growth.readings(econ.a, 2021, 3))["规上工业产值"]
    assert march.month_growth == (Decimal("19.7") - Decimal("13.4")) / Decimal("13.4") * 100


def test_a_missing_or_zero_last_year_gives_no_growth_and_says_so(econ):
    january = by_name(growth.readings(econ.a, 2021, 1))["固投"]  # 固投 has no 1月 figure
    assert january.cumulative is None and january.growth is None and january.growth_note == "本期无数据"
    MonthlyFigure.objects.create(
        unit=econ.a, indicator=econ.ind["foreign_investment"], year=2020, month=1, month_value=0
    )
    jan = by_name(growth.readings(econ.a, 2021, 1))["实际利用外资"]
    assert jan.growth is None and jan.growth_note == "上年同期为零，不计增速"
    other = by_name(growth.readings(econ.b, 2021, 3))["固投"]
    assert other.cumulative is None and other.growth is None


def test_the_cli_prints_the_seeds_first_quarter(econ):
    out = StringIO()
    call_command("indicators", unit="甲指挥部", period="2021-Q1", format="json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["period"] == "2021-Q1" and data["months"] == "1-3月"
    rows = {i["name"]: i for i in data["indicators"]}
    for name, (value, _unit, rate) in SEED.items():
        assert Decimal(rows[name]["value"]) == Decimal(value)
        if rate is not None:
            assert Decimal(rows[name]["growth_pct"]) == Decimal(rate)
    assert rows["实际利用外资"]["growth_pct"] is None and rows["实际利用外资"]["note"] == "上年同期无数据"
    text = StringIO()
    call_command("indicators", unit=str(econ.a.pk), period="2021-Q1", stdout=text)
    assert "固投 60.3亿元，比增46.7%" in text.getvalue()
    assert "实际利用外资 3,392万元，上年同期无数据" in text.getvalue()


def test_the_cli_reads_the_demo(db):
    from demo import economy as economy_demo
    from org.models import OrgUnit

    indicators()
    zone = OrgUnit.objects.create(name="福州高新区", kind=OrgUnit.Kind.ZONE)
    economy_demo.load(zone)
    economy_demo.load(zone)  # safe to run twice
    assert MonthlyFigure.objects.count() == sum(len(m) for y in economy_demo.FIGURES.values() for m in y.values())
    out = StringIO()
    call_command("indicators", unit="福州高新区", period="2021-Q1", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "福州高新区 2021年1-3月"
    assert "工业固投 29.3亿元，比增163.7%" in lines and "限上社会消费品零售总额 5.66亿元，比增28.41%" in lines


# The monthly form -------------------------------------------------------------------------------


def entry_url(w, unit=None, year=2021, month=3):
    return f"{reverse('economy_entry', args=[(unit or w.a).pk])}?year={year}&month={month}"


def form(w, **values):
    """POST data: {code: (month value, cumulative, reason)}."""
    data = {"year": "2021", "month": "4"}
    for code, (mv, cum, reason) in values.items():
        pk = w.ind[code].pk
        data[f"month_value_{pk}"], data[f"cumulative_{pk}"], data[f"reason_{pk}"] = mv, cum, reason
    return data


def test_the_owner_types_a_month_and_growth_follows(econ, login):
    client = login(econ.owner)
    response = client.post(
        entry_url(econ, month=4), form(econ, industrial_output=("16.0", "", ""), fixed_investment=("", "80.5", ""))
    )
    assert response.status_code == 302
    april = by_name(growth.readings(econ.a, 2021, 4))
    assert april["规上工业产值"].month_value == Decimal("16.0") and april["规上工业产值"].cumulative == Decimal("65.0")
    assert april["规上工业产值"].growth is None  # no 2020 April figure: says so
    assert april["固投"].cumulative == Decimal("80.5") and april["固投"].month_value == Decimal("20.2")
    figure = MonthlyFigure.objects.get(unit=econ.a, indicator=econ.ind["industrial_output"], year=2021, month=4)
    assert figure.updated_by == econ.owner
    assert Entry.objects.filter(model="economy.monthlyfigure", object_id=str(figure.pk)).exists()


def test_a_revision_keeps_both_values_and_its_reason_and_growth_uses_the_new_one(econ, login):
    client = login(econ.office)
    pk = econ.ind["fixed_investment"].pk
    data = {"year": "2021", "month": "3", f"cumulative_{pk}": "61.2", f"reason_{pk}": "统计口径调整"}
    assert client.post(entry_url(econ), data).status_code == 302
    revision = FigureRevision.objects.get()
    assert (revision.old_value, revision.new_value, revision.reason) == (
        Decimal("60.3"),
        Decimal("61.2"),
        "统计口径调整",
    )
    assert revision.revised_by == econ.office
    fixed = by_name(growth.readings(econ.a, 2021, 3))["固投"]
    assert fixed.cumulative == Decimal("61.2")
    assert growth.rounded(fixed.growth, 1) == Decimal("48.9")  # 61.2 / 41.1
    page = client.get(
        reverse("economy_indicator", args=[econ.a.pk, "fixed_investment"]) + "?year=2021"
    ).content.decode()
    assert "统计口径调整" in page and "60.30" in page and "61.20" in page


BAD = [
    ("a growth rate in a value", {"industrial_output": ("46.7%", "", "")}, "是增长率，不是数值"),
    ("a percentage in a cumulative", {"fixed_investment": ("", "46.7％", "")}, "是增长率，不是数值"),
    ("not a number", {"industrial_output": ("十五", "", "")}, "不是数字"),
    ("negative", {"industrial_output": ("-3", "", "")}, "为负数"),
    ("a month value of a cumulative-only indicator", {"fixed_investment": ("5", "", "")}, "只公布累计数"),
]


@pytest.mark.parametrize("label,values,message", BAD, ids=[b[0] for b in BAD])
def test_bad_values_are_refused_with_a_chinese_message_and_nothing_changes(econ, login, label, values, message):
    client = login(econ.owner)
    before = economy_fingerprint()
    data = form(econ, **values, budget_revenue=("3.3", "", ""))  # a good value beside: not saved either
    response = client.post(entry_url(econ, month=4), data)
    assert response.status_code == 400
    assert message in response.content.decode() and "未保存任何数据" in response.content.decode()
    assert economy_fingerprint() == before


def test_a_revision_without_a_reason_is_refused(econ, login):
    client = login(econ.owner)
    before = economy_fingerprint()
    pk = econ.ind["industrial_output"].pk
    response = client.post(entry_url(econ), {"year": "2021", "month": "3", f"month_value_{pk}": "20.1"})
    assert response.status_code == 400 and "须填写修订原因" in response.content.decode()
    assert economy_fingerprint() == before


@pytest.mark.parametrize(
    "month,message", [("13", "不是一年中的月份"), ("0", "不是一年中的月份"), ("2020-03", "不在本表所属的 2021 年内")]
)
def test_a_month_outside_the_year_is_refused(econ, login, month, message):
    client = login(econ.owner)
    before = economy_fingerprint()
    data = form(econ, industrial_output=("16", "", ""))
    data["month"] = month
    response = client.post(reverse("economy_entry", args=[econ.a.pk]), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert economy_fingerprint() == before


def test_a_unit_outside_the_zone_is_a_404_and_nothing_changes(econ, login):
    before = economy_fingerprint()
    for user in (econ.office, econ.owner):
        client = login(user)
        response = client.post(entry_url(econ, unit=econ.c, month=4), form(econ, industrial_output=("16", "", "")))
        assert response.status_code == 404
    assert economy_fingerprint() == before


# Reach of every page and endpoint --------------------------------------------------------------

# user → (overview with ?unit=甲, indicator page, entry form GET, entry POST, selection POST, import page)
EXPECTED = {
    "owner": (200, 200, 200, 302, 403, 403),
    "colleague": (404, 404, 404, 404, 404, 403),
    "outsider": (404, 404, 404, 404, 404, 403),
    "office": (200, 200, 200, 302, 302, 200),
    "leader": (200, 200, 403, 403, 403, 403),
    "other_office": (404, 404, 404, 404, 404, 200),
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_each_page_and_endpoint_answers_each_person(econ, login, who):
    client = login(getattr(econ, who))
    before = economy_fingerprint()
    got = (
        client.get(reverse("economy") + f"?unit={econ.a.pk}").status_code,
        client.get(reverse("economy_indicator", args=[econ.a.pk, "fixed_investment"])).status_code,
        client.get(entry_url(econ)).status_code,
        client.post(entry_url(econ, month=4), form(econ, industrial_output=("16", "", ""))).status_code,
        client.post(
            reverse("economy_selection", args=[econ.a.pk]), {"indicator": [econ.ind["fixed_investment"].pk]}
        ).status_code,
        client.get(reverse("economy_import")).status_code,
    )
    assert got == EXPECTED[who]
    if got[3] != 302 and got[4] != 302:
        assert economy_fingerprint() == before


def test_the_overview_shows_only_figures_in_reach(econ, login):
    page = login(econ.office).get(reverse("economy") + f"?unit={econ.a.pk}&period=2021-Q1").content.decode()
    assert "60.3" in page and "比增 46.7%" in page and "上年同期无数据" in page
    assert 'data-econ-chart="years"' in page and 'id="growth-data"' in page
    default = login(econ.office).get(reverse("economy")).content.decode()  # the unit holding figures
    assert "甲指挥部 2021年1-3月" in default and f'<option value="{econ.a.pk}" selected>甲指挥部' in default
    other = login(econ.other_office).get(reverse("economy")).content.decode()
    assert "60.3" not in other and "甲指挥部" not in other
    assert login(econ.owner).get(reverse("economy") + "?unit=1&period=2021-13").status_code in (404,)


def test_an_unknown_indicator_or_period_is_a_404(econ, login):
    client = login(econ.office)
    assert client.get(reverse("economy_indicator", args=[econ.a.pk, "nothing"])).status_code == 404
    assert client.get(reverse("economy") + f"?unit={econ.a.pk}&period=2021-14").status_code == 404


def test_a_fresh_install_has_the_catalogue_and_an_empty_overview(db, client):
    from django.contrib.auth import get_user_model

    from org.models import Membership, OrgUnit

    indicators()
    zone = OrgUnit.objects.create(name="新区", kind=OrgUnit.Kind.ZONE)
    office = get_user_model().objects.create_user("new-office", password="x-pass-123")
    Membership.objects.create(user=office, unit=zone, role=Membership.Role.OFFICE)
    client.force_login(office)
    page = client.get(reverse("economy")).content.decode()
    assert "新区" in page and "本年尚无数据" in page and "固定资产投资" in page
    assert client.get(entry_url(None, unit=zone)).status_code == 200


# The big screen and the bulletin ---------------------------------------------------------------


def test_the_screen_strip_shows_the_latest_month_with_growth(econ):
    strip = screen.strip(Scope(econ.office))
    assert strip["reach"] == "甲指挥部" and strip["period"] == "2021年1-3月"
    tiles = {t["name"]: t for t in strip["tiles"]}
    assert tiles["固投"]["value"] == "60.3" and tiles["固投"]["growth"] == 46.7
    assert tiles["实际利用外资"]["growth"] is None and tiles["实际利用外资"]["growth_text"] == "上年同期无数据"
    assert screen.strip(Scope(econ.other_office)) is None


def test_the_screen_data_carries_the_strip(econ):
    from dashboard.screen_data import headline

    assert headline(Scope(econ.office), date.today())["economy"]["tiles"][0]["name"] == "固投"
    assert headline(Scope(econ.other_office), date.today())["economy"] is None


def test_the_bulletin_carries_the_indicators_the_office_chose(econ, login):
    assert bulletin.section(econ.zone, date(2021, 6, 30)) is None  # nothing chosen: no section
    client = login(econ.office)
    chosen = [econ.ind["fixed_investment"].pk, econ.ind["foreign_investment"].pk]
    assert client.post(reverse("economy_selection", args=[econ.zone.pk]), {"indicator": chosen}).status_code == 302
    assert sorted(ReportSelection.objects.get(unit=econ.zone).indicators.values_list("pk", flat=True)) == sorted(chosen)
    # the figures are 甲's; the office chose for the zone: 甲's campaign bulletin finds the zone's choice
    ReportSelection.objects.filter(unit=econ.zone).update(unit=econ.a)
    section = bulletin.section(econ.a, date(2021, 6, 30))
    assert section.months_label == "2021年1-3月"
    assert section.sentence() == "2021年1-3月，甲指挥部：固投60.3亿元，比增46.7%；实际利用外资3,392万元。"
    assert bulletin.section(econ.a, date(2021, 2, 28)).months_label == "2021年1-2月"


def test_the_word_bulletin_has_the_economic_section(econ):
    import io

    from docx import Document

    from bulletins import documents

    selection = ReportSelection.objects.create(unit=econ.zone)
    selection.indicators.set([econ.ind["fixed_investment"]])
    # the figures belong to the unit chosen: here the zone
    MonthlyFigure.objects.filter(unit=econ.a).update(unit=econ.zone)
    doc = documents.build(econ.campaign, "week", econ.week)
    text = "\n".join(p.text for p in Document(io.BytesIO(doc.docx)).paragraphs)
    assert "经济指标" in text and "固投60.3亿元，比增46.7%" in text
