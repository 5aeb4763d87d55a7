"""Reminders, sent for real by `python manage.py send_reminders` (run it from cron).

What is sent:
- weekly-report reminders, in the hours before the week's deadline
  (settings.DUBAN_REPORT_REMINDER_HOURS, default 24), to the reporters of each unit due to report
  that has not submitted;
- overdue notices for open problems (to the responsible department and the coordinating leader,
  or to the office while nobody is assigned) and for open task-list items (to the unit);
- a daily digest to the leaders, from settings.DUBAN_DIGEST_HOUR (default 8) each day.
Every reminder also goes to the group robot, the items of one kind in one message.

Idempotence: every reminder has a key (what it is about, e.g. "problem-overdue:12:2026-11-20"),
and the sent-log (Reminder) holds one row per key, channel and recipient under a unique
constraint. A row is claimed (pending/failed → sending) by one conditional UPDATE before sending,
so two runs, even at once, never send it twice. A failed delivery is logged on its row and retried
on the next run while the reminder still applies; one channel failing never stops the other.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from campaigns.models import Task
from duban import periods
from org.models import Membership, OrgUnit
from problems import channels
from problems.colours import DUE_SOON_DAYS
from problems.models import Problem, Reminder
from reports.models import WeeklyReport

log = logging.getLogger("duban.reminders")
GROUP = "group"


@dataclass
class Notice:
    key: str
    kind: str
    subject: str
    body: str  # the e-mail text
    line: str  # its line in the group robot's message (markdown)
    emails: list = field(default_factory=list)
    unit_id: int | None = None  # the unit it is about: whose office reads it in the sent-log


def _emails(users):
    return sorted({u.email.strip() for u in users if u and u.email and u.email.strip()})


def unit_emails(unit_id, roles=(Membership.Role.REPORTER,), cache=None):
    """E-mail addresses of the unit's members with these roles (cached per run when `cache` is given)."""
    if cache is not None and unit_id in cache:
        return cache[unit_id]
    users = (
        get_user_model()
        .objects.filter(memberships__unit_id=unit_id, memberships__role__in=roles, is_active=True)
        .distinct()
    )
    emails = _emails(users)
    if cache is not None:
        cache[unit_id] = emails
    return emails


def office_emails(unit, cache):
    """E-mail addresses of the offices of the subtrees that hold `unit` (its own and those above)."""
    if unit.pk not in cache:
        users = get_user_model().objects.filter(
            memberships__unit_id__in=unit.ancestor_ids(), memberships__role=Membership.Role.OFFICE, is_active=True
        )
        cache[unit.pk] = _emails(users.distinct())
    return cache[unit.pk]


def report_notices(now):
    from reports.entry import expected_units

    week = periods.current_week(now)
    hours = getattr(settings, "DUBAN_REPORT_REMINDER_HOURS", 24)
    if not (week.deadline - timedelta(hours=hours) <= now <= week.deadline):
        return []
    submitted = set(
        WeeklyReport.objects.filter(week_end=week.end, status=WeeklyReport.Status.SUBMITTED).values_list(
            "unit_id", flat=True
        )
    )
    deadline = timezone.localtime(week.deadline).strftime("%Y-%m-%d %H:%M")
    notices = []
    for unit in expected_units(week).order_by("path"):
        if unit.pk in submitted:
            continue
        notices.append(
            Notice(
                key=f"report:{week.label}:{unit.pk}",
                kind=Reminder.Kind.REPORT,
                subject=_("Weekly report %(week)s of %(unit)s is due by %(deadline)s")
                % {"week": week.label, "unit": unit.name, "deadline": deadline},
                body=_(
                    "%(unit)s has not submitted its weekly report for %(week)s yet. "
                    "It is due by %(deadline)s. Please submit it in duban."
                )
                % {"unit": unit.name, "week": week.label, "deadline": deadline},
                line=f"{unit.name}",
                emails=unit_emails(unit.pk),
                unit_id=unit.pk,
            )
        )
    return notices


