"""send_reminders against a real local SMTP server (aiosmtpd) and a local HTTP receiver standing in
for the DingTalk / WeCom group robot: idempotent, each channel, failures retried and never blocking."""

import base64
import hashlib
import hmac
import json
import socket
import threading
import urllib.parse
from datetime import timedelta
from email import message_from_bytes
from email.policy import default as email_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from django.core.management import CommandError, call_command
from django.utils import timezone

from campaigns.models import Task
from problems import channels, reminders
from problems.models import Problem, Reminder
from tests import problem_helpers
from tests.conftest import submit
from tests.problem_helpers import raise_problem

depts = problem_helpers.depts  # the fixture

SECRET = "SEC-test-secret"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=email_policy)
        self.messages.append((envelope.rcpt_tos, str(message["subject"]).strip(), message.get_content()))
        return "250 OK"

    def to(self, address):
        return [m for m in self.messages if address in m[0]]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    inbox.port = port
    yield inbox
    controller.stop()


class Robot:
    """What the group robot received; `answer` is (HTTP status, JSON body) for the next posts."""

    def __init__(self):
        self.posts = []
        self.answer = (200, {"errcode": 0, "errmsg": "ok"})


@pytest.fixture
def robot(settings):
    state = Robot()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            url = urllib.parse.urlsplit(self.path)
            state.posts.append(
                {
                    "path": url.path,
                    "query": urllib.parse.parse_qs(url.query),
                    "json": json.loads(body),
                    "content_type": self.headers["Content-Type"],
                }
            )
            status, answer = state.answer
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.DUBAN_WEBHOOK_URL = f"http://127.0.0.1:{server.server_port}/robot/send?access_token=abc"
    settings.DUBAN_WEBHOOK_KIND = "dingtalk"
    settings.DUBAN_WEBHOOK_SECRET = ""
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def people(depts):
    for user, address in [
        (depts.owner, "owner@a.test"),
        (depts.colleague, "colleague@b.test"),
        (depts.outsider, "outsider@c.test"),
        (depts.clerk, "clerk@land.test"),
        (depts.leader, "leader@zone.test"),
        (depts.office, "office@zone.test"),
    ]:
        user.email = address
        user.save()
    return depts


def before_deadline(world, hours=2):
    return world.week.deadline - timedelta(hours=hours)


def early_morning(world):
    """A moment in the reminder window but before the digest hour."""
    return timezone.localtime(world.week.deadline).replace(hour=7, minute=0)


# Weekly reports ------------------------------------------------------------------------------


def test_weekly_report_reminders_go_once_to_units_that_have_not_submitted(people, smtp, robot):
    w = people
    submit(w.b, w.week, {w.land: 1})
    now = early_morning(w)
    stats = reminders.run(now)
    assert len(smtp.to("owner@a.test")) == 1
    assert smtp.to("colleague@b.test") == []  # submitted
    _, subject, body = smtp.to("owner@a.test")[0]
    assert (
        subject == f"【催报】甲指挥部 {w.week.label}周报请于{timezone.localtime(w.week.deadline):%Y-%m-%d %H:%M}前报送"
    )
    assert "尚未报送" in body
    assert len(robot.posts) == 1
    message = robot.posts[0]["json"]
    assert message["msgtype"] == "markdown" and message["markdown"]["title"] == "周报催报"
    assert "甲指挥部" in message["markdown"]["text"] and "乙指挥部" not in message["markdown"]["text"]
    assert stats["failed"] == 0

    again = reminders.run(now + timedelta(minutes=30))  # safe to run twice
    assert len(smtp.to("owner@a.test")) == 1 and len(robot.posts) == 1
    assert again["sent"] == 0 and again["skipped"] >= 2
    assert Reminder.objects.filter(key=f"report:{w.week.label}:{w.a.pk}", status="sent").count() == 2


