"""Problem pages: who sees what, raising from a report / project / household, bad input, uploads."""

import io
import zipfile
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from problems import uploads
from problems.models import Attachment, Problem, Step
from tests import problem_helpers
from tests.conftest import submit
from tests.problem_helpers import raise_problem

depts = problem_helpers.depts  # the fixture

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def office_zip(member):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(member, "<x/>")
    return buf.getvalue()


DOCX = office_zip("word/document.xml")
XLSX = office_zip("xl/workbook.xml")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DUBAN_UPLOAD_MAX_BYTES = 1000
    return settings.MEDIA_ROOT


def text(response):
    return response.content.decode()


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# Permissions ------------------------------------------------------------------------------


@pytest.fixture
def problem(depts):
    return raise_problem(depts, responsible=depts.land_dept, deadline=timezone.localdate() + timedelta(days=5))


@pytest.mark.parametrize(
    "user, status",
    [
        ("owner", 200),
        ("office", 200),
        ("leader", 200),
        ("clerk", 200),
        ("colleague", 404),
        ("outsider", 404),
        ("fin_clerk", 404),
    ],
)
def test_who_may_open_a_problem(depts, problem, login, user, status):
    assert login(getattr(depts, user)).get(reverse("problem_detail", args=[problem.pk])).status_code == status


def test_the_list_shows_each_user_their_problems_only(depts, problem, login):
    other = raise_problem(depts, title="乙的问题", unit=depts.b, user=depts.colleague)
    assert f'data-problem="{problem.pk}"' in text(login(depts.office).get(reverse("problem_list")))
    assert f'data-problem="{other.pk}"' in text(login(depts.office).get(reverse("problem_list")))
    owner_page = text(login(depts.owner).get(reverse("problem_list")))
    assert f'data-problem="{problem.pk}"' in owner_page and f'data-problem="{other.pk}"' not in owner_page
    clerk_page = text(login(depts.clerk).get(reverse("problem_list")))  # the department sees what is assigned to it
    assert f'data-problem="{problem.pk}"' in clerk_page and f'data-problem="{other.pk}"' not in clerk_page
    assert "data-problem" not in text(login(depts.fin_clerk).get(reverse("problem_list")))
    assert "data-problem" not in text(login(depts.outsider).get(reverse("problem_list")))


def test_the_coordinating_leader_sees_the_problem(depts, login):
    from org.models import Membership
    from tests.conftest import make_user

    boss = make_user("boss", depts.c, Membership.Role.REPORTER)  # a leader with no reading role in this zone
    p = raise_problem(depts, leader=boss)
    assert login(boss).get(reverse("problem_detail", args=[p.pk])).status_code == 200


@pytest.mark.parametrize(
    "name, args",
    [
        ("problem_list", []),
        ("problem_new", []),
        ("problem_groups", []),
        ("problem_stats", []),
        ("problem_detail", ["P"]),
        ("meeting_list", []),
        ("reminder_log", []),
        ("attachment_download", [1]),
        ("task_list", ["C"]),
    ],
)
def test_anonymous_users_are_sent_to_log_in(depts, problem, client, name, args):
    args = [problem.pk if a == "P" else depts.campaign.pk if a == "C" else a for a in args]
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_anonymous_posts_change_nothing(depts, problem, client):
    response = client.post(reverse("problem_act", args=[problem.pk]), {"action": "return", "reason": "x"})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert Problem.objects.get(pk=problem.pk).status == "raised"


@pytest.mark.parametrize("user, status", [("colleague", 404), ("outsider", 404), ("leader", 403), ("owner", 403)])
def test_acting_on_a_problem_out_of_reach_or_role(depts, problem, login, user, status):
    response = login(getattr(depts, user)).post(
        reverse("problem_act", args=[problem.pk]),
        {"action": "assign", "responsible": depts.land_dept.pk, "deadline": "2099-01-01"},
    )
    assert response.status_code == status
    assert Problem.objects.get(pk=problem.pk).status == "raised"


