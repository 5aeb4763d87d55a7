"""The draft bulletin on the page (预览): the same figures as the .docx of the same draft, each unit's
figures linked to that unit, the totals to the campaign at the figures' date; office only; a fresh
zone's first draft says there is no data yet; bad input is refused and nothing is issued."""

import io
import shutil
from datetime import timedelta
from decimal import Decimal

import lxml.html
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from docx import Document

from accounts.models import AccountSecurity
from bulletins.models import Bulletin
from campaigns.models import Campaign, Indicator, Target
from duban import periods
from org.models import Membership, OrgUnit
from tests import bulletin_helpers
from tests.conftest import ARTIFACTS, log_in, submit

media = bulletin_helpers.media  # the fixture


@pytest.fixture(autouse=True)
def no_libreoffice(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)


def url(world):
    return reverse("bulletin_preview", args=[world.campaign.pk])


def query(world, **more):
    return {"kind": "week", "key": world.week.label, "issuer": "测试区攻坚办", **more}


@pytest.fixture
def reported(world):
    submit(world.a, world.week, {world.land: "12345.5", world.households: 7, world.projects: 3})
    submit(world.b, world.week, {world.land: "8600", world.households: 11})
    return world


def page_tables(html):
    tree = lxml.html.fromstring(html)
    return [
        [[cell.text_content().strip() for cell in row.xpath("./td")] for row in table.xpath("./tbody/tr")]
        for table in tree.xpath("//article[@id='sheet']//table")
    ], tree


def docx_tables(data):
    document = Document(io.BytesIO(data))
    return [[[cell.text for cell in row.cells] for row in table.rows[1:]] for table in document.tables], document


def test_the_page_shows_the_figures_of_the_word_file(reported, client):
    w = reported
    client.force_login(w.office)
    response = client.get(url(w), query(w))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    shown, tree = page_tables(html)
    written, document = docx_tables(client.get(url(w), query(w, format="docx")).content)
    assert len(shown) == len(written) >= 4  # three indicators and the league table
    assert shown == written
    # the figures reported are there, formatted as the document formats them
    land = shown[0]
    assert [row[0] for row in land] == ["甲指挥部", "乙指挥部", "合计"]
    assert land[0][2] == "12,345.50" and land[1][2] == "8,600.00" and land[2][2] == "20,945.50"
    # every line of the document is on the page: masthead, 第N期, issuer and date, title, 主送,
    # the sections 一、 and (一), the sentences, the captions, the 版记
    text = "".join(tree.xpath("//article[@id='sheet']")[0].text_content().split())
    lines = [piece for p in document.paragraphs for piece in p.text.split("\t") if piece.strip()]
    assert len(lines) > 15
    for line in lines:
        assert "".join(line.split()) in text, line
    for part in ("督查通报", "第1期", "测试区攻坚办", "甲指挥部、乙指挥部", "一、总体进展", "（一）交地面积", "印发"):
        assert part in text, part
    assert tree.xpath("//h1[@class='gw-title']")[0].text_content() == document.paragraphs[3].text
    # the charts are the document's pictures
    assert len(tree.xpath("//figure[@class='gw-chart' or contains(@class,'gw-chart')]/img")) == 4
    assert len(document.inline_shapes) == 4
    assert not Bulletin.objects.exists()  # a preview issues nothing


def test_each_figure_links_to_its_unit_and_the_totals_to_the_campaign_at_that_date(reported, client):
    w = reported
    client.force_login(w.office)
    tree = lxml.html.fromstring(client.get(url(w), query(w)).content.decode())
    land = tree.xpath("//article[@id='sheet']//table")[0]
    rows = land.xpath("./tbody/tr")
    unit_link = f"{reverse('unit', args=[w.a.pk])}?campaign={w.campaign.pk}"
    a_links = [a.get("href") for a in rows[0].xpath(".//a")]
    assert a_links[0] == unit_link and a_links[2] == reverse("report", args=[w.a.pk, w.week.label])
    assert rows[1].xpath(".//a")[0].get("href") == f"{reverse('unit', args=[w.b.pk])}?campaign={w.campaign.pk}"
    total = {a.get("href") for a in rows[2].xpath(".//a")}
    as_of = min(w.week.end, timezone.localdate())  # the figures' date: never a day still to come
    assert total == {f"{reverse('campaign_detail', args=[w.campaign.pk])}?at={as_of.isoformat()}"}
    league = tree.xpath("//article[@id='sheet']//table")[3]
    cells = [r.xpath("./td")[2] for r in league.xpath("./tbody/tr")]
    names = {cell.text_content(): cell.xpath(".//a")[0].get("href") for cell in cells}
    assert names["甲指挥部"].startswith(reverse("unit", args=[w.a.pk]))
    assert names["乙指挥部"].startswith(reverse("unit", args=[w.b.pk]))
    # the links lead somewhere the office may read
    for href in (unit_link, a_links[2], next(iter(total))):
        assert client.get(href).status_code == 200, href
    # numbers are right-aligned and never wrap
    assert all("n" in td.get("class", "").split() for td in rows[0].xpath("./td")[1:6])


def test_a_roll_up_preview_has_the_word_files_figures(reported, client):
    w = reported
    client.force_login(w.office)
    key = f"{w.week.end.year}-{w.week.end.month:02d}"
    shown, tree = page_tables(client.get(url(w), {"kind": "month", "key": key}).content.decode())
    written, document = docx_tables(client.get(url(w), {"kind": "month", "key": key, "format": "docx"}).content)
    assert shown == written and shown
    masthead = tree.xpath("//div[@class='gw-masthead']")[0].text_content()
    assert masthead == document.paragraphs[0].text and "汇总" in masthead