def test_no_report_reminder_outside_the_window(people, smtp, robot, settings):
    settings.DUBAN_DIGEST_HOUR = 24  # no digest in this test
    reminders.run(before_deadline(people, hours=30))
    reminders.run(people.week.deadline + timedelta(minutes=1))  # after the deadline: next week's window
    assert smtp.to("owner@a.test") == [] and robot.posts == []


# Overdue problems and task items; the digest -----------------------------------------------


def test_overdue_notices_for_problems_and_tasks(people, smtp, robot):
    w = people
    today = timezone.localdate()
    problem = raise_problem(
        w, responsible=w.land_dept, deadline=today - timedelta(days=2), leader=w.leader, status="in_progress"
    )
    raise_problem(w, title="已解决的", responsible=w.land_dept, deadline=today - timedelta(days=2), status="solved")
    raise_problem(w, title="未到期的", responsible=w.land_dept, deadline=today)
    Task.objects.create(campaign=w.campaign, unit=w.b, title="完成迁坟", deadline=today - timedelta(days=1))
    now = timezone.localtime(timezone.now()).replace(hour=7, minute=0)  # before the digest hour
    reminders.run(now)
    clerk = smtp.to("clerk@land.test")
    assert [s for _, s, _ in clerk] == ["【超期】协调事项：地块交地受阻"]
    assert "已超期2天" in clerk[0][2]
    assert [s for _, s, _ in smtp.to("leader@zone.test")] == ["【超期】协调事项：地块交地受阻"]
    assert [s for _, s, _ in smtp.to("colleague@b.test") if "任务" in s] == ["【超期】任务：完成迁坟"]
    kinds = {p["json"]["markdown"]["title"] for p in robot.posts}
    assert {"协调事项超期", "任务超期"} <= kinds

    reminders.run(now + timedelta(minutes=5))
    assert len(smtp.to("clerk@land.test")) == 1
    # the deadline is extended and missed again: a new notice
    Problem.objects.filter(pk=problem.pk).update(deadline=today - timedelta(days=1))
    reminders.run(now + timedelta(minutes=10))
    assert len(smtp.to("clerk@land.test")) == 2


def test_the_daily_digest_goes_to_leaders_once_a_day_after_the_hour(people, smtp, robot, settings):
    settings.DUBAN_DIGEST_HOUR = 8
    w = people
    raise_problem(w, responsible=w.land_dept, deadline=timezone.localdate() - timedelta(days=1))
    morning = timezone.localtime(timezone.now()).replace(hour=7, minute=59)
    reminders.run(morning)
    assert [s for _, s, _ in smtp.to("leader@zone.test") if "简报" in s] == []
    reminders.run(morning + timedelta(minutes=1))
    reminders.run(morning + timedelta(hours=3))
    digests = [m for m in smtp.to("leader@zone.test") if "简报" in m[1]]
    assert len(digests) == 1
    assert "协调事项：在办1个，其中超期1个" in digests[0][2]
    assert smtp.to("owner@a.test") == [] or all("简报" not in s for _, s, _ in smtp.to("owner@a.test"))
    assert sum(1 for p in robot.posts if p["json"]["markdown"]["title"] == "每日简报") == 1


# Channels: formats, signing, failures ----------------------------------------------------------


def test_dingtalk_signed_url(people, robot, settings):
    settings.DUBAN_WEBHOOK_SECRET = SECRET
    settings.EMAIL_HOST = ""
    reminders.run(early_morning(people))
    post = robot.posts[0]
    assert post["query"]["access_token"] == ["abc"]
    timestamp, sign = post["query"]["timestamp"][0], post["query"]["sign"][0]
    expected = base64.b64encode(hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest())
    assert sign == expected.decode()  # parse_qs undid the URL encoding
    assert abs(int(timestamp) / 1000 - timezone.now().timestamp()) < 3600
    assert post["content_type"].startswith("application/json")


def test_wecom_markdown_format(people, robot, settings):
    settings.DUBAN_WEBHOOK_KIND = "wecom"
    settings.EMAIL_HOST = ""
    reminders.run(early_morning(people))
    message = robot.posts[0]["json"]
    assert set(message) == {"msgtype", "markdown"} and message["msgtype"] == "markdown"
    assert "甲指挥部" in message["markdown"]["content"] and "title" not in message["markdown"]


