"""Background jobs in eager mode (no broker: the job runs in the request that starts it): big
imports go to a job, checked first, imported on confirm; the job page; failures keep nothing
and a retry runs the job again; lost workers are noticed."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import Entry
from jobs import runner
from jobs.models import Job
from projects.models import Project
from requisition import roster
from requisition.models import Household
from tests.import_helpers import roster as roster_file
from tests.import_helpers import village, xlsx


@pytest.fixture(autouse=True)
def small_jobs(settings, tmp_path, monkeypatch):
    """Files of more than 3 rows (header included) go to a job."""
    settings.DUBAN_IMPORT_JOB_ROWS = 3
    settings.MEDIA_ROOT = tmp_path  # checked uploads wait in pending_uploads.FOLDER under it


def upload(client, data, name="花名册.xlsx"):
    return client.post(reverse("requisition_import"), {"file": SimpleUploadedFile(name, data)})


def test_it_checks_a_big_roster_in_a_job_and_imports_it_on_confirm(world, login):
    village(world)
    client = login(world.owner)
    response = upload(client, roster_file(5))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("job", args=[job.pk])
    assert (job.kind, job.status, job.dry_run, job.rows_total, job.owner) == (
        "roster_import",
        "done",
        True,
        6,
        world.owner,
    )
    page = client.get(response["Location"]).content.decode()
    assert "文件检查结果" in page and "新建5条，更新0条，未变0条。" in page and "导入这些更改" in page
    assert Household.objects.count() == 0
    response = client.post(reverse("job", args=[job.pk]), {"confirm": "1"})
    real = Job.objects.exclude(pk=job.pk).get()
    assert response["Location"] == reverse("job", args=[real.pk])
    assert (real.status, real.dry_run, real.rows_done) == ("done", False, 5)
    assert Household.objects.count() == 5
    page = client.get(response["Location"]).content.decode()
    assert "导入完成" in page and "新建5条，更新0条，未变0条。" in page and "导入这些更改" not in page
    assert Entry.objects.filter(action="import", user=world.owner).count() == 1
    # the check's file is gone: it cannot be imported twice
    again = client.post(reverse("job", args=[job.pk]), {"confirm": "1"}, follow=True).content.decode()
    assert "这次检查的结果已不能再导入，请重新上传文件。" in again
    assert Household.objects.count() == 5 and Job.objects.count() == 2


def test_it_keeps_a_small_roster_in_the_request(world, login, settings):
    settings.DUBAN_IMPORT_JOB_ROWS = 100
    village(world)
    page = upload(login(world.owner), roster_file(5)).content.decode()
    assert "新建5条，更新0条，未变0条。" in page
    assert Job.objects.count() == 0


def test_it_shows_the_errors_of_a_checked_job_and_no_confirm(world, login):
    village(world)
    data = xlsx([["户主姓名", "村/组"], *[[f"户主{k}", "无此村"] for k in range(4)]])
    client = login(world.owner)
    page = client.get(upload(client, data)["Location"]).content.decode()
    assert "第2行：村“无此村”不存在。" in page and "第5行：村“无此村”不存在。" in page
    assert "导入这些更改" not in page
    assert Household.objects.count() == 0
    assert Job.objects.get().data is None


def test_it_shows_a_job_only_to_its_owner(world, login, client):
    village(world)
    upload(login(world.owner), roster_file(5))
    job = Job.objects.get()
    client.logout()
    assert client.get(reverse("job", args=[job.pk])).status_code == 302  # the log-in page
    other = login(world.colleague)
    assert other.get(reverse("job", args=[job.pk])).status_code == 404
    assert other.post(reverse("job", args=[job.pk]), {"confirm": "1"}).status_code == 404
    assert Job.objects.count() == 1 and Household.objects.count() == 0


def test_it_runs_a_big_project_import_in_a_job(world, login):
    data = xlsx([["项目名称", "责任单位", "总投资(万元)"], *[[f"项目{k}", "甲指挥部", 100 + k] for k in range(4)]])
    client = login(world.office)
    today = timezone.localdate()  # the file names no month: the form gives it
    form = {"file": SimpleUploadedFile("项目.xlsx", data), "year": today.year, "month": today.month}
    response = client.post(reverse("project_import"), form)
    job = Job.objects.get()
    assert response["Location"] == reverse("job", args=[job.pk])
    assert (job.kind, job.status, job.dry_run) == ("project_import", "done", True)
    assert Project.objects.count() == 0
    client.post(reverse("job", args=[job.pk]), {"confirm": "1"})
    assert Job.objects.filter(dry_run=False, status="done").count() == 1
    assert Project.objects.count() == 4


def test_it_keeps_nothing_from_a_failed_job_and_a_retry_runs_it_again(world, login, monkeypatch):
    village(world)
    client = login(world.owner)
    job = client.get(upload(client, roster_file(5))["Location"])
    checked = Job.objects.get()
    finish = roster.Importer.finish

    def broken(self, errors):
        finish(self, errors)  # the households are written, in the import's transaction
        assert Household.objects.count() == 5
        raise RuntimeError("the server broke")

    monkeypatch.setattr(roster.Importer, "finish", broken)
    client.post(reverse("job", args=[checked.pk]), {"confirm": "1"})
    job = Job.objects.exclude(pk=checked.pk).get()
    assert (job.status, job.attempts) == ("failed", 1)
    assert Household.objects.count() == 0
    page = client.get(reverse("job", args=[job.pk])).content.decode()
    assert "失败" in page and "任务因服务器出错而失败，未保存任何数据。" in page and "重试" in page
    monkeypatch.setattr(roster.Importer, "finish", finish)
    response = client.post(reverse("job", args=[job.pk]), {"retry": "1"}, follow=True)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.rows_done) == ("done", 2, 5)
    assert Household.objects.count() == 5
    assert "任务已重新排队。" in response.content.decode()


def test_it_retries_only_a_failed_job(world, login):
    village(world)
    client = login(world.owner)
    upload(client, roster_file(5))
    job = Job.objects.get()
    page = client.post(reverse("job", args=[job.pk]), {"retry": "1"}, follow=True).content.decode()
    assert "只有失败的任务才能重试。" in page
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 1)


def _running(world, **fields):
    return Job.objects.create(
        kind=Job.Kind.ROSTER_IMPORT,
        owner=world.owner,
        status=Job.Status.RUNNING,
        data=roster_file(5),
        rows_total=6,
        attempts=1,
        **fields,
    )


def test_it_marks_a_running_job_whose_heartbeat_stopped_as_failed(world, login, settings):
    village(world)
    settings.DUBAN_JOB_STALE_SECONDS = 60
    job = _running(world, started_at=timezone.now() - timedelta(seconds=61))
    page = login(world.owner).get(reverse("job", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert job.status == "failed" and "重试" in page
    assert "任务没有完成就中断了（后台进程被终止），未保存任何数据。" in page


def test_it_leaves_a_running_job_with_a_recent_heartbeat(world, login, settings):
    settings.DUBAN_JOB_STALE_SECONDS = 60
    job = _running(world, started_at=timezone.now() - timedelta(seconds=5))
    page = login(world.owner).get(reverse("job", args=[job.pk]), HTTP_HX_REQUEST="true")
    job.refresh_from_db()
    assert job.status == "running"
    assert 'hx-trigger="every 1s"' in page.content.decode() and "<progress" in page.content.decode()
    assert "HX-Refresh" not in page


def test_it_marks_failed_a_job_whose_message_comes_back_after_its_worker_died(world):
    village(world)
    job = _running(world, started_at=timezone.now())
    runner.run(job.pk, 1)  # the message of the attempt that was running, delivered again
    job.refresh_from_db()
    assert job.status == "failed" and job.message.startswith("任务没有完成就中断了")
    assert Household.objects.count() == 0


def test_it_ignores_the_message_of_an_older_attempt(world):
    village(world)
    job = _running(world, started_at=timezone.now())
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, attempts=2)
    runner.run(job.pk, 1)
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("queued", 2)
    assert Household.objects.count() == 0


def test_it_reloads_the_page_when_a_polled_job_has_finished(world, login):
    village(world)
    client = login(world.owner)
    upload(client, roster_file(5))
    job = Job.objects.get()
    response = client.get(reverse("job", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"
    assert 'value="6"' in response.content.decode()


def test_it_fails_a_job_at_once_when_the_broker_is_down(world, login, settings, monkeypatch):
    from kombu.exceptions import OperationalError

    from jobs import tasks

    def down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.run_job, "apply_async", down)
    village(world)
    client = login(world.owner)
    page = client.get(upload(client, roster_file(5))["Location"]).content.decode()
    job = Job.objects.get()
    assert job.status == "failed" and "任务无法排队（后台服务连不上），请稍后重试。" in page and "重试" in page
    assert "Connection refused" not in page
    assert Household.objects.count() == 0
