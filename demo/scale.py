"""Consistent synthetic data at province scale, for the benchmark (bench/screen.py).

    python manage.py generate_scale_data --units 2000 --projects 50000 --households 1000000 --weeks 260

A province (规模测试省) of zones (one per 100 units), each with command posts, a working group
per post, requisition areas and villages. Each zone runs half-year campaigns one after the
other over the weeks (the last one running today) with targets per command post for land
delivered, households relocated and m² demolished (typed weekly) and, for the posts holding
villages, households signed (from the ledger); every post and working group has submitted a
report every week but the current one. Key projects (with annual plans, monthly investment,
start and completion milestones), households with increasing step dates, graves, enterprises
and coordination problems are spread over the zones. Everything is written in big batches
(demo/bulk.py), then the screen's roll-ups are rebuilt.

Names, ID numbers and phones are synthetic; the same seed gives the same data.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from campaigns.models import Campaign, Indicator, Target, Task
from dashboard import rollups
from demo.bulk import analyze, insert_rows
from duban import periods
from org.models import Membership, OrgUnit
from problems.models import Problem
from projects.models import AnnualPlan, Milestone, MonthlyInvestment, Project
from reports.models import ReportValue, WeeklyReport
from requisition.ids import check_char
from requisition.models import Enterprise, Grave, Household

ROOT_NAME = "规模测试省"
UNITS_PER_ZONE = 100
CAMPAIGN_DAYS = 182
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志明海燕红梅文辉玉兰"
WAN = Decimal(10_000)
STAGE_ORDER = ["none", "visited", "measured", "assessed", "signed", "vacated", "demolished", "delivered"]
STAGE_WEIGHTS = (8, 8, 10, 12, 14, 10, 14, 24)


class AlreadyThere(Exception):
    pass


class Generator:
    def __init__(self, units, projects, households, weeks, seed=7, today=None, say=print):
        self.n_units, self.n_projects, self.n_households, self.n_weeks = units, projects, households, weeks
        self.rng = random.Random(seed)
        self.today = today or timezone.localdate()
        self.say = say
        self.this_week = periods.current_week()
        self.first_week = self.this_week.prev(weeks)
        self.first_day = self.first_week.start

    # The tree ------------------------------------------------------------------------------------
    def _level(self, specs):
        """Create a level of units (name, kind, parent, short, order) and give them their paths."""
        units = OrgUnit.objects.bulk_create(
            [OrgUnit(name=n, kind=k, parent=p, short_name=s, sort_order=o, path="") for n, k, p, s, o in specs]
        )
        for unit in units:
            unit.path = (unit.parent.path if unit.parent else "") + f"{unit.pk:06d}."
        OrgUnit.objects.bulk_update(units, ["path"], batch_size=5_000)
        return units

    def make_tree(self):
        K = OrgUnit.Kind
        if OrgUnit.objects.filter(name=ROOT_NAME, parent__isnull=True).exists():
            raise AlreadyThere
        (self.root,) = self._level([(ROOT_NAME, K.ZONE, None, "", 0)])
        n_zones = max(1, self.n_units // UNITS_PER_ZONE)
        per_zone = max(6, (self.n_units - 1) // n_zones)
        posts_per_zone = max(1, min(8, per_zone // 10))
        areas_per_zone = max(1, posts_per_zone // 2)
        villages_per_zone = max(1, per_zone - 1 - 2 * posts_per_zone - areas_per_zone)
        self.zones = self._level([(f"第{z + 1}开发区", K.ZONE, self.root, f"{z + 1}区", z + 1) for z in range(n_zones)])
        self.posts = {}  # zone pk -> [posts]
        specs = []
        for zone in self.zones:
            for p in range(posts_per_zone):
                specs.append(
                    (f"{zone.name}第{p + 1}指挥部", K.COMMAND_POST, zone, f"{zone.short_name}{p + 1}部", p + 1)
                )
        posts = self._level(specs)
        for post in posts:
            self.posts.setdefault(post.parent_id, []).append(post)
        self.groups = self._level(
            [(f"{post.name}工作组", K.WORKING_GROUP, post, f"{post.short_name}组", 1) for post in posts]
        )
        area_specs = []
        for zone in self.zones:
            for a in range(areas_per_zone):
                post = self.posts[zone.pk][a % posts_per_zone]
                area_specs.append((f"{post.name}{a + 1}片区", K.AREA, post, f"{a + 1}片区", a + 1))
        self.areas = self._level(area_specs)
        areas_by_zone = {}
        for area in self.areas:
            areas_by_zone.setdefault(area.parent.parent_id, []).append(area)
        village_specs = []
        for zone in self.zones:
            zone_areas = areas_by_zone[zone.pk]
            for v in range(villages_per_zone):
                area = zone_areas[v % len(zone_areas)]
                village_specs.append((f"{zone.short_name}{v + 1}村", K.VILLAGE, area, "", v + 1))
        self.villages = self._level(village_specs)
        self.village_post = {v.pk: v.parent.parent_id for v in self.villages}
        total = 1 + len(self.zones) + len(posts) + len(self.groups) + len(self.areas) + len(self.villages)
        self.say(f"units: {total} ({len(self.zones)} zones, {len(posts)} command posts, {len(self.villages)} villages)")

    def make_users(self, password):
        User = get_user_model()
        user, created = User.objects.get_or_create(username="scale-office", defaults={"first_name": "规模测试办公室"})
        if created:
            user.set_password(password)
            user.save()
        Membership.objects.get_or_create(user=user, unit=self.root, role=Membership.Role.OFFICE)
        self.office = user

    # Campaigns, targets, tasks, reports ----------------------------------------------------------
    def indicator(self, code, name, uom, order, **fields):
        indicator, _ = Indicator.objects.get_or_create(
            code=code, defaults={"name": name, "unit_of_measure": uom, "sort_order": order, **fields}
        )
        return indicator

    def make_campaigns(self):
        land = self.indicator("land_delivered", "交地面积", "亩", 10)
        relocated = self.indicator("households_relocated", "征迁户数", "户", 20)
        demolished = self.indicator("area_demolished", "拆除面积", "m²", 30)
        signed = self.indicator("households_signed", "签约户数", "户", 50, source=Indicator.Source.HOUSEHOLDS_SIGNED)
        self.typed = [(land, 40), (relocated, 6), (demolished, 1500)]  # (indicator, base weekly amount)
        last_end = self.today + timedelta(days=60)
        spans = []
        end = last_end
        while end >= self.first_day:
            start = end - timedelta(days=CAMPAIGN_DAYS - 1)
            spans.append((max(start, self.first_day), end))
            end = start - timedelta(days=1)
        spans.reverse()
        campaigns = []
        for zone in self.zones:
            for n, (start, end) in enumerate(spans):
                campaigns.append(
                    Campaign(
                        name=f"{zone.name}第{n + 1}期征迁交地攻坚行动",
                        slogan="比学赶超 奋勇争先",
                        owner=zone,
                        start=start,
                        end=end,
                        goals="按期完成交地、征迁、拆除任务",
                    )
                )
        campaigns = Campaign.objects.bulk_create(campaigns)
        self.pace = {}  # (post pk, indicator pk) -> share of the base done per week
        targets, tasks = [], []
        area_posts = {a.parent_id for a in self.areas}
        for campaign in campaigns:
            weeks = (campaign.end - campaign.start).days / 7 + 1
            for post in self.posts[campaign.owner_id]:
                for indicator, base in self.typed:
                    self.pace.setdefault((post.pk, indicator.pk), Decimal(self.rng.randrange(55, 130)) / 100)
                    # each post and its working group report; the target expects ~pace 1.0
                    planned = Decimal(base * 2) * Decimal(weeks) * Decimal(self.rng.randrange(85, 125)) / 100
                    targets.append(
                        Target(campaign=campaign, unit=post, indicator=indicator, amount=planned.quantize(1))
                    )
                if post.pk in area_posts:
                    targets.append(Target(campaign=campaign, unit=post, indicator=signed, amount=Decimal(0)))
            for t in range(6):
                deadline = campaign.start + timedelta(days=25 * (t + 1))
                post = self.posts[campaign.owner_id][t % len(self.posts[campaign.owner_id])]
                done = deadline < self.today and self.rng.random() < 0.75
                tasks.append(
                    Task(
                        campaign=campaign,
                        unit=post,
                        title=f"{post.short_name}完成第{t + 1}项清单任务",
                        deadline=deadline,
                        status=Task.Status.DONE if done else Task.Status.OPEN,
                        done_on=deadline - timedelta(days=self.rng.randrange(0, 10)) if done else None,
                    )
                )
        self.signed_targets = [t for t in targets if t.indicator_id == signed.pk]
        Target.objects.bulk_create([t for t in targets if t.indicator_id != signed.pk])
        Task.objects.bulk_create(tasks)
        self.campaigns = campaigns
        self.signed = signed
        self.say(f"campaigns: {len(campaigns)}, targets: {len(targets)}, tasks: {len(tasks)}")

    def make_reports(self):
        reporters = [(post, post) for posts in self.posts.values() for post in posts]
        reporters += [(group, group.parent) for group in self.groups]
        weeks = [self.first_week.next(n) for n in range(self.n_weeks)]  # up to last week
        now = timezone.now()
        rows = []
        for unit, _post in reporters:
            for week in weeks:
                submitted = week.deadline - timedelta(hours=self.rng.randrange(1, 40))
                text = "本周按计划推进。"
                rows.append((unit.pk, week.end, "submitted", text, "", "", submitted, None, None, "", now, None, 1))
        columns = (
            "unit_id", "week_end", "status", "progress_text", "experience_text", "problems_text",
            "submitted_at", "submitted_by_id", "returned_at", "returned_reason", "updated_at", "updated_by_id",
            "version",
        )  # fmt: skip
        insert_rows(WeeklyReport, columns, rows)
        ids = {
            (u, w): pk
            for pk, u, w in WeeklyReport.objects.filter(self.root.within_q("unit__path")).values_list(
                "pk", "unit_id", "week_end"
            )
        }
        post_of = {unit.pk: post.pk for unit, post in reporters}

        def values():
            for (unit_id, _week_end), report_id in ids.items():
                for indicator, base in self.typed:
                    pace = self.pace.get((post_of[unit_id], indicator.pk), Decimal(1))
                    wobble = Decimal(self.rng.randrange(70, 131)) / 100
                    yield (report_id, indicator.pk, (Decimal(base) * pace * wobble).quantize(Decimal("0.01")))

        n = insert_rows(ReportValue, ("report_id", "indicator_id", "amount"), values())
        self.say(f"weekly reports: {len(rows)}, values: {n}")

    # The requisition ledger --------------------------------------------------------------------------
    def _dates(self, reached):
        span = max((self.today - self.first_day).days - 200, 1)
        day = self.first_day + timedelta(days=self.rng.randrange(span))
        dates = []
        for step in range(1, len(STAGE_ORDER)):
            if step <= reached:
                day = min(day + timedelta(days=self.rng.randrange(1, 28)), self.today)
                dates.append(day)
            else:
                dates.append(None)
        return dates

    def make_households(self):
        villages = self.villages
        now = timezone.now()
        rng = self.rng

        def rows():
            for i in range(self.n_households):
                village = villages[i * len(villages) // self.n_households]
                reached = rng.choices(range(len(STAGE_ORDER)), weights=STAGE_WEIGHTS)[0]
                born = date(1945, 1, 1) + timedelta(days=(i * 7919) % 20_000)
                body = f"350{100 + (i // 1_000_000) % 900:03d}{born:%Y%m%d}{i % 1000:03d}"
                yield (
                    village.pk,
                    f"H{i:07d}",
                    SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)] + GIVEN[(i * 13) % len(GIVEN)],
                    body + check_char(body),
                    f"13{rng.randrange(10**9):09d}",
                    rng.randrange(1, 7),
                    f"{rng.randrange(1, 12)}组",
                    "residential",
                    Decimal(rng.randrange(6000, 40000)) / 100,
                    Decimal(rng.randrange(0, 6000)) / 100,
                    Decimal(rng.randrange(500, 12000)) / 10000,
                    "money",
                    "",
                    STAGE_ORDER[reached],
                    *self._dates(reached),
                    now,
                )

        columns = (
            "village_id", "number", "head_name", "id_number", "phone", "members", "address", "use", "legal_area",
            "unlicensed_area", "land_area", "compensation", "disputes", "stage", "visited_on", "measured_on",
            "assessed_on", "signed_on", "vacated_on", "demolished_on", "delivered_on", "updated_at",
        )  # fmt: skip
        n = insert_rows(Household, columns, rows())
        graves = insert_rows(
            Grave,
            ("village_id", "number", "owner_name", "registered_on", "moved_on"),
            (
                (
                    villages[i % len(villages)].pk,
                    f"G{i:07d}",
                    "",
                    self.first_day,
                    self.first_day + timedelta(days=rng.randrange(300)) if rng.random() < 0.6 else None,
                )
                for i in range(self.n_households * 3 // 100)
            ),
        )
        enterprises = insert_rows(
            Enterprise,
            ("village_id", "name", "building_area", "stage", "signed_on", "moved_on", "demolished_on"),
            (
                (villages[i % len(villages)].pk, f"规模企业{i}", Decimal(rng.randrange(1000, 50000)), "moved", None,
                 self.first_day + timedelta(days=rng.randrange(300)), None)
                for i in range(max(self.n_households // 1000, 1))
            ),
        )  # fmt: skip
        self.say(f"households: {n}, graves: {graves}, enterprises: {enterprises}")

    def finish_signed_targets(self):
        """Households-signed targets: what each post's villages will have signed by the end of
        the campaign, as the ledger holds them, a little raised (some posts fall behind)."""
        from requisition.ledger import ledger_rows

        by_post = {}
        for village_id, post_id in self.village_post.items():
            by_post.setdefault(post_id, []).append(village_id)
        first, last = min(c.start for c in self.campaigns), max(c.end for c in self.campaigns)
        weekly = {}
        for post_id, village_ids in by_post.items():
            for _, _, week_end, amount in ledger_rows([self.signed], village_ids, first, last):
                weekly.setdefault(post_id, []).append((week_end, amount))
        campaigns = {c.pk: c for c in self.campaigns}
        kept = []
        for target in self.signed_targets:
            campaign = campaigns[target.campaign_id]
            done = sum(
                (a for w, a in weekly.get(target.unit_id, []) if campaign.start <= w <= campaign.end), Decimal(0)
            )
            target.amount = max(Decimal(1), (done * Decimal(self.rng.randrange(100, 150)) / 100).quantize(1))
            kept.append(target)
        Target.objects.bulk_create(kept)

    # Key projects ------------------------------------------------------------------------------------
    def make_projects(self):
        posts = [p for ps in self.posts.values() for p in ps]
        rng = self.rng
        first_month = self.first_day.replace(day=1)
        months_span = (self.today.year - first_month.year) * 12 + self.today.month - first_month.month + 1
        levels = list(Project.Level.values)
        categories = list(Project.Category.values)
        plans = {}
        now = timezone.now()
        project_rows, starts = [], []
        for n in range(self.n_projects):
            start_index = rng.randrange(-6, months_span + 6)
            duration = rng.randrange(6, 37)
            start = _add_months(first_month, start_index)
            finish = _add_months(start, duration - 1)
            total = Decimal(rng.randrange(5_000, 500_000)) * WAN / 100  # 50万 to 5亿
            stage = (
                Project.Stage.PREPARATION
                if start > self.today
                else Project.Stage.COMPLETED
                if finish < self.today
                else Project.Stage.CONSTRUCTION
            )
            post = posts[n % len(posts)]
            project_rows.append(
                (
                    f"SCALE-{n + 1:06d}", f"{post.short_name}重点项目{n + 1}", levels[n % len(levels)],
                    categories[n % len(categories)], stage, "", post.pk, "", "", "", "", "", total, "", "", now,
                )
            )  # fmt: skip
            starts.append((start, finish, duration, total))
        columns = (
            "code", "name", "level", "category", "stage", "owner_enterprise", "unit_id", "leader", "members",
            "plan_text", "location", "content", "total_investment", "progress_text", "problems_text", "updated_at",
        )  # fmt: skip
        insert_rows(Project, columns, project_rows)
        ids = dict(Project.objects.filter(code__startswith="SCALE-").values_list("code", "pk"))

        def months():
            for n, (start, finish, duration, total) in enumerate(starts):
                pk = ids[f"SCALE-{n + 1:06d}"]
                monthly = (total / duration).quantize(Decimal("0.01"))
                month = start
                while month <= finish and month <= self.today:
                    if month >= first_month:
                        amount = (monthly * Decimal(rng.randrange(60, 141)) / 100).quantize(Decimal("0.01"))
                        plans[(pk, month.year)] = plans.get((pk, month.year), Decimal(0)) + monthly
                        yield (pk, month, amount)
                    month = _add_months(month, 1)

        n_months = insert_rows(MonthlyInvestment, ("project_id", "month", "amount"), months())
        insert_rows(
            AnnualPlan,
            ("project_id", "year", "amount"),
            ((pk, year, amount.quantize(Decimal("0.01"))) for (pk, year), amount in plans.items()),
        )

        def milestones():
            for n, (start, finish, _duration, _total) in enumerate(starts):
                pk = ids[f"SCALE-{n + 1:06d}"]
                started = start + timedelta(days=9)
                done = finish + timedelta(days=20)
                yield (pk, "start", "", started, started if started <= self.today else None)
                yield (pk, "completion", "", done, done if done <= self.today else None)

        n_milestones = insert_rows(Milestone, ("project_id", "kind", "name", "planned", "actual"), milestones())
        self.say(
            f"projects: {len(project_rows)}, monthly figures: {n_months}, annual plans: {len(plans)}, "
            f"milestones: {n_milestones}"
        )

    def make_problems(self):
        posts = [p for ps in self.posts.values() for p in ps]
        statuses = list(Problem.Status.values)
        problems = [
            Problem(
                title=f"第{n + 1}号协调事项",
                raised_by_unit=posts[n % len(posts)],
                status=statuses[n % len(statuses)],
                deadline=self.today + timedelta(days=(n % 60) - 30),
            )
            for n in range(len(posts) * 12)
        ]
        Problem.objects.bulk_create(problems, batch_size=5_000)
        self.say(f"problems: {len(problems)}")

    def run(self, password):
        with transaction.atomic():
            self.make_tree()
            self.make_users(password)
            self.make_campaigns()
            self.make_reports()
            self.make_households()
            self.finish_signed_targets()
            self.make_projects()
            self.make_problems()
        analyze()
        rollups.rebuild()
        self.say("roll-ups rebuilt")


def _add_months(day, n):
    months = day.year * 12 + day.month - 1 + n
    return date(months // 12, months % 12 + 1, 1)
