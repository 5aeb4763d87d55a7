"""Hanjiang's people lent to the front (seed 001): "抽调48个区直单位500多名干部对口支持指挥部征迁
工作" — 512 cadres of 48 district departments spread over the seven command posts, each post led
by its 处级 leader (两向选择 with the towns); the seed's own teams among them (区委办's 4 突击队 of
13 at 大学城片区, 住建局's 13 at 涵江动车站片区); "5个山区乡镇与5个平原乡镇结对" (the seed names no
pairs: the ten are Hanjiang's towns, 白沙镇 with 白塘镇 because it sends its team there); 白沙镇's
拆迁工作组 of 6 at 白塘湖片区. Names and phones are synthetic (Faker zh_CN, fixed seed).

Loading twice changes nothing: units are looked up by name, the roster is made only when the
zone has none yet (bulk inserts).
"""

from datetime import timedelta

from faker import Faker

from cadres import results
from cadres.models import Assignment, Cadre, Commendation, EligibilityRule, Nomination, Pairing
from org.models import OrgUnit

# 48 district departments; the first four exist already (demo/problems.py), the seed names 区委办,
# 文旅局, 市场监管局, 财政局, 发改局, 工信局, 住建局, 纪委监委, 组织部, 项目督查中心, 效能办.
DEPARTMENTS = [
    "区自然资源局",
    "区住房和城乡建设局",
    "区财政局",
    "区征迁安置办公室",
    "区委办",
    "区政府办",
    "区纪委监委",
    "区委组织部",
    "区委宣传部",
    "区委统战部",
    "区委政法委",
    "区委编办",
    "区项目督查中心",
    "区效能办",
    "区发展和改革局",
    "区工业和信息化局",
    "区文化体育和旅游局",
    "区市场监督管理局",
    "区教育局",
    "区科技局",
    "区公安分局",
    "区民政局",
    "区司法局",
    "区人力资源和社会保障局",
    "区交通运输局",
    "区农业农村局",
    "区水利局",
    "区商务局",
    "区卫生健康局",
    "区退役军人事务局",
    "区应急管理局",
    "区审计局",
    "区统计局",
    "区医疗保障局",
    "区城市管理局",
    "区生态环境分局",
    "区信访局",
    "区机关事务服务中心",
    "区总工会",
    "团区委",
    "区妇联",
    "区工商联",
    "区融媒体中心",
    "区行政服务中心",
    "区税务局",
    "区供销社",
    "区档案馆",
    "区住房公积金管理部",
]
assert len(DEPARTMENTS) == 48 and len(set(DEPARTMENTS)) == 48
TOTAL_FROM_DEPARTMENTS = 512
# the seed's own teams: (department, command post, cadres, team names)
SEED_TEAMS = [
    (
        "区委办",
        "大学城片区指挥部",
        13,
        ["项目攻坚突击队一", "项目攻坚突击队二", "项目攻坚突击队三", "项目攻坚突击队四"],
    ),
    ("区住房和城乡建设局", "涵江动车站片区指挥部", 13, ["住建局攻坚队"]),
]
MOUNTAIN = ["白沙镇", "萩芦镇", "庄边镇", "新县镇", "大洋乡"]
PLAIN = ["白塘镇", "三江口镇", "梧塘镇", "江口镇", "国欢镇"]
MOUNTAIN_GIVES = "抽调干部支援平原乡镇征迁一线\n山区劳动力对接园区就业"
PLAIN_GIVES = "园区项目收益按比例反哺\n提供就业岗位\n共建山区特色产业项目"
BAISHA_TEAM = 6
POSTS = ["科员", "股长", "副股长", "办公室副主任", "副科长", "科长", "站长", "副主任"]
RANKS = ["一级科员", "二级科员", "四级主任科员", "三级主任科员", "二级主任科员"]


