"""Demo land records of Suizhou high-tech zone (seed 004): "已有六个批次1128亩土地手续已获批" and
"一期1420亩土地征迁、清表清障、场地平整基本到位 … 七通一平全部到位,企业'拿地即可开工'".

- Eight approval batches over the zone's requisition villages: six approved, adding to 1,128 亩,
  one submitted and one being packaged;
- 青春化工园一期: eight parcels adding to 1,420 亩 on villages whose households have all delivered
  their land (the demo ledger), each with 清表 and the 七通一平 dated: all ready to build; four
  supplied by listing to the first chemical projects;
- parcels of 铁北 and 城东 industrial parks supplied from the approved batches to the projects the
  seed names (龙牧专汽, 凯威高分子 …), two of them still waiting for a service.

Loading twice changes nothing: the records are made only when the zone has no batch yet.
"""

from datetime import date, timedelta
from decimal import Decimal

from land.models import LandBatch, Parcel, SupplyWay
from org.models import Membership, OrgUnit
from projects.models import Milestone, Project

WAN = Decimal(10_000)
# name, 亩, 耕地, villages (indexes in the zone's village order), 组卷, 上报, 获批
BATCHES = [
    (
        "随州高新区2021年度第一批次城镇建设用地",
        188,
        121,
        (0, 1),
        date(2021, 1, 8),
        date(2021, 1, 26),
        date(2021, 3, 19),
    ),
    ("随州高新区2021年度第二批次城镇建设用地", 206, 140, (2, 3), date(2021, 1, 20), date(2021, 2, 9), date(2021, 4, 2)),
    (
        "随州高新区2021年度第三批次城镇建设用地",
        165,
        98,
        (4, 5),
        date(2021, 2, 22),
        date(2021, 3, 12),
        date(2021, 4, 30),
    ),
    (
        "随州高新区2021年度第四批次城镇建设用地",
        224,
        152,
        (6, 7),
        date(2021, 3, 15),
        date(2021, 4, 6),
        date(2021, 5, 28),
    ),
    ("随州高新区2021年度第五批次城镇建设用地", 152, 87, (8, 9), date(2021, 4, 12), date(2021, 5, 7), date(2021, 6, 25)),
    (
        "随州高新区2021年度第六批次城镇建设用地",
        193,
        126,
        (10, 11),
        date(2021, 5, 10),
        date(2021, 6, 1),
        date(2021, 7, 23),
    ),
    ("随州高新区2021年度第七批次城镇建设用地", 96, 60, (12,), date(2021, 6, 21), date(2021, 7, 16), None),
    ("随州高新区2021年度第八批次城镇建设用地", 118, None, (13,), date(2021, 8, 2), None, None),
]
APPROVED_MU, PHASE_MU = 1_128, 1_420
PHASE = "青春化工园一期"
# parcel number, 亩, villages, project (index in CHEMICALS) or None
PHASE_PARCELS = [
    ("QC-01", 210, (12,), 0),
    ("QC-02", 185, (12, 13), 1),
    ("QC-03", 160, (13,), 2),
    ("QC-04", 240, (14,), 3),
    ("QC-05", 175, (14, 15), None),
    ("QC-06", 150, (15,), None),
    ("QC-07", 130, (16,), None),
    ("QC-08", 170, (16,), None),
]
CHEMICALS = [
    "青春化工园精细化工新材料项目",
    "青春化工园医药中间体项目",
    "青春化工园电子化学品项目",
    "青春化工园高分子助剂项目",
]
# project, 亩, batch index, park, way, services missing
PARK_PARCELS = [
    ("龙牧专汽生产基地项目", 120, 0, "铁北工业园", SupplyWay.LISTING, ()),
    ("凯威高分子材料项目", 95, 1, "铁北工业园", SupplyWay.LISTING, ()),
    ("曙腾通讯设备项目", 80, 2, "城东工业园", SupplyWay.AGREEMENT, ("gas_on",)),
    ("香港佳日电子项目", 110, 3, "城东工业园", SupplyWay.LISTING, ()),
    ("裕欣生物科技项目", 70, 4, "城东工业园", SupplyWay.LISTING, ("heat_on", "gas_on")),
    ("品源二期项目", 90, 5, "铁北工业园", SupplyWay.ALLOCATION, ()),
]
SITE = [
    "cleared_on",
    "water_on",
    "drainage_on",
    "power_on",
    "telecom_on",
    "road_on",
    "gas_on",
    "heat_on",
    "levelled_on",
]