def test_the_office_assigns_through_the_page(depts, problem, login):
    deadline = (timezone.localdate() + timedelta(days=7)).isoformat()
    response = login(depts.office).post(
        reverse("problem_act", args=[problem.pk]),
        {"action": "assign", "responsible": depts.fin_dept.pk, "deadline": deadline, "reply": "请财政局牵头"},
        follow=True,
    )
    assert "已完成操作：交办" in text(response)
    problem.refresh_from_db()
    assert problem.status == "assigned" and problem.responsible == depts.fin_dept
    # now the 财政局 sees it, the 自然资源局 no longer
    assert login(depts.fin_clerk).get(reverse("problem_detail", args=[problem.pk])).status_code == 200
    assert login(depts.clerk).get(reverse("problem_detail", args=[problem.pk])).status_code == 404


def test_a_refused_transition_shows_a_chinese_message(depts, problem, login):
    Problem.objects.filter(pk=problem.pk).update(status="solved")
    response = login(depts.office).post(
        reverse("problem_act", args=[problem.pk]),
        {"action": "assign", "responsible": depts.land_dept.pk, "deadline": "2099-01-01"},
        follow=True,
    )
    assert "处于“已解决”状态的协调事项不能“交办”。" in text(response)
    assert Problem.objects.get(pk=problem.pk).status == "solved"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"deadline": "2099-01-01"}, "请选择责任部门。"),
        ({"responsible": "D", "deadline": "明天"}, "请按日期格式（YYYY-MM-DD）填写办结时限。"),
        ({"responsible": "D", "deadline": "2001-01-01"}, "办结时限不能早于今天。"),
    ],
)
def test_bad_assignments_through_the_page(depts, problem, login, data, message):
    data = {k: depts.land_dept.pk if v == "D" else v for k, v in data.items()}
    response = login(depts.office).post(
        reverse("problem_act", args=[problem.pk]), {"action": "assign", **data}, follow=True
    )
    assert message in text(response)
    assert Problem.objects.get(pk=problem.pk).status == "raised"


def test_the_department_replies_through_the_page(depts, problem, login):
    Problem.objects.filter(pk=problem.pk).update(status="assigned")
    client = login(depts.clerk)
    response = client.post(reverse("problem_act", args=[problem.pk]), {"action": "accept", "reply": ""}, follow=True)
    assert "请填写办理答复（做了哪些工作）。" in text(response)
    client.post(reverse("problem_act", args=[problem.pk]), {"action": "accept", "reply": "已接收"})
    client.post(reverse("problem_act", args=[problem.pk]), {"action": "solve", "reply": "已办结"})
    page = text(client.get(reverse("problem_detail", args=[problem.pk])))
    assert "已解决" in page and "已办结" in page and "clerk" in page


# Raising -----------------------------------------------------------------------------------


def test_raising_from_a_weekly_report(depts, login):
    report = submit(depts.a, depts.week, {depts.land: 5})
    report.problems_text = "1. 地块A有3户未签约\n2、资金拨付滞后"
    report.save()
    client = login(depts.owner)
    page = text(client.get(reverse("report", args=[depts.a.pk, depts.week.label])))
    assert "转为协调事项" in page and "地块A有3户未签约" in page and "资金拨付滞后" in page
    form = client.get(reverse("problem_new") + f"?report={report.pk}&line=1")
    assert form.status_code == 200 and "资金拨付滞后" in text(form)
    response = client.post(
        reverse("problem_new"),
        {
            "report": report.pk,
            "title": "资金拨付滞后",
            "description": "资金拨付滞后",
            "category": "funding",
            "raised_by_unit": depts.a.pk,
            "campaign": depts.campaign.pk,
        },
        follow=True,
    )
    assert "协调事项已提出。" in text(response)
    problem = Problem.objects.get()
    assert (problem.source, problem.report, problem.raised_by, problem.status) == (
        "report",
        report,
        depts.owner,
        "raised",
    )
    assert problem.steps.get().action == Step.Action.RAISE
    page = text(client.get(reverse("report", args=[depts.a.pk, depts.week.label])))
    assert reverse("problem_detail", args=[problem.pk]) in page


