"""Benchmark (not a test): the problem list, the counts page's figures, task figures and one
send_reminders run (no channel configured, so only the collecting is timed) over many problems.

    .venv/bin/python bench/problems.py                  # 20,000 problems, 5,000 task items
    .venv/bin/python bench/problems.py --problems 2000  # quicker
    DATABASE_URL=postgres://… .venv/bin/python bench/problems.py

Without DATABASE_URL it runs on a fresh SQLite file under /tmp. On a given database it works on its
own units (names BENCH-…) and deletes what it made at the end.
"""

import argparse
import random
import time
from datetime import timedelta
from pathlib import Path

from django_setup import setup

ROOT = Path(__file__).resolve().parent.parent


def setup_django():
    setup("duban-bench-problems.sqlite3")


def timed(label, fn):
    start = time.perf_counter()
    result = fn()
    print(f"{label}: {time.perf_counter() - start:.3f} s")
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--problems", type=int, default=20_000)
    parser.add_argument("--tasks", type=int, default=5_000)
    args = parser.parse_args()
    setup_django()

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from campaigns.models import Campaign, Task
    from org.models import Membership, OrgUnit
    from problems import counts, reminders
    from problems.models import Problem
    from problems.tasks import task_figures

    settings.ALLOWED_HOSTS = ["*"]
    settings.EMAIL_HOST = settings.DUBAN_WEBHOOK_URL = ""
    rng = random.Random(6)
    today = timezone.localdate()
    zone = OrgUnit.objects.create(name="BENCH-区", kind=OrgUnit.Kind.ZONE)
    posts = [OrgUnit.objects.create(name=f"BENCH-指挥部{i}", kind="command_post", parent=zone) for i in range(10)]
    depts = [OrgUnit.objects.create(name=f"BENCH-部门{i}", kind="department", parent=zone) for i in range(12)]
    campaign = Campaign.objects.create(name="BENCH-行动", owner=zone, start=today - timedelta(days=200), end=today)
    user = get_user_model().objects.create_user("bench-office", password="x")
    Membership.objects.create(user=user, unit=zone, role=Membership.Role.OFFICE)
    try:
        statuses = list(Problem.Status.values)
        rows = []
        for n in range(args.problems):
            status = rng.choice(statuses)
            rows.append(
                Problem(
                    title=f"BENCH 问题{n}",
                    category=rng.choice(Problem.Category.values),
                    status=status,
                    raised_by_unit=rng.choice(posts),
                    responsible=rng.choice(depts),
                    campaign=campaign,
                    deadline=today + timedelta(days=rng.randint(-60, 60)),
                    solved_at=timezone.now() - timedelta(days=rng.randint(0, 200)) if status == "solved" else None,
                )
            )
        timed(f"create {args.problems} problems", lambda: Problem.objects.bulk_create(rows, batch_size=2000))
        tasks = [
            Task(
                campaign=campaign,
                unit=rng.choice(posts),
                title=f"BENCH 任务{n}",
                deadline=today + timedelta(days=rng.randint(-60, 60)),
                status=rng.choice(["open", "done"]),
                done_on=today - timedelta(days=rng.randint(0, 90)),
            )
            for n in range(args.tasks)
        ]
        Task.objects.bulk_create(tasks, batch_size=2000)
        qs = Problem.objects.filter(raised_by_unit__path__startswith=zone.path)

        def year_counts():
            rows = counts.rows_for_year(qs, today.year)  # read once, as the counts page does
            return (
                counts.by_month(rows, today.year, today),
                counts.by_department(rows, today.year, today),
                counts.by_category(rows, today.year, today),
            )

        timed("counts by month + department + category", year_counts)
        timed(f"task_figures over {args.tasks} items", lambda: task_figures(campaign, today))
        client = Client()
        client.force_login(user)
        for url in (
            "/problems/",
            "/problems/?colour=red",
            "/problems/groups/?by=department",
            "/problems/stats/",
            f"/campaigns/{campaign.pk}/tasks/",
        ):
            client.get(url)  # the first request of a process also loads templates and catalogs
            response = timed(f"GET {url}", lambda url=url: client.get(url))
            assert response.status_code == 200, (url, response.status_code)
        timed("send_reminders (collect only, no channel)", lambda: reminders.run())
    finally:
        Problem.objects.filter(raised_by_unit__path__startswith=zone.path).delete()
        Task.objects.filter(campaign=campaign).delete()
        campaign.delete()
        Membership.objects.filter(user=user).delete()
        user.delete()
        for unit in sorted(zone.subtree(), key=lambda u: -u.depth):
            unit.delete()


if __name__ == "__main__":
    main()