def test_text_payloads_and_clipping():
    assert channels.robot_payload("dingtalk", "t", "正文", markdown=False) == {
        "msgtype": "text",
        "text": {"content": "正文"},
    }
    assert channels.robot_payload("wecom", "t", "正文", markdown=False) == {
        "msgtype": "text",
        "text": {"content": "正文"},
    }
    long = channels.robot_payload("wecom", "t", "长" * 5000)["markdown"]["content"]
    assert len(long.encode()) <= 4096


@pytest.mark.parametrize("answer", [(500, {"error": "boom"}), (200, {"errcode": 310000, "errmsg": "sign not match"})])
def test_a_failing_robot_is_logged_retried_and_never_blocks_email(people, smtp, robot, answer, caplog):
    w = people
    robot.answer = answer
    now = early_morning(w)
    with pytest.raises(CommandError):
        call_command("send_reminders", "--at", now.strftime("%Y-%m-%dT%H:%M"))
    assert len(smtp.to("owner@a.test")) == 1  # e-mail went out anyway
    failed = Reminder.objects.get(channel="webhook", key=f"report:{w.week.label}:{w.a.pk}")
    assert failed.status == "failed" and failed.attempts == 1 and failed.last_error
    assert "group robot failed" in caplog.text

    robot.answer = (200, {"errcode": 0, "errmsg": "ok"})
    call_command("send_reminders", "--at", (now + timedelta(minutes=15)).strftime("%Y-%m-%dT%H:%M"))
    failed.refresh_from_db()
    assert failed.status == "sent" and failed.attempts == 2 and failed.last_error == ""
    assert len(robot.posts) == 2  # the failed try and the retry
    assert len(smtp.to("owner@a.test")) == 1  # not sent twice


def test_an_smtp_server_that_is_down_never_blocks_the_robot(people, robot, settings, smtp):
    w = people
    settings.EMAIL_PORT = free_port()  # nobody listens there
    now = early_morning(w)
    stats = reminders.run(now)
    assert stats["failed"] >= 1 and len(robot.posts) == 1
    row = Reminder.objects.get(channel="email", recipient="owner@a.test")
    assert row.status == "failed" and "SMTP" in row.last_error

    settings.EMAIL_PORT = smtp.port  # back up
    reminders.run(now + timedelta(minutes=10))
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 2
    assert len(smtp.to("owner@a.test")) == 1 and len(robot.posts) == 1


def test_a_row_claimed_by_another_run_is_not_sent_again(people, smtp, robot):
    """Two runs at once: the conditional claim lets only one of them send."""
    w = people
    now = early_morning(w)
    notice = reminders.report_notices(now)[0]
    row = reminders._row(notice, Reminder.Channel.EMAIL, "owner@a.test")
    Reminder.objects.filter(pk=row.pk).update(status=Reminder.Status.SENDING)
    assert reminders._claim([row]) == []
    reminders.run(now)
    assert smtp.to("owner@a.test") == []


def test_the_command_reports_and_refuses_a_bad_time(people, smtp, robot, capsys):
    call_command("send_reminders", "--at", early_morning(people).strftime("%Y-%m-%dT%H:%M"))
    assert "reminders due:" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("send_reminders", "--at", "tomorrow")


def test_without_channels_nothing_is_logged(people, settings):
    settings.EMAIL_HOST = ""
    settings.DUBAN_WEBHOOK_URL = ""
    stats = reminders.run(early_morning(people))
    assert stats["due"] >= 1 and stats["sent"] == 0 and not Reminder.objects.exists()


@pytest.mark.parametrize("user, status", [("office", 200), ("leader", 403), ("owner", 403)])
def test_the_sent_log_page_is_the_offices(people, login, user, status):
    from django.urls import reverse

    assert login(getattr(people, user)).get(reverse("reminder_log")).status_code == status