def problem_notices(today):
    notices, cache, offices = [], {}, {}
    problems = Problem.objects.filter(status__in=Problem.OPEN_STATUSES, deadline__lt=today).select_related(
        "responsible", "leader", "raised_by_unit"
    )
    for p in problems.order_by("deadline", "pk"):
        if p.responsible_id:
            emails = unit_emails(p.responsible_id, cache=cache) + _emails([p.leader])
        else:  # nobody assigned yet: the office of the raising unit's zone
            emails = office_emails(p.raised_by_unit, offices) + _emails([p.leader])
        days = (today - p.deadline).days
        who = p.responsible.name if p.responsible else _("not assigned yet")
        notices.append(
            Notice(
                key=f"problem-overdue:{p.pk}:{p.deadline.isoformat()}",
                kind=Reminder.Kind.PROBLEM_OVERDUE,
                subject=_("Overdue problem: %(title)s") % {"title": p.title},
                body=_(
                    "The coordination problem “%(title)s” (#%(pk)s, %(who)s) was due on %(deadline)s and is "
                    "%(days)s day(s) overdue. Status: %(status)s."
                )
                % {
                    "title": p.title,
                    "pk": p.pk,
                    "who": who,
                    "deadline": p.deadline.isoformat(),
                    "days": days,
                    "status": p.get_status_display(),
                },
                line=_("#%(pk)s %(title)s (%(who)s, due %(deadline)s, %(days)s day(s) overdue)")
                % {"pk": p.pk, "title": p.title, "who": who, "deadline": p.deadline.isoformat(), "days": days},
                emails=sorted(set(emails)),
                unit_id=p.raised_by_unit_id,
            )
        )
    return notices


def task_notices(today):
    notices, cache = [], {}
    tasks = Task.objects.filter(status=Task.Status.OPEN, deadline__lt=today).select_related("unit", "campaign")
    for t in tasks.order_by("deadline", "pk"):
        days = (today - t.deadline).days
        values = {
            "title": t.title,
            "campaign": t.campaign.name,
            "unit": t.unit.name,
            "deadline": t.deadline.isoformat(),
            "days": days,
        }
        notices.append(
            Notice(
                key=f"task-overdue:{t.pk}:{t.deadline.isoformat()}",
                kind=Reminder.Kind.TASK_OVERDUE,
                subject=_("Overdue task: %(title)s") % values,
                body=_(
                    "The task-list item “%(title)s” of %(campaign)s (%(unit)s) was due on %(deadline)s and is "
                    "%(days)s day(s) overdue. Mark it done with its evidence in duban."
                )
                % values,
                line=_("%(unit)s: %(title)s (%(campaign)s, due %(deadline)s, %(days)s day(s) overdue)") % values,
                emails=unit_emails(t.unit_id, cache=cache),
                unit_id=t.unit_id,
            )
        )
    return notices


def digest_text(now, unit):
    """The digest's lines for `unit`'s subtree."""
    from reports.entry import expected_units

    today = timezone.localdate(now)
    yesterday = today - timedelta(days=1)
    problems = Problem.objects.filter(unit.within_q("raised_by_unit__path"))
    open_problems = problems.filter(status__in=Problem.OPEN_STATUSES)
    n_open = open_problems.count()
    overdue = open_problems.filter(deadline__lt=today).count()
    due_soon = open_problems.filter(deadline__gte=today, deadline__lte=today + timedelta(days=DUE_SOON_DAYS)).count()
    tz = timezone.get_current_timezone()
    day = (
        datetime.combine(yesterday, time.min, tzinfo=tz),
        datetime.combine(today, time.min, tzinfo=tz),
    )
    raised = problems.filter(created_at__gte=day[0], created_at__lt=day[1]).count()
    solved = problems.filter(status=Problem.Status.SOLVED, solved_at__gte=day[0], solved_at__lt=day[1]).count()
    tasks_overdue = Task.objects.filter(
        unit.within_q("unit__path"), status=Task.Status.OPEN, deadline__lt=today
    ).count()
    week = periods.current_week(now)
    expected = expected_units(week, within=unit.subtree())
    due = expected.count()
    done = WeeklyReport.objects.filter(
        week_end=week.end, status=WeeklyReport.Status.SUBMITTED, unit__in=expected
    ).count()
    lines = [
        _("Coordination problems: %(open)s open, %(overdue)s overdue, %(soon)s due within 3 days.")
        % {"open": n_open, "overdue": overdue, "soon": due_soon},
        _("Yesterday: %(raised)s raised, %(solved)s solved.") % {"raised": raised, "solved": solved},
        _("Task lists: %(n)s item(s) overdue.") % {"n": tasks_overdue},
        _("Weekly reports %(week)s: %(done)s of %(due)s units have submitted.")
        % {"week": week.label, "done": done, "due": due},
    ]
    return lines


def digest_notices(now):
    """One digest per unit that leaders hang on, of that unit's subtree, to those leaders: a
    county's leaders read their county, a province's the province."""
    if timezone.localtime(now).hour < getattr(settings, "DUBAN_DIGEST_HOUR", 8):
        return []
    today = timezone.localdate(now)
    notices = []
    for unit in OrgUnit.objects.filter(memberships__role=Membership.Role.LEADER).distinct().order_by("path"):
        lines = digest_text(now, unit)
        notices.append(
            Notice(
                key=f"digest:{today.isoformat()}:{unit.pk}",
                kind=Reminder.Kind.DIGEST,
                subject=_("duban daily digest of %(unit)s, %(date)s") % {"unit": unit.name, "date": today.isoformat()},
                body="\n".join(lines),
                line="\n".join(f"- {line}" for line in lines),
                emails=unit_emails(unit.pk, roles=(Membership.Role.LEADER,)),
                unit_id=unit.pk,
            )
        )
    return notices


