"""Demo requisition ledgers from the seeds.

- Hanjiang's 白塘湖片区 (seed 001): 9 villages (陈桥, 江尾, 集奎, 洋尾 and five more), 3,875
  households, about 1,850,000 m² of buildings; 江尾 measured 100 %, 集奎 above 90 %. Dates
  fall in the running "奋战100天，征迁300万" campaign.
- Suizhou high-tech zone (seed 004): 4 task forces, 17 villages, 832 households demolished
  with 18,782 m² in all, 1,516 graves moved, 8 factories moved, 3,000+ 亩 delivered.

Names, ID numbers and phones are synthetic (Faker zh_CN, fixed seed). Loading twice changes
nothing: each ledger is created only when its area or zone is new.
"""

from datetime import date, timedelta
from decimal import Decimal

from faker import Faker

from org.models import Membership, OrgUnit
from requisition.models import STAGE_DATE, STAGES, Enterprise, Grave, Household, Stage

BAITANGHU_VILLAGES = [
    # name, households, share measured (%), furthest-stage profile (share signed, demolished, delivered)
    ("陈桥村", 520, 85, (60, 35, 20)),
    ("江尾村", 460, 100, (88, 70, 55)),
    ("集奎村", 430, 93, (75, 50, 30)),
    ("洋尾村", 410, 80, (55, 30, 15)),
    ("白塘村", 450, 70, (45, 25, 10)),
    ("镇前村", 400, 65, (40, 20, 8)),
    ("东阳村", 380, 60, (35, 15, 5)),
    ("霞徐村", 420, 55, (30, 12, 4)),
    ("李厝村", 405, 50, (25, 10, 2)),
]
BUILDING_M2 = 1_850_000
SUIZHOU_HOUSEHOLDS, SUIZHOU_M2, SUIZHOU_GRAVES, SUIZHOU_FACTORIES, SUIZHOU_MU = 832, 18_782, 1_516, 8, 3_012
SUIZHOU_VILLAGES = [
    "淅河村",
    "双寺村",
    "沙河村",
    "望城岗村",
    "季家湾村",
    "何店村",
    "王家畈村",
    "龙门村",
    "白云村",
    "舜井村",
    "八角楼村",
    "联谊村",
    "涢阳村",
    "东关村",
    "清河村",
    "孝感湾村",
    "七里村",
]


