"""Demo key projects from seed 000: Fuzhou high-tech zone's 93 municipal key projects, total
investment 962.14 亿元, annual plan 171.62 亿元, 88.19 亿元 completed January–May 2021
(51.39 % of the annual plan); and the first quarter's 88 promotion projects, 227.69 亿元.
Amounts are spread over the projects deterministically; the totals are exact.
"""

from datetime import date, timedelta
from decimal import Decimal

from demo.loader import distribute
from projects.models import AnnualPlan, Approval, Milestone, MonthlyInvestment, Project, PromotionProject

WAN = Decimal(10_000)
PLACES = ["科学城", "大学城", "旗山湖", "南屿", "上街", "建平", "高岐", "海西园", "溪源江", "乌龙江"]
KINDS = [
    ("智能制造产业园", Project.Category.INDUSTRY),
    ("安置房", Project.Category.LIVELIHOOD),
    ("道路工程", Project.Category.INFRASTRUCTURE),
    ("实验学校", Project.Category.LIVELIHOOD),
    ("科创中心", Project.Category.INDUSTRY),
    ("综合管廊", Project.Category.INFRASTRUCTURE),
    ("城市公园", Project.Category.URBAN),
    ("旧村改造", Project.Category.OLD_VILLAGE),
    ("物流园", Project.Category.INDUSTRY),
    ("污水处理厂", Project.Category.INFRASTRUCTURE),
]
PROGRESS = ["主体结构施工中", "桩基施工完成", "完成场地平整", "装饰装修阶段", "已完成工程量的60%", "设备安装调试"]
LEADERS = ["郑宏伟", "陈巍", "林鸿璋", "黄志强", "王建国", "李明"]
COUNT, TOTAL_WAN, PLAN_WAN, DONE_WAN = 93, 9_621_400, 1_716_200, 881_900
PROMOTIONS, PROMOTION_WAN = 88, 2_276_900


def _split(total, weights):
    """Split an integer total in proportion to weights; the parts add up exactly."""
    scale = sum(weights)
    parts = [total * w // scale for w in weights]
    parts[-1] += total - sum(parts)
    return [Decimal(p) for p in parts]


def load(posts, campaign, year=2021):
    """Create the demo projects under the given command posts, once."""
    if Project.objects.filter(code="FZGX-2021-001").exists():
        return
    # Each project's size, its plan share of the size and its pace vary; the totals are exact.
    sizes = [20 + (k * 37) % 61 for k in range(COUNT)]
    totals = _split(TOTAL_WAN, sizes)
    plans = _split(PLAN_WAN, [s * (12 + k % 9) for k, s in enumerate(sizes)])
    dones = _split(DONE_WAN, [int(p) * (35 + (k * 13) % 35) for k, p in enumerate(plans)])
    projects, plan_rows, month_rows, milestones, approvals = [], [], [], [], []
    for k in range(COUNT):
        name, category = KINDS[(k + k // len(PLACES)) % len(KINDS)]
        phase = "一期" if k < 50 else "二期"
        post = posts[k % len(posts)]
        projects.append(
            Project(
                code=f"FZGX-{year}-{k + 1:03d}",
                name=f"{PLACES[k % len(PLACES)]}{name}{phase}",
                level=Project.Level.MUNICIPAL,
                category=category,
                stage=Project.Stage.CONSTRUCTION if k % 7 else Project.Stage.COMPLETED,
                owner_enterprise=f"福州高新区{PLACES[(k + 3) % len(PLACES)]}建设发展有限公司",
                unit=post,
                leader=LEADERS[k % len(LEADERS)],
                members="项目专班：发改、自然资源、住建、生态环境各1人",
                location=f"福州高新区{PLACES[k % len(PLACES)]}片区",
                content=f"总建筑面积约{(k % 9 + 1) * 3}万平方米，建设{name}及配套设施。",
                total_investment=totals[k] * WAN,
                progress_text=PROGRESS[k % len(PROGRESS)],
                problems_text="用地报批进度偏慢，需协调自然资源部门。" if k % 11 == 0 else "",
            )
        )
    Project.objects.bulk_create(projects)
    projects = list(Project.objects.filter(code__startswith=f"FZGX-{year}-").order_by("code"))
    for k, project in enumerate(projects):
        project.campaigns.add(campaign)
        plan_rows.append(AnnualPlan(project=project, year=year, amount=plans[k] * WAN))
        for month, amount in enumerate(distribute(int(dones[k]), 5, "even"), start=1):
            month_rows.append(MonthlyInvestment(project=project, month=date(year, month, 1), amount=amount * WAN))
        planned_start = date(year, 1 + k % 10, 10)
        actual_start = None
        if planned_start < date(year, 6, 10):
            actual_start = planned_start + timedelta(days=(k % 5) * 9 - 18)
        milestones.append(
            Milestone(project=project, kind=Milestone.Kind.START, planned=planned_start, actual=actual_start)
        )
        milestones.append(
            Milestone(
                project=project,
                kind=Milestone.Kind.COMPLETION,
                planned=date(year + 1 + k % 2, 1 + k % 12, 28),
                actual=date(year, 5, 20) if k % 7 == 0 else None,
            )
        )
        if k < 12:
            for n, node in enumerate(Approval.Node):
                started = date(year - 1, 9, 1) + timedelta(days=n * 12)
                done = n < 8 + k % 5
                approvals.append(
                    Approval(
                        project=project,
                        node=node,
                        status=Approval.Status.DONE if done else Approval.Status.IN_PROGRESS,
                        started_on=started,
                        done_on=started + timedelta(days=5 + (n * 3 + k) % 20) if done else None,
                        agent=LEADERS[(k + n) % len(LEADERS)],
                    )
                )
    AnnualPlan.objects.bulk_create(plan_rows)
    MonthlyInvestment.objects.bulk_create(month_rows)
    Milestone.objects.bulk_create(milestones)
    Approval.objects.bulk_create(approvals)
    amounts = distribute(PROMOTION_WAN, PROMOTIONS, "even")
    PromotionProject.objects.bulk_create(
        [
            PromotionProject(
                name=f"{PLACES[k % len(PLACES)]}{KINDS[(k + 2) % len(KINDS)][0]}招商项目{k + 1}",
                investor=f"投资方{k + 1}",
                unit=posts[k % len(posts)],
                amount=amounts[k] * WAN,
                stage=[PromotionProject.Stage.SIGNED, PromotionProject.Stage.LANDED, PromotionProject.Stage.STARTED][
                    k % 3
                ],
                signed_on=date(year, 1 + k % 3, 1 + k % 28),
            )
            for k in range(PROMOTIONS)
        ]
    )


def add_investment_targets(campaign, indicator):
    """Each command post's target for investment completed: its projects' annual plan, in 万元.
    The figures then come from the projects' monthly ledger, never typed in weekly reports."""
    from django.db.models import Sum

    from campaigns.models import Target

    plans = (
        AnnualPlan.objects.filter(project__campaigns=campaign, year=campaign.start.year)
        .values("project__unit_id")
        .annotate(total=Sum("amount"))
    )
    for row in plans:
        Target.objects.get_or_create(
            campaign=campaign,
            unit_id=row["project__unit_id"],
            indicator=indicator,
            defaults={"amount": row["total"] / WAN},
        )