def test_a_colleague_cannot_raise_from_another_units_report(depts, login):
    report = submit(depts.a, depts.week, {depts.land: 5})
    assert login(depts.colleague).get(reverse("problem_new") + f"?report={report.pk}").status_code == 404
    assert login(depts.outsider).get(reverse("problem_new") + f"?report={report.pk}").status_code == 404
    assert login(depts.leader).get(reverse("problem_new") + f"?report={report.pk}").status_code == 403


def test_raising_from_a_project_and_a_household(depts, login):
    from org.models import Membership, OrgUnit
    from projects.models import Project
    from requisition.models import Household
    from tests.conftest import make_user

    project = Project.objects.create(
        unit=depts.a, name="智能制造产业园", problems_text="用地指标不足", total_investment=Decimal(10**8)
    )
    client = login(depts.owner)
    assert "转为协调事项" in text(client.get(reverse("project_detail", args=[project.pk])))
    assert "用地指标不足" in text(client.get(reverse("problem_new") + f"?project={project.pk}"))
    client.post(
        reverse("problem_new"),
        {
            "project": project.pk,
            "title": "用地指标不足",
            "description": "需要调剂",
            "category": "land",
            "raised_by_unit": depts.a.pk,
        },
    )
    assert Problem.objects.get(project=project).source == "project"

    village = OrgUnit.objects.create(name="江尾村", kind=OrgUnit.Kind.VILLAGE, parent=depts.a)
    household = Household.objects.create(village=village, number="001", head_name="张三", disputes="对评估价有异议")
    worker = make_user("worker", village, Membership.Role.REPORTER)
    client = login(worker)
    assert "转为协调事项" in text(client.get(reverse("requisition_household", args=[household.pk])))
    form = text(client.get(reverse("problem_new") + f"?household={household.pk}"))
    assert "张三户" in form and "对评估价有异议" in form
    client.post(
        reverse("problem_new"),
        {
            "household": household.pk,
            "title": "张三户",
            "description": "对评估价有异议",
            "category": "requisition",
            "raised_by_unit": village.pk,
            "village": village.pk,
        },
    )
    problem = Problem.objects.get(household=household)
    assert (problem.source, problem.village, problem.raised_by_unit) == ("household", village, village)
    assert login(depts.colleague).get(reverse("problem_new") + f"?household={household.pk}").status_code == 404


def good_post(depts, **overrides):
    data = {
        "title": "审批卡在环评",
        "description": "环评批复未下达",
        "category": "approval",
        "raised_by_unit": depts.a.pk,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"title": ""}, "是必填项。"),
        ({"title": "长" * 201}, "不超过 200 字符"),
        ({"description": ""}, "是必填项。"),
        ({"category": "weather"}, "选择一个有效的选项"),
        ({"raised_by_unit": "B"}, "选择一个有效的选项"),  # another unit's name
        ({"raised_by_unit": "C"}, "选择一个有效的选项"),
        ({"deadline": "2001-01-01"}, "办结时限不能早于今天。"),
        ({"deadline": "not-a-date"}, "输入一个有效的日期"),
        ({"responsible": "B"}, "选择一个有效的选项"),  # not a department
        ({"campaign": "OTHER"}, "选择一个有效的选项"),  # a campaign out of reach
    ],
)
def test_bad_input_when_raising_changes_nothing(depts, login, overrides, message):
    swap = {"B": depts.b.pk, "C": depts.c.pk, "OTHER": depts.other_campaign.pk}
    overrides = {k: swap.get(v, v) for k, v in overrides.items()}
    response = login(depts.owner).post(reverse("problem_new"), good_post(depts, **overrides))
    assert response.status_code == 200
    assert message in text(response)
    assert "请更正下列错误。" in text(response)
    assert not Problem.objects.exists()