def _split(total, count, seed):
    """Integer parts of `total` over `count` items, uneven but exact."""
    weights = [8 + (k * 7 + seed) % 9 for k in range(count)]
    parts = [total * w // sum(weights) for w in weights]
    parts[-1] += total - sum(parts)
    return parts


def _dated(household, furthest, start, span_days, k):
    """Set the stage and the dates of each step up to `furthest`, spread over the span."""
    household.stage = furthest
    if furthest == Stage.NONE:
        return
    steps = STAGES[: STAGES.index(furthest) + 1]
    day = start + timedelta(days=k % 7)
    for n, step in enumerate(steps):
        day = min(day + timedelta(days=(k * 3 + n * 5) % 9), start + timedelta(days=span_days))
        setattr(household, STAGE_DATE[step], day)


def load_baitanghu(post, reporter_user_factory, campaign_start, today, fake):
    area, created = OrgUnit.objects.get_or_create(
        name="白塘湖片区", parent=post, defaults={"kind": OrgUnit.Kind.AREA, "leader": post.leader}
    )
    if not created:
        return area
    span = max((today - campaign_start).days - 7, 1)
    areas = _split(BUILDING_M2, sum(n for _, n, _, _ in BAITANGHU_VILLAGES), 3)
    households, index = [], 0
    for v, (name, count, measured_pct, (signed, demolished, delivered)) in enumerate(BAITANGHU_VILLAGES):
        village = OrgUnit.objects.create(name=name, kind=OrgUnit.Kind.VILLAGE, parent=area, sort_order=v + 1)
        if name in ("江尾村", "集奎村"):
            reporter_user_factory(village)
        for k in range(count):
            share = 100 * k / count
            if share < delivered:
                furthest = Stage.DELIVERED
            elif share < demolished:
                furthest = Stage.DEMOLISHED
            elif share < signed:
                furthest = Stage.SIGNED
            elif share < measured_pct:
                furthest = Stage.ASSESSED if k % 2 else Stage.MEASURED
            else:
                furthest = Stage.VISITED if k % 3 else Stage.NONE
            building = Decimal(areas[index])
            legal = (building * Decimal("0.8")).quantize(Decimal("0.01"))
            h = Household(
                village=village,
                number=f"{v + 1:02d}-{k + 1:04d}",
                head_name=fake.name(),
                id_number=fake.ssn(),
                phone=fake.phone_number(),
                members=1 + k % 6,
                address=f"{name}{1 + k % 12}组",
                use=Household.Use.NON_RESIDENTIAL if k % 25 == 0 else Household.Use.RESIDENTIAL,
                legal_area=legal,
                unlicensed_area=building - legal,
                land_area=(Decimal(1_458_000) / Decimal("666.67") / 3875).quantize(Decimal("0.0001")),
                compensation=Household.Compensation.SWAP if k % 3 == 0 else Household.Compensation.MONEY,
            )
            if furthest not in (Stage.NONE, Stage.VISITED):
                h.measured_area = building
            if STAGES.index(furthest) >= STAGES.index(Stage.ASSESSED) if furthest != Stage.NONE else False:
                h.assessed_price = Decimal(4200 + (k % 10) * 150)
            _dated(h, furthest, campaign_start, span, k)
            households.append(h)
            index += 1
    Household.objects.bulk_create(households, batch_size=1000)
    _scheme(area, campaign_start)
    return area


def _scheme(area, campaign_start):
    """白塘湖片区's compensation scheme; the households that have signed get their sheets frozen."""
    from requisition import compensation
    from requisition.models import CompensationScheme

    CompensationScheme.objects.create(
        name="白塘湖片区房屋征收补偿方案",
        unit=area,
        effective_from=campaign_start - timedelta(days=30),
        sign_start=campaign_start,
        decoration_rate=Decimal(300),
        moving_rate=Decimal(15),
        moving_minimum=Decimal(2000),
        temporary_rate=Decimal(12),
        temporary_months=24,
        reward_windows=[[30, 30000], [45, 20000]],
        stoppage_rate=Decimal(200),
        flat_price=Decimal(3800),
        swap_ratio=Decimal(1),
    )
    signed = Household.objects.filter(area.within_q("village__path"), signed_on__isnull=False)
    for household in signed.select_related("village"):
        compensation.freeze(household)


def load_suizhou(password_user_factory, fake):
    zone, created = OrgUnit.objects.get_or_create(
        name="随州高新区", parent=None, defaults={"kind": OrgUnit.Kind.ZONE, "leader": "高新区党工委", "sort_order": 3}
    )
    if not created:
        return zone
    forces = [
        OrgUnit.objects.create(name=f"征迁工作专班{n}", kind=OrgUnit.Kind.TASK_FORCE, parent=zone, sort_order=k + 1)
        for k, n in enumerate("一二三四")
    ]
    villages = [
        OrgUnit.objects.create(name=name, kind=OrgUnit.Kind.VILLAGE, parent=forces[k % 4], sort_order=k + 1)
        for k, name in enumerate(SUIZHOU_VILLAGES)
    ]
    per_village = _split(SUIZHOU_HOUSEHOLDS, len(villages), 1)
    areas = _split(SUIZHOU_M2 * 100, SUIZHOU_HOUSEHOLDS, 5)  # in 0.01 m²
    land = _split(SUIZHOU_MU * 10_000, SUIZHOU_HOUSEHOLDS, 2)  # in 0.0001 亩
    start, households, index = date(2021, 3, 1), [], 0
    for v, village in enumerate(villages):
        for k in range(per_village[v]):
            building = Decimal(areas[index]) / 100
            h = Household(
                village=village,
                number=f"SZ{v + 1:02d}-{k + 1:03d}",
                head_name=fake.name(),
                id_number=fake.ssn(),
                phone=fake.phone_number(),
                members=1 + k % 5,
                address=f"{village.name}{1 + k % 6}组",
                legal_area=building,
                unlicensed_area=Decimal(0),
                land_area=Decimal(land[index]) / 10_000,
                measured_area=building,
                assessed_price=Decimal(2600),
            )
            _dated(h, Stage.DELIVERED, start, 150, index)
            households.append(h)
            index += 1
    Household.objects.bulk_create(households, batch_size=1000)
    graves = _split(SUIZHOU_GRAVES, len(villages), 4)
    Grave.objects.bulk_create(
        [
            Grave(
                village=village,
                number=f"F{v + 1:02d}-{k + 1:03d}",
                owner_name=fake.name(),
                registered_on=start,
                moved_on=start + timedelta(days=20 + (k % 90)),
            )
            for v, village in enumerate(villages)
            for k in range(graves[v])
        ],
        batch_size=1000,
    )
    Enterprise.objects.bulk_create(
        [
            Enterprise(
                village=villages[k * 2],
                name=f"随州{name}厂",
                building_area=Decimal(3000 + k * 450),
                stage=Enterprise.Stage.MOVED,
                signed_on=start + timedelta(days=30 + k),
                moved_on=start + timedelta(days=60 + k * 3),
            )
            for k, name in enumerate(["机械", "纺织", "食品", "建材", "汽配", "包装", "塑料", "木业"])
        ]
    )
    password_user_factory(villages[0], zone)
    return zone


def load(loader, hanjiang, hanjiang_campaign):
    """Called from demo.loader.Loader with its user helper."""
    fake = Faker("zh_CN")
    Faker.seed(2020)
    post = OrgUnit.objects.get(name="白塘湖片区指挥部", parent=hanjiang)

    def field_worker(village):
        username = {"江尾村": "hj-jiangwei", "集奎村": "hj-jikui"}[village.name]
        loader.user(username, f"{village.name}征迁组", village, Membership.Role.REPORTER)

    load_baitanghu(post, field_worker, hanjiang_campaign.start, loader.today, fake)

    def suizhou_users(village, zone):
        loader.user("sz-office", "随州高新区征迁指挥部", zone, Membership.Role.OFFICE)
        loader.user("sz-field", f"{village.name}征迁组", village, Membership.Role.REPORTER)

    load_suizhou(suizhou_users, fake)