def load(loader, zone, campaign):
    today = loader.today
    departments = [
        loader.unit(name, OrgUnit.Kind.DEPARTMENT, zone, sort_order=50 + k) for k, name in enumerate(DEPARTMENTS)
    ]
    towns = {
        name: loader.unit(name, OrgUnit.Kind.TOWN, zone, sort_order=200 + k) for k, name in enumerate(MOUNTAIN + PLAIN)
    }
    posts = list(OrgUnit.objects.filter(parent=zone, kind=OrgUnit.Kind.COMMAND_POST).order_by("sort_order"))
    for name in ("前期攻坚组", "资金保障组", "综合督查组"):
        loader.unit(name, OrgUnit.Kind.WORKING_GROUP, zone, sort_order=100)
    for mountain, plain in zip(MOUNTAIN, PLAIN, strict=True):
        Pairing.objects.get_or_create(
            zone=zone,
            first=towns[mountain],
            second=towns[plain],
            defaults={"first_gives": MOUNTAIN_GIVES, "second_gives": PLAIN_GIVES, "start": campaign.start},
        )
    if Cadre.objects.filter(zone=zone).exists():
        return
    fake = Faker("zh_CN")
    Faker.seed(2001)
    by_name = {d.name: d for d in departments}
    post_by_name = {p.name: p for p in posts}
    rows = []  # (cadre, department, post, role, team, start)
    start = campaign.start

    def person(department, post=None, rank=None, k=0):
        male = k % 3 != 2
        return Cadre(
            zone=zone,
            name=fake.name_male() if male else fake.name_female(),
            gender=Cadre.Gender.MALE if male else Cadre.Gender.FEMALE,
            department=department,
            post=post or f"{POSTS[k % len(POSTS)]}",
            rank=rank or RANKS[k % len(RANKS)],
            phone=fake.phone_number(),
        )

    # the seven 处级 leaders, from the zone's leadership (两向选择 with the towns)
    for k, post in enumerate(posts):
        cadre = Cadre(
            zone=zone,
            name=post.leader,
            gender=Cadre.Gender.MALE,
            department=zone,
            post="区委常委、副区长" if k < 3 else "区人大常委会副主任" if k < 5 else "区政协副主席",
            rank="副处级",
        )
        rows.append((cadre, zone, post, Assignment.Role.LEADER, "", start))
    seen = set()
    for department_name, post_name, n, teams in SEED_TEAMS:
        for k in range(n):
            team = teams[k * len(teams) // n]
            first_of_team = k == 0 or teams[(k - 1) * len(teams) // n] != team
            role = Assignment.Role.HEAD if first_of_team else Assignment.Role.MEMBER
            rows.append(
                (
                    person(by_name[department_name], k=k),
                    by_name[department_name],
                    post_by_name[post_name],
                    role,
                    team,
                    start + timedelta(days=3),
                )
            )
        seen.add(department_name)
    left = TOTAL_FROM_DEPARTMENTS - sum(n for *_x, n, _t in SEED_TEAMS)
    others = [d for d in departments if d.name not in seen]
    for k in range(left):
        department = others[k % len(others)]
        post = posts[(k * 5 + k // len(others)) % len(posts)]
        role = Assignment.Role.LIAISON if k < len(others) else Assignment.Role.MEMBER
        rows.append((person(department, k=k), department, post, role, "", start + timedelta(days=k % 7)))
    baitanghu = post_by_name["白塘湖片区指挥部"]
    for k in range(BAISHA_TEAM):
        role = Assignment.Role.HEAD if k == 0 else Assignment.Role.MEMBER
        rows.append(
            (
                person(towns["白沙镇"], post="副镇长" if k == 0 else "镇干部", k=k + 1),
                towns["白沙镇"],
                baitanghu,
                role,
                "白沙镇拆迁工作组",
                start + timedelta(days=10),
            )
        )
    cadres = Cadre.objects.bulk_create([row[0] for row in rows])
    Assignment.objects.bulk_create(
        [
            Assignment(
                zone=zone, cadre=cadre, department=dept, unit=post, role=role, team=team, start=day, end=campaign.end
            )
            for cadre, (_c, dept, post, role, team, day) in zip(cadres, rows, strict=True)
        ]
    )
    # what the work earns: a rule applied to the monthly rankings, a commendation, a nomination
    rule, _ = EligibilityRule.objects.get_or_create(
        zone=zone,
        campaign=campaign,
        year=campaign.start.year,
        kind=EligibilityRule.Kind.WEEK,
        defaults={"bottom_n": 1, "streak": 3},
    )
    results.apply_rule(rule)
    Commendation.objects.create(
        zone=zone,
        unit=towns["白沙镇"],
        title="征迁攻坚先进集体",
        day=today - timedelta(days=7),
        reason="白沙镇拆迁工作组“错时走访+精准汇总+提前调解”，江尾分组100%完成丈量任务。",
    )
    head = Cadre.objects.get(zone=zone, department=towns["白沙镇"], post="副镇长")
    Nomination.objects.create(
        zone=zone,
        cadre=head,
        day=today - timedelta(days=7),
        reason="带领拆迁工作组攻坚，敢担当、善作为。",
        results=results.frozen_results(head, today - timedelta(days=7)),
    )
