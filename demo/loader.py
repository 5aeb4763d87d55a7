"""Demo data drawn from the seed documents (news reports of the campaigns; see docs/domain.md).

Fuzhou high-tech zone (seed 000): four command posts, land delivered (亩) and households
relocated (户); the weekly amounts add up so that as of 2021-06-10 the zone stands at 76.47 %
of land delivered and 59.05 % of households relocated, 两园 first on land (96.25 %), 高岐湖
at 96 households and second on households.

Hanjiang (seed 001): "奋战100天，征迁300万" shared by seven command posts. The seed's dates
(autumn 2020) are moved to the present — the campaign started 60 days before the demo was
loaded — so that the demo has a running campaign whose reports can be filled in this week.

Loading twice changes nothing: every object is looked up by its natural key first.
"""

import os
from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from campaigns.models import Campaign, Indicator, Target, Task
from duban import periods
from org.models import Membership, OrgUnit
from reports.models import ReportValue, WeeklyReport

DEFAULT_PASSWORD = "duban-demo"

FUZHOU_POSTS = [
    # username, name, short, leader, land target/done at 06-10, households target/done at 06-10, shape
    ("fz-liangyuan", "两园指挥部", "两园", "郑宏伟", (800, 770), (100, 88), "early"),
    ("fz-xiaochengzhen", "小城镇指挥部", "小城镇", "陈巍", (1200, 860), (480, 250), "late"),
    ("fz-haixiyuan", "海西园指挥部", "海西园", "林鸿璋", (1000, 680), (350, 186), "even"),
    ("fz-gaoqihu", "高岐湖指挥部", "高岐湖", "黄志强", (400, 290), (120, 96), "late"),
]
# Weekly amounts after 10 June, to the end of the half-year campaign.
FUZHOU_AFTER = {"两园": (12, 4), "小城镇": (60, 30), "海西园": (55, 22), "高岐湖": (20, 6)}

HANJIANG_POSTS = [
    ("hj-shipin", "食品产业园指挥部", "食品产业园", "方志明", 300000),
    ("hj-chengbei", "城北装备制造园指挥部", "城北装备园", "吴海峰", 400000),
    ("hj-binhai", "滨海产业园指挥部", "滨海产业园", "蔡文彬", 350000),
    ("hj-baitanghu", "白塘湖片区指挥部", "白塘湖片区", "林国华", 800000),
    ("hj-daxuecheng", "大学城片区指挥部", "大学城片区", "郑少华", 550000),
    ("hj-dongchezhan", "涵江动车站片区指挥部", "动车站片区", "黄建新", 450000),
    ("hj-laojiu", "老旧小区改造指挥部", "老旧小区改造", "李秀英", 150000),
]
# Share of its target each Hanjiang post has done per elapsed week (percent of target per week).
HANJIANG_PACE = [Decimal(p) for p in ("7.5", "6.0", "8.0", "5.5", "4.0", "6.5", "9.0")]

PROGRESS_TEXTS = {
    "land_delivered": "本周完成交地{amount}亩，累计{cum}亩。",
    "households_relocated": "本周完成征迁{amount}户，累计{cum}户。",
    "area_demolished": "本周拆除{amount}平方米，累计{cum}平方米。",
}
EXPERIENCE = "坚持“错时走访+精准汇总+提前调解”，白天跑现场促丈量，晚上入户宣传政策。"
PROBLEMS = ["个别户对安置房分配存在分歧，需进一步做好政策解释。", "", "部分地块存在迁坟问题，正与村里协调。", ""]