@pytest.mark.parametrize(
    "who, status", [("owner", 403), ("colleague", 403), ("leader", 403), ("outsider", 404), ("other_office", 404)]
)
def test_only_the_office_of_the_campaign_previews(world, client, who, status):
    client.force_login(getattr(world, who))
    assert client.get(url(world), query(world)).status_code == status


def test_the_office_sees_the_preview_and_anonymous_is_sent_to_log_in(world, client):
    assert client.get(url(world), query(world))["Location"].startswith(reverse("login"))
    client.force_login(world.office)
    assert client.get(url(world), query(world)).status_code == 200


@pytest.mark.parametrize(
    "data, message",
    [
        ({"key": ""}, "请指定文件对应的周次或期间"),
        ({"key": "2021-23"}, "周次格式应为"),
        ({"kind": "decade"}, "未知的文件类型"),
        ({"as_of": "yesterday"}, "日期格式应为"),
        ({"issuer": "办" * 101}, "发文单位名称太长"),
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(world, client, data, message):
    client.force_login(world.office)
    before = (Bulletin.objects.count(), Campaign.objects.count())
    response = client.get(url(world), query(world, **data), follow=True)
    assert message in response.content.decode()
    assert (Bulletin.objects.count(), Campaign.objects.count()) == before


def test_a_fresh_zone_with_no_reports_gets_a_no_data_draft(client, db):
    call_command("start_zone", "新安县", "--office", "xa-office", "--name", "新安县攻坚办", stdout=io.StringIO())
    zone = OrgUnit.objects.get(name="新安县")
    office = Membership.objects.get(unit=zone).user
    AccountSecurity.objects.filter(user=office).update(must_change_password=False)  # the first password changed
    post = OrgUnit.objects.create(name="城东指挥部", kind=OrgUnit.Kind.COMMAND_POST, parent=zone)
    land = Indicator.objects.create(code="xa-land", name="交地面积", unit_of_measure="亩")
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name="新安攻坚", owner=zone, start=today - timedelta(days=20), end=today + timedelta(days=60)
    )
    Target.objects.create(campaign=campaign, unit=post, indicator=land, amount=Decimal("100"))
    client.force_login(office)
    response = client.get(
        reverse("bulletin_preview", args=[campaign.pk]), {"kind": "week", "key": periods.week_of(today).label}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "暂无数据" in html and 'id="no-data"' in html
    tree = lxml.html.fromstring(html)
    assert tree.xpath("//article[@id='sheet']//table")  # the draft is there, with zeros
    assert not Bulletin.objects.exists()


def test_the_preview_in_the_browser_and_printed(server, reported, page, media):
    w = reported
    log_in(page, server, "office")
    page.goto(f"{server.url}{reverse('bulletins', args=[w.campaign.pk])}")
    page.click("#preview-weekly")
    page.wait_for_selector("#sheet")
    sheet = page.locator("#sheet")
    box = sheet.bounding_box()
    assert abs(box["height"] / box["width"] - 297 / 210) < 0.01 or box["height"] > box["width"] * 297 / 210
    # numbers never wrap: each figure cell is one line high
    heights = page.eval_on_selector_all(
        "#sheet td.n", "cells => cells.map(c => [c.getClientRects()[0].height, c.scrollWidth <= c.clientWidth])"
    )
    assert heights and all(fits for _h, fits in heights)
    # every table stays within the sheet's type area (nothing runs off the page)
    inside = page.eval_on_selector_all(
        "#sheet table",
        "ts => ts.map(t => t.getBoundingClientRect().right"
        " <= document.querySelector('#sheet').getBoundingClientRect().right)",
    )
    assert inside and all(inside)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    red = page.eval_on_selector(".gw-masthead", "e => getComputedStyle(e).color")
    assert red == "rgb(192, 0, 0)"
    charts = page.eval_on_selector_all("#sheet figure img", "imgs => imgs.map(i => i.naturalWidth)")
    assert len(charts) == 4 and all(width > 300 for width in charts)
    (ARTIFACTS / "bulletin-preview.png").write_bytes(page.screenshot(full_page=True))
    page.emulate_media(media="print")
    assert page.eval_on_selector("header.top", "e => getComputedStyle(e).display") == "none"
    assert page.eval_on_selector(".preview-bar", "e => getComputedStyle(e).display") == "none"
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf[:4] == b"%PDF"
    (ARTIFACTS / "bulletin-preview.pdf").write_bytes(pdf)
    # Issue from the preview: the confirm step, then issued
    page.emulate_media(media="screen")
    page.click(".preview-bar button.primary")
    page.wait_for_selector("button[name=confirm]")  # the confirm step first
    assert not Bulletin.objects.exists()
    page.click("button[name=confirm]")
    page.wait_for_selector("#archive")
    bulletin = Bulletin.objects.get()
    assert bulletin.period_key == w.week.label and bulletin.issuer == "测试区攻坚行动领导小组办公室"
    # what was archived has the figures the preview showed
    archived = Document(io.BytesIO(bulletin.file("docx").file.read()))
    assert [[c.text for c in row.cells] for row in archived.tables[0].rows[1:]][0][2] == "12,345.50"
