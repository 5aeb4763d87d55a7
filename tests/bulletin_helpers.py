"""Set-up for the bulletin tests: the seed-000 part of the demo (Fuzhou high-tech zone's campaign,
its weekly reports and its 93 key projects) without the slow requisition ledgers, and an archive
folder of the test's own."""

from datetime import date

import pytest

from campaigns.models import Indicator
from demo import loader as demo
from demo import projects as projects_demo
from org.models import OrgUnit


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def fuzhou(db):
    """The seed-000 campaign exactly as load_demo makes it (76.47 % / 59.05 % on 2021-06-10,
    88.19 亿元 = 51.39 % of the annual plan through May)."""
    loader = demo.Loader("demo-pass", date(2021, 6, 20))
    zone = loader.unit("福州高新区", OrgUnit.Kind.ZONE, leader="高新区管委会", sort_order=1)
    land = loader.indicator("land_delivered", "交地面积", "亩", 10)
    households = loader.indicator("households_relocated", "征迁户数", "户", 20)
    campaign = loader.load_fuzhou(zone, land, households)
    projects_demo.load(list(zone.children.order_by("sort_order")), campaign)
    investment = loader.indicator(
        "project_investment", "重点项目完成投资", "万元", 40, source=Indicator.Source.PROJECT_INVESTMENT
    )
    projects_demo.add_investment_targets(campaign, investment)
    return campaign