def _project(zone, name, n):
    project, _ = Project.objects.get_or_create(
        unit=zone,
        name=name,
        code=None,
        defaults={
            "level": Project.Level.MUNICIPAL,
            "category": Project.Category.INDUSTRY,
            "stage": Project.Stage.PREPARATION,
            "total_investment": Decimal(30_000 + 4_500 * n) * WAN,
            "location": "随州高新区",
        },
    )
    Milestone.objects.get_or_create(
        project=project, kind=Milestone.Kind.START, defaults={"planned": date(2021, 9, 1) + timedelta(days=7 * n)}
    )
    return project


def _dated_site(parcel, start, missing=()):
    for k, name in enumerate(SITE):
        setattr(parcel, name, None if name in missing else start + timedelta(days=4 * k))


def load(loader, zone):
    """Called from demo.loader.Loader with the Suizhou zone (demo/requisition.py made it)."""
    loader.user("sz-leader", "随州高新区领导", zone, Membership.Role.LEADER)
    if LandBatch.objects.filter(unit=zone).exists():
        return
    villages = list(OrgUnit.objects.filter(zone.within_q(), kind=OrgUnit.Kind.VILLAGE).order_by("sort_order", "pk"))
    chemicals = [_project(zone, name, n) for n, name in enumerate(CHEMICALS)]
    parks = [_project(zone, name, n + len(CHEMICALS)) for n, (name, *_rest) in enumerate(PARK_PARCELS)]
    batches = []
    for name, mu, farmland, village_ix, packaged, submitted, approved in BATCHES:
        batch = LandBatch.objects.create(
            unit=zone,
            name=name,
            area=Decimal(mu),
            farmland_area=None if farmland is None else Decimal(farmland),
            construction_area=None if farmland is None else Decimal(mu - farmland),
            packaged_on=packaged,
            submitted_on=submitted,
            approved_on=approved,
            approval_number=f"鄂政土批〔2021〕{300 + len(batches)}号" if approved else "",
        )
        batch.villages.set([villages[k] for k in village_ix])
        batches.append(batch)
    for n, (code, mu, village_ix, project_ix) in enumerate(PHASE_PARCELS):
        parcel = Parcel(unit=zone, code=code, name=f"化工园一期{n + 1}号地块", phase=PHASE, area=Decimal(mu))
        _dated_site(parcel, date(2021, 6, 1) + timedelta(days=3 * n))
        if project_ix is not None:
            parcel.project = chemicals[project_ix]
            parcel.supplied_on = date(2021, 8, 10) + timedelta(days=5 * n)
            parcel.way = SupplyWay.LISTING
        parcel.save()
        parcel.villages.set([villages[k] for k in village_ix])
    for n, (name, mu, batch_ix, park, way, missing) in enumerate(PARK_PARCELS):
        batch = batches[batch_ix]
        parcel = Parcel(
            unit=zone,
            code=f"{'TB' if park.startswith('铁北') else 'CD'}-{n + 1:02d}",
            name=f"{name.removesuffix('项目')}地块",
            phase=park,
            area=Decimal(mu),
            batch=batch,
            project=parks[n],
            supplied_on=batch.approved_on + timedelta(days=20),
            way=way,
        )
        _dated_site(parcel, batch.approved_on + timedelta(days=10), missing)
        parcel.save()
        parcel.villages.set(list(batch.villages.all()))
        batch.projects.add(parks[n])
