"""Demo departments and problems for Hanjiang, so that every problem page a new user opens has
something real in it: four departments with the people who handle problems (交办 has somewhere to
go), contacts on the departments and the command posts, and problems in every state of the flow
— raised, returned, assigned (one overdue, one due within three days), in progress, solved, and on
a coordination meeting's agenda. The problems are moved through the same flow the pages use
(problems.flow), so each has its history of steps.

Loading twice changes nothing: departments and people are looked up by name, and the problems
are made only when the zone has none yet.
"""

from datetime import timedelta

from django.utils import timezone

from org.models import Membership, OrgUnit
from org.scoping import Scope
from problems import flow, meetings
from problems.models import Meeting, Problem

DEPARTMENTS = [
    # (username, department, handler's name, contact, phone)
    ("hj-zrzy", "区自然资源局", "自然资源局经办人", "陈立新", "0594-3851201"),
    ("hj-zjj", "区住房和城乡建设局", "住建局经办人", "黄晓燕", "0594-3851302"),
    ("hj-czj", "区财政局", "财政局经办人", "林志强", "0594-3851403"),
    ("hj-zqb", "区征迁安置办公室", "征迁办经办人", "郑美华", "0594-3851504"),
]
POST_CONTACTS = {
    "食品产业园指挥部": ("王建平", "13805941201"),
    "城北装备制造园指挥部": ("吴秀梅", "13805941202"),
    "滨海产业园指挥部": ("蔡明辉", "13805941203"),
    "白塘湖片区指挥部": ("林丽娟", "13805941204"),
    "大学城片区指挥部": ("郑建国", "13805941205"),
    "涵江动车站片区指挥部": ("黄志伟", "13805941206"),
    "老旧小区改造指挥部": ("李春花", "13805941207"),
}
# (raising post's reporter, title, category, department index, where the flow stops)
PROBLEMS = [
    ("hj-baitanghu", "江尾村3户对安置房分配方案有异议", Problem.Category.REQUISITION, 3, "raised"),
    ("hj-shipin", "园区二期用地指标尚未下达", Problem.Category.LAND, 0, "returned"),
    ("hj-chengbei", "装备园道路工程征迁补偿资金缺口", Problem.Category.FUNDING, 2, "overdue"),
    ("hj-daxuecheng", "大学城片区10千伏线路迁改未完成", Problem.Category.RESOURCES, 1, "due_soon"),
    ("hj-dongchezhan", "动车站片区迁坟选址需协调", Problem.Category.REQUISITION, 3, "in_progress"),
    ("hj-binhai", "滨海产业园临时用地审批", Problem.Category.APPROVAL, 0, "solved"),
    ("hj-laojiu", "老旧小区改造管线产权单位不明确", Problem.Category.OTHER, 1, "meeting"),
]


def load(loader, zone, campaign):
    departments = []
    for username, name, handler, contact, phone in DEPARTMENTS:
        unit = loader.unit(
            name, OrgUnit.Kind.DEPARTMENT, zone, contact_name=contact, contact_phone=phone, sort_order=50
        )
        departments.append(unit)
        loader.user(username, handler, unit, Membership.Role.REPORTER)
    for name, (contact, phone) in POST_CONTACTS.items():
        OrgUnit.objects.filter(name=name, parent=zone, contact_name="").update(
            contact_name=contact, contact_phone=phone
        )
    if Problem.objects.filter(raised_by_unit__in=zone.subtree()).exists():
        return
    office = Membership.objects.filter(unit=zone, role=Membership.Role.OFFICE).select_related("user").first().user
    meeting = Meeting.objects.create(
        unit=zone,
        title="“双轮”驱动攻坚行动问题协调会",
        held_on=timezone.localdate() + timedelta(days=2),
        chaired_by="区领导",
        place="区行政服务中心三楼会议室",
        campaign=campaign,
        created_by=office,
        # who sits at the table: the zone's leaders, the office, the departments that handle the
        # problems and the command posts that raised them (the minutes list them, one a line)
        attendees="\n".join(
            ["区领导", zone.name + "攻坚行动领导小组办公室"]
            + [unit.name for unit in departments]
            + sorted({Membership.objects.get(user__username=p[0]).unit.name for p in PROBLEMS})
        ),
    )
    for username, title, category, department, end in PROBLEMS:
        membership = Membership.objects.select_related("user", "unit").get(user__username=username)
        raiser, post = membership.user, membership.unit
        problem = Problem.objects.create(
            title=title,
            description=f"{post.name}反映：{title}，请协调解决。",
            category=category,
            campaign=campaign,
            raised_by_unit=post,
            raised_by=raiser,
        )
        flow.record_raise(problem, raiser)
        _move(problem, end, office, departments[department], meeting)


def _move(problem, end, office, department, meeting):
    today = timezone.localdate()
    handler = Membership.objects.filter(unit=department).select_related("user").first().user
    as_office, as_handler = Scope(office), Scope(handler)
    if end == "raised":
        return
    if end == "returned":
        flow.act(problem, "return", office, as_office, {"reason": "请补充用地红线图和指标申请材料后再报。"})
        return
    if end == "meeting":
        meetings.add_to_agenda(meeting, problem, office)
        return
    days = {"due_soon": 2, "overdue": 10}.get(end, 14)
    assign = {"responsible": str(department.pk), "deadline": (today + timedelta(days=days)).isoformat()}
    leader = flow.leader_choices(problem.raised_by_unit).filter(username="leader").first()
    if leader is not None:
        assign["leader"] = str(leader.pk)
    flow.act(problem, "assign", office, as_office, assign)
    if end == "overdue":  # assigned three weeks ago, due four days ago: what the red mark is for
        Problem.objects.filter(pk=problem.pk).update(
            assigned_at=timezone.now() - timedelta(days=21), deadline=today - timedelta(days=4)
        )
    if end in ("in_progress", "solved"):
        flow.act(problem, "accept", handler, as_handler, {"reply": "已接收，正会同指挥部现场踏勘。"})
    if end == "solved":
        flow.act(problem, "solve", handler, as_handler, {"reply": "已完成协调，相关手续办结。"})