def distribute(total, weeks, shape):
    """Split an integer total over `weeks` weeks following a shape; the parts add up exactly."""
    if shape == "early":
        weights = [weeks - k + 2 for k in range(weeks)]
    elif shape == "late":
        weights = [k + 2 for k in range(weeks)]
    else:
        weights = [3 + (k % 3) for k in range(weeks)]
    scale = sum(weights)
    parts = [total * w // scale for w in weights]
    parts[-1] += total - sum(parts)
    return [Decimal(p) for p in parts]


class Loader:
    def __init__(self, password, today, stdout=None):
        self.password = password
        self.today = today
        self.stdout = stdout
        self.tz = ZoneInfo(settings.TIME_ZONE)

    def say(self, text):
        if self.stdout:
            self.stdout.write(text)

    def user(self, username, full_name, unit, role, **extra):
        User = get_user_model()
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": full_name, **extra})
        if created:
            user.set_password(self.password)
            user.save()
        Membership.objects.get_or_create(user=user, unit=unit, role=role)
        return user

    def unit(self, name, kind, parent=None, **fields):
        unit, _ = OrgUnit.objects.get_or_create(name=name, parent=parent, defaults={"kind": kind, **fields})
        return unit

    def indicator(self, code, name, uom, order, **fields):
        indicator, _ = Indicator.objects.get_or_create(
            code=code, defaults={"name": name, "unit_of_measure": uom, "sort_order": order, **fields}
        )
        return indicator

    def submit(self, unit, week, user, amounts, texts, late=False):
        """A submitted report with the given {indicator: amount}; kept as is if it exists."""
        report, created = WeeklyReport.objects.get_or_create(unit=unit, week_end=week.end)
        if not created:
            return report
        when = week.deadline - timedelta(hours=3) if not late else week.deadline + timedelta(days=1, hours=2)
        report.status = WeeklyReport.Status.SUBMITTED
        report.submitted_at = when
        report.submitted_by = user
        report.updated_by = user
        report.progress_text, report.experience_text, report.problems_text = texts
        report.save()
        ReportValue.objects.bulk_create([ReportValue(report=report, indicator=i, amount=a) for i, a in amounts.items()])
        return report

    @transaction.atomic
    def load(self):
        User = get_user_model()
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser("admin", "admin@example.invalid", self.password, first_name="系统管理员")

        fuzhou = self.unit("福州高新区", OrgUnit.Kind.ZONE, leader="高新区管委会", sort_order=1)
        hanjiang = self.unit("涵江区", OrgUnit.Kind.ZONE, leader="涵江区“双轮”驱动攻坚行动领导小组", sort_order=2)
        self.user("office", "领导小组办公室", fuzhou, Membership.Role.OFFICE, is_staff=True)
        self.user("office", "领导小组办公室", hanjiang, Membership.Role.OFFICE)
        self.user("leader", "区领导", fuzhou, Membership.Role.LEADER)
        self.user("leader", "区领导", hanjiang, Membership.Role.LEADER)

        land = self.indicator("land_delivered", "交地面积", "亩", 10)
        households = self.indicator("households_relocated", "征迁户数", "户", 20)
        demolished = self.indicator("area_demolished", "拆除面积", "m²", 30)

        fuzhou_campaign = self.load_fuzhou(fuzhou, land, households)
        from demo import projects as projects_demo

        projects_demo.load(list(fuzhou.children.order_by("sort_order")), fuzhou_campaign)
        investment = self.indicator(
            "project_investment", "重点项目完成投资", "万元", 40, source=Indicator.Source.PROJECT_INVESTMENT
        )
        projects_demo.add_investment_targets(fuzhou_campaign, investment)
        from demo import economy as economy_demo

        economy_demo.load(fuzhou)
        hanjiang_campaign = self.load_hanjiang(hanjiang, demolished)
        from demo import requisition as requisition_demo

        requisition_demo.load(self, hanjiang, hanjiang_campaign)
        signed = self.indicator("households_signed", "签约户数", "户", 50, source=Indicator.Source.HOUSEHOLDS_SIGNED)
        Target.objects.get_or_create(
            campaign=hanjiang_campaign,
            unit=OrgUnit.objects.get(name="白塘湖片区指挥部"),
            indicator=signed,
            defaults={"amount": 3875},
        )
        from demo import land as land_demo

        land_demo.load(self, OrgUnit.objects.get(name="随州高新区", parent=None))
        from demo import problems as problems_demo

        problems_demo.load(self, hanjiang, hanjiang_campaign)
        from demo import cadres as cadres_demo

        cadres_demo.load(self, hanjiang, hanjiang_campaign)
        self.say("demo data loaded")

    def load_fuzhou(self, zone, land, households):
        campaign, _ = Campaign.objects.get_or_create(
            name="2021年上半年征迁交地攻坚行动",
            defaults={
                "slogan": "比学赶超 奋勇争先",
                "owner": zone,
                "start": date(2021, 1, 1),
                "end": date(2021, 6, 30),
                "goals": "四个片区指挥部完成年度交地和征迁户数任务；每周一报表、每月一汇总；每周一晒、每月一排名。",
            },
        )
        cutoff = periods.week_of(date(2021, 6, 10))
        weeks = periods.weeks_between(campaign.start, campaign.end)
        before = [w for w in weeks if w <= cutoff]
        after = [w for w in weeks if w > cutoff]
        for k, (username, name, short, leader, (land_t, land_d), (hh_t, hh_d), shape) in enumerate(FUZHOU_POSTS):
            post = self.unit(name, OrgUnit.Kind.COMMAND_POST, zone, short_name=short, leader=leader, sort_order=k + 1)
            user = self.user(username, f"{short}填报员", post, Membership.Role.REPORTER)
            Target.objects.get_or_create(campaign=campaign, unit=post, indicator=land, defaults={"amount": land_t})
            Target.objects.get_or_create(campaign=campaign, unit=post, indicator=households, defaults={"amount": hh_t})
            land_parts = distribute(land_d, len(before), shape) + [Decimal(FUZHOU_AFTER[short][0])] * len(after)
            hh_parts = distribute(hh_d, len(before), shape) + [Decimal(FUZHOU_AFTER[short][1])] * len(after)
            land_cum = hh_cum = Decimal(0)
            for n, week in enumerate(weeks):
                land_cum += land_parts[n]
                hh_cum += hh_parts[n]
                text = PROGRESS_TEXTS["land_delivered"].format(amount=land_parts[n], cum=land_cum) + PROGRESS_TEXTS[
                    "households_relocated"
                ].format(amount=hh_parts[n], cum=hh_cum)
                self.submit(
                    post,
                    week,
                    user,
                    {land: land_parts[n], households: hh_parts[n]},
                    (text, EXPERIENCE if n % 4 == 0 else "", PROBLEMS[(n + k) % 4]),
                    late=(n + k) % 9 == 0,
                )
            Task.objects.get_or_create(
                campaign=campaign,
                unit=post,
                title=f"{short}片区完成“集中交地月”交地任务",
                defaults={"deadline": date(2021, 4, 30), "status": Task.Status.DONE, "done_on": date(2021, 4, 28)},
            )
        return campaign

    def load_hanjiang(self, zone, demolished):
        start = self.today - timedelta(days=60)
        campaign, _ = Campaign.objects.get_or_create(
            name="奋战100天，征迁300万",
            defaults={
                "slogan": "强产业、兴城市“双轮”驱动攻坚行动",
                "owner": zone,
                "start": start,
                "end": start + timedelta(days=99),
                "goals": "100天完成征迁300万平方米；7个指挥部全部由处级领导挂钩负责；一线考察、对单考核。",
            },
        )
        last_closed = periods.current_week().prev()
        weeks = [w for w in periods.weeks_between(campaign.start, campaign.end) if w <= last_closed]
        for k, (username, name, short, leader, target) in enumerate(HANJIANG_POSTS):
            post = self.unit(name, OrgUnit.Kind.COMMAND_POST, zone, short_name=short, leader=leader, sort_order=k + 1)
            user = self.user(username, f"{short}填报员", post, Membership.Role.REPORTER)
            Target.objects.get_or_create(
                campaign=campaign, unit=post, indicator=demolished, defaults={"amount": target}
            )
            cum = Decimal(0)
            for n, week in enumerate(weeks):
                wobble = Decimal(100 + ((n * 37 + k * 11) % 41) - 20) / 100
                amount = (Decimal(target) * HANJIANG_PACE[k] / 100 * wobble).quantize(Decimal(1))
                cum += amount
                text = PROGRESS_TEXTS["area_demolished"].format(amount=amount, cum=cum)
                self.submit(
                    post, week, user, {demolished: amount}, (text, "", PROBLEMS[(n + k) % 4]), late=(n + k) % 7 == 0
                )
            Task.objects.get_or_create(
                campaign=campaign,
                unit=post,
                title=f"{short}完成征迁摸底和丈量",
                defaults={"deadline": campaign.start + timedelta(days=45)},
            )
        return campaign


def load(stdout=None, today=None):
    password = os.environ.get("DUBAN_DEMO_PASSWORD") or DEFAULT_PASSWORD
    Loader(password, today or timezone.localdate(), stdout).load()