def test_the_office_raises_for_any_unit_and_a_leader_may_not_raise(depts, login):
    response = login(depts.office).post(reverse("problem_new"), good_post(depts, raised_by_unit=depts.b.pk))
    assert response.status_code == 302
    assert Problem.objects.get().raised_by_unit == depts.b
    assert login(depts.leader).get(reverse("problem_new")).status_code == 403
    assert login(depts.leader).post(reverse("problem_new"), good_post(depts)).status_code == 403
    assert Problem.objects.count() == 1


# Uploads -------------------------------------------------------------------------------------


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    "name, content, kind",
    [
        ("现场.png", PNG, "png"),
        ("照片.JPG", JPG, "jpg"),
        ("a.jpeg", JPG, "jpg"),
        ("批复.pdf", PDF, "pdf"),
        ("说明.docx", DOCX, "docx"),
        ("台账.xlsx", XLSX, "xlsx"),
    ],
)
def test_good_files_are_stored_under_a_random_name(depts, login, media, name, content, kind):
    response = login(depts.owner).post(reverse("problem_new"), {**good_post(depts), "files": [upload(name, content)]})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.kind, attachment.original_name, attachment.size) == (kind, name, len(content))
    stored = Path(attachment.file.path).resolve()
    assert stored.is_relative_to(Path(media).resolve())
    assert stored.name != name and len(stored.stem) == 32 and stored.suffix == f".{kind}"
    assert stored.read_bytes() == content


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("大图.png", PNG + b"\x00" * 1000, "文件过大"),
        ("空.pdf", b"", "是空文件"),
        ("病毒.exe", b"MZ\x90\x00" * 10, "只接受照片"),
        ("说明.txt", b"hello", "只接受照片"),
        ("假图片.png", b"MZ\x90\x00" * 10, "的内容不是PNG文件"),
        ("假文档.docx", XLSX, "的内容不是DOCX文件"),
        ("压缩包.xlsx", office_zip("other.xml"), "的内容不是XLSX文件"),
        ("图片.pdf", PNG, "的内容不是PDF文件"),
        ("网页.png", b"<html><script>alert(1)</script></html>", "的内容不是PNG文件"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_saved(depts, login, media, name, content, message):
    response = login(depts.owner).post(reverse("problem_new"), {**good_post(depts), "files": [upload(name, content)]})
    assert response.status_code == 200
    assert message in text(response)
    assert not Problem.objects.exists() and not Attachment.objects.exists()
    assert not Path(media).exists() or not any(Path(media).rglob("*.*"))


def test_path_tricks_in_file_names_never_choose_where_a_file_goes(depts, login, media, tmp_path):
    response = login(depts.owner).post(
        reverse("problem_new"), {**good_post(depts), "files": [upload("../../etc/passwd.png", PNG)]}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "passwd.png"
    assert Path(attachment.file.path).resolve().is_relative_to(Path(media).resolve())
    assert not (tmp_path / "etc").exists()


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.png", "..\\..\\windows\\win.ini.png", "a\x00.png", "C:\\photos\\x.png", "/abs.png"]
)
def test_names_with_paths_nul_or_backslashes_are_refused(name):
    crafted = upload("x.png", PNG)
    crafted._name = name  # as a hand-made request could send it (Django's own parser strips paths already)
    with pytest.raises(uploads.UploadError) as err:
        uploads.check(crafted)
    assert "不允许使用" in str(err.value.message)


def test_clean_names_keep_only_the_last_part():
    assert uploads.clean_name("../../etc/passwd.png") == "passwd.png"
    assert uploads.clean_name("..\\..\\x.pdf") == "x.pdf"
    assert uploads.clean_name("a\x00b.png") == "ab.png"
    assert uploads.clean_name("...") == "file"
    assert len(uploads.clean_name("长" * 300 + ".pdf")) == 100


def test_attachments_are_served_only_through_the_scoped_view(depts, problem, login):
    client = login(depts.owner)
    response = client.post(
        reverse("problem_attach", args=[problem.pk]), {"files": [upload("批复.pdf", PDF)]}, follow=True
    )
    assert "已上传1个文件。" in text(response)
    attachment = Attachment.objects.get()
    assert problem.steps.filter(action="attach").exists()
    url = reverse("attachment_download", args=[attachment.pk])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert login(depts.clerk).get(url).status_code == 200
    assert login(depts.office).get(url).status_code == 200
    assert login(depts.colleague).get(url).status_code == 404
    assert login(depts.outsider).get(url).status_code == 404
    assert login(depts.fin_clerk).get(url).status_code == 404


def test_attaching_needs_a_part_to_play_and_a_good_file(depts, problem, login):
    url = reverse("problem_attach", args=[problem.pk])
    assert login(depts.leader).post(url, {"files": [upload("a.png", PNG)]}).status_code == 403
    assert login(depts.colleague).post(url, {"files": [upload("a.png", PNG)]}).status_code == 404
    response = login(depts.owner).post(url, {"files": [upload("a.txt", b"x")]}, follow=True)
    assert "只接受照片" in text(response)
    response = login(depts.owner).post(url, {}, follow=True)
    assert "请至少选择一个文件。" in text(response)
    assert not Attachment.objects.exists()


# Lists per department, leader, campaign; counts -------------------------------------------------


def test_groups_per_department_leader_and_campaign(depts, login):
    today = timezone.localdate()
    raise_problem(depts, responsible=depts.land_dept, deadline=today - timedelta(days=1), leader=depts.leader)
    raise_problem(depts, responsible=depts.land_dept, deadline=today + timedelta(days=2))
    raise_problem(depts, responsible=depts.fin_dept, status="solved", solved_at=timezone.now())
    client = login(depts.office)
    page = client.get(reverse("problem_groups") + "?by=department")
    rows = {r["label"]: r for r in page.context["rows"]}
    assert (rows["自然资源局"]["open"], rows["自然资源局"]["red"], rows["自然资源局"]["blue"]) == (2, 1, 1)
    assert (rows["财政局"]["open"], rows["财政局"]["solved"]) == (0, 1)
    rows = {r["label"]: r for r in client.get(reverse("problem_groups") + "?by=leader").context["rows"]}
    assert rows["leader"]["total"] == 1 and rows["未指定协调领导"]["total"] == 2
    rows = {r["label"]: r for r in client.get(reverse("problem_groups") + "?by=campaign").context["rows"]}
    assert rows["测试攻坚行动"]["total"] == 3
    listed = client.get(reverse("problem_list") + f"?responsible={depts.land_dept.pk}&colour=red")
    assert [p.title for p in listed.context["page"]] == ["地块交地受阻"] and listed.context["count"] == 1


def test_the_stats_page_counts_and_draws(depts, login):
    raise_problem(depts, responsible=depts.land_dept)
    page = login(depts.office).get(reverse("problem_stats"))
    assert page.status_code == 200
    content = text(page)
    year = timezone.localdate().year
    assert f"{year}年共提出协调事项1个，协调解决0个，逾期0个。" in content
    assert 'data-chart="problem-counts"' in content and "month-chart" in content
    assert login(depts.outsider).get(reverse("problem_stats")).context["summary"]["raised"] == 0


def test_the_yellow_filter_and_count(depts, login):
    today = timezone.localdate()
    long_ago = timezone.now() - timedelta(days=20)
    stalled = raise_problem(depts, title="停滞的", responsible=depts.land_dept, deadline=today + timedelta(days=10))
    moving = raise_problem(depts, title="有进展的", responsible=depts.land_dept, deadline=today + timedelta(days=10))
    Problem.objects.filter(pk__in=[stalled.pk, moving.pk]).update(status="in_progress", assigned_at=long_ago)
    Problem.objects.filter(pk=moving.pk).update(progress_at=timezone.now())
    client = login(depts.office)
    listed = client.get(reverse("problem_list") + "?colour=yellow")
    assert [p.title for p in listed.context["page"]] == ["停滞的"]
    assert "时间过半无进展" in text(listed)
    rows = {r["label"]: r for r in client.get(reverse("problem_groups") + "?by=department").context["rows"]}
    assert (rows["自然资源局"]["yellow"], rows["自然资源局"]["open"]) == (1, 2)