def collect(now):
    today = timezone.localdate(now)
    return report_notices(now) + problem_notices(today) + task_notices(today) + digest_notices(now)


# Delivery ---------------------------------------------------------------------------------


def _row(notice, channel, recipient):
    body = notice.line if channel == Reminder.Channel.WEBHOOK else notice.body
    try:
        with transaction.atomic():
            row, _created = Reminder.objects.get_or_create(
                key=notice.key,
                channel=channel,
                recipient=recipient,
                defaults={
                    "kind": notice.kind,
                    "subject": notice.subject[:200],
                    "body": body,
                    "unit_id": notice.unit_id,
                },
            )
    except IntegrityError:  # another run created it at the same moment
        row = Reminder.objects.get(key=notice.key, channel=channel, recipient=recipient)
    return row


def _claim(rows):
    """Rows this run may send: pending or failed ones, switched to 'sending' one by one."""
    claimed = []
    for row in rows:
        if row.status not in (Reminder.Status.PENDING, Reminder.Status.FAILED):
            continue
        n = Reminder.objects.filter(pk=row.pk, status__in=[Reminder.Status.PENDING, Reminder.Status.FAILED]).update(
            status=Reminder.Status.SENDING, attempts=F("attempts") + 1
        )
        if n:
            claimed.append(row)
    return claimed


def _done(rows, error=None):
    ids = [r.pk for r in rows]
    if error is None:
        Reminder.objects.filter(pk__in=ids).update(status=Reminder.Status.SENT, sent_at=timezone.now(), last_error="")
    else:
        Reminder.objects.filter(pk__in=ids).update(status=Reminder.Status.FAILED, last_error=str(error)[:2000])


def send_emails(rows, stats):
    if not rows:
        return
    try:
        connection = channels.open_smtp()
    except channels.ChannelError as err:
        log.warning("e-mail channel down, %s reminder(s) left for the next run: %s", len(rows), err)
        _done(rows, err)
        stats["failed"] += len(rows)
        return
    try:
        for row in rows:
            try:
                channels.send_email(connection, row.recipient, row.subject, row.body)
            except channels.ChannelError as err:
                log.warning("e-mail to %s failed (%s): %s", row.recipient, row.key, err)
                _done([row], err)
                stats["failed"] += 1
            else:
                _done([row])
                stats["sent"] += 1
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001 - a broken connection at close changes nothing sent
            log.debug("closing the SMTP connection failed", exc_info=True)


def send_webhook(rows, stats):
    by_kind = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row)
    for kind, group in by_kind.items():
        title = str(Reminder.Kind(kind).label)
        if kind == Reminder.Kind.DIGEST:
            text = "\n\n".join(f"#### {r.subject}\n{r.body}" for r in group)
        else:
            text = f"#### {title}\n" + "\n".join(f"- {r.body}" for r in group)
        try:
            channels.post_webhook(title, text)
        except channels.ChannelError as err:
            log.warning("group robot failed, %s reminder(s) left for the next run: %s", len(group), err)
            _done(group, err)
            stats["failed"] += len(group)
        else:
            _done(group)
            stats["sent"] += len(group)


def run(now=None):
    """Collects what is due and sends it; returns counts {"due", "sent", "failed", "skipped"}."""
    now = now or timezone.now()
    stats = {"due": 0, "sent": 0, "failed": 0, "skipped": 0}
    with translation.override(settings.LANGUAGE_CODE):
        notices = collect(now)
        stats["due"] = len(notices)
        email_rows, webhook_rows = [], []
        for notice in notices:
            if channels.email_enabled():
                email_rows += [_row(notice, Reminder.Channel.EMAIL, addr) for addr in notice.emails]
            if channels.webhook_enabled():
                webhook_rows.append(_row(notice, Reminder.Channel.WEBHOOK, GROUP))
        claimed_email, claimed_webhook = _claim(email_rows), _claim(webhook_rows)
        stats["skipped"] = len(email_rows) + len(webhook_rows) - len(claimed_email) - len(claimed_webhook)
        for sender, rows in ((send_emails, claimed_email), (send_webhook, claimed_webhook)):
            try:
                sender(rows, stats)
            except Exception as err:  # never let one channel stop the other
                log.exception("reminder channel crashed")
                _done(rows, err)
    return stats
