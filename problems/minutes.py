"""会议纪要 of a coordination meeting, in the same 公文 format as the bulletins (duban/gongwen/writer.py):
who attended, each problem discussed with the meeting's decision, and the follow-up tasks with
their unit and deadline. Minutes are numbered per holding unit and year (〔2026〕3号), the number
given when the minutes are first made and kept after."""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

import audit
from duban.gongwen import fit
from duban.gongwen.writer import campaign_office, date_label, document_number
from problems.models import AgendaItem, Meeting


def number(meeting):
    """The meeting's minutes number, given now if it has none (the next of its unit and year)."""
    if meeting.minutes_number:
        return meeting.minutes_year, meeting.minutes_number
    year = meeting.held_on.year
    for _attempt in range(3):
        try:
            with transaction.atomic():
                last = Meeting.objects.filter(unit=meeting.unit, minutes_year=year).aggregate(n=Max("minutes_number"))
                n = (last["n"] or 0) + 1
                if not Meeting.objects.filter(pk=meeting.pk, minutes_number__isnull=True).update(
                    minutes_year=year, minutes_number=n
                ):
                    break  # numbered meanwhile
                audit.record("update", meeting, {"minutes_number": None}, {"minutes_number": f"{year}-{n}"})
            break
        except IntegrityError:
            continue
    meeting.refresh_from_db(fields=["minutes_year", "minutes_number"])
    return meeting.minutes_year, meeting.minutes_number


def issuer(meeting):
    if meeting.campaign_id:
        return campaign_office(meeting.campaign.owner.name)
    return meeting.unit.name


def attendee_names(meeting):
    return [line.strip() for line in meeting.attendees.splitlines() if line.strip()]


def opening(meeting, items):
    parts = {"date": date_label(meeting.held_on), "title": meeting.title, "n": len(items)}
    if meeting.chaired_by and meeting.place:
        text = _("On %(date)s, %(chair)s chaired %(title)s at %(place)s.")
    elif meeting.chaired_by:
        text = _("On %(date)s, %(chair)s chaired %(title)s.")
    else:
        text = _("On %(date)s, %(title)s was held.")
    parts.update(chair=meeting.chaired_by, place=meeting.place)
    return (text % parts) + (_("The meeting discussed %(n)d problems and decided as follows.") % parts)


def item_lines(item):
    """The sentences under one problem: who raised it, what the meeting decided, who follows up."""
    problem = item.problem
    lines = [_("Raised by %(unit)s.") % {"unit": problem.raised_by_unit.name}]
    if problem.description:
        lines.append(problem.description)
    if item.outcome == AgendaItem.Outcome.PENDING:
        lines.append(_("Not decided at the meeting."))
        return lines
    lines.append(_("Decision: %(text)s") % {"text": item.decision})
    if item.outcome == AgendaItem.Outcome.SOLVED:
        lines.append(_("Solved at the meeting."))
    elif problem.responsible:
        deadline = date_label(problem.deadline) if problem.deadline else "—"
        lines.append(
            _("Follow-up by %(unit)s, to be done by %(date)s.") % {"unit": problem.responsible.name, "date": deadline}
        )
    return lines


TABLE_SIZE = 12


def task_widths(headers, rows):
    """The number, unit and deadline columns as wide as their content (no unit name or date
    breaks); the task's title, which may wrap, gets the rest."""
    needed = fit.needed_cm(headers, rows, TABLE_SIZE)
    title = fit.TEXT_WIDTH_CM - needed[0] - needed[2] - needed[3]
    return [needed[0], max(title, 3.0), needed[2], needed[3]]


def write_attendees(writer, meeting):
    writer.section(_("Attendees"))
    names = attendee_names(meeting)
    writer.paragraph(pgettext("between addressees", ", ").join(names) if names else _("Not recorded."), indent=True)


def write_items(writer, items):
    writer.section(_("Problems discussed and decisions"))
    if not items:
        writer.paragraph(_("No problem was on the agenda."), indent=True)
    for item in items:
        writer.subheading(item.problem.title)
        for k, line in enumerate(item_lines(item), start=1):
            writer.third(k, line)


def write_tasks(writer, items):
    writer.section(_("Follow-up tasks"))
    tasks = [task for item in items for task in item.tasks.all()]
    if tasks:
        headers = [pgettext("minutes", "No."), _("Task"), _("Responsible unit"), _("Deadline")]
        rows = [
            [str(k), task.title, task.unit.name, task.deadline.isoformat() if task.deadline else "—"]
            for k, task in enumerate(tasks, start=1)
        ]
        writer.table(headers, rows, task_widths(headers, rows), TABLE_SIZE, numeric_from=3)
    else:
        writer.paragraph(_("No follow-up task."), indent=True)


def write_notes(writer, meeting):
    if meeting.notes:
        writer.section(_("Other matters"))
        for line in meeting.notes.splitlines():
            if line.strip():
                writer.paragraph(line.strip(), indent=True)


def context(meeting):
    """The values of the minutes' template (problems/doc_kinds.py)."""
    from problems import doc_kinds

    items = list(
        meeting.items.select_related("problem__raised_by_unit", "problem__responsible")
        .prefetch_related("tasks__unit")
        .order_by("order", "pk")
    )
    year, n = number(meeting)
    office = issuer(meeting)
    return doc_kinds.values(
        masthead=pgettext("masthead", "Meeting minutes"),
        number=document_number("", year, n),
        issuer=office,
        held_on=date_label(meeting.held_on),
        title=_("Minutes of %(title)s") % {"title": meeting.title},
        opening=opening(meeting, items),
        attendees=lambda w: write_attendees(w, meeting),
        items=lambda w: write_items(w, items),
        tasks=lambda w: write_tasks(w, items),
        notes=lambda w: write_notes(w, meeting),
        printed_on=date_label(timezone.localdate()),
    )


def build_docx(meeting):
    """The minutes from the template of the meeting's zone office (the default without one)."""
    from doctemplates import store

    return store.render(meeting.unit, "minutes", context(meeting))


def filename(meeting, extension):
    year, n = meeting.minutes_year or meeting.held_on.year, meeting.minutes_number or 0
    return _("Minutes %(year)d-%(number)d %(title)s.%(ext)s") % {
        "year": year,
        "number": n,
        "title": meeting.title,
        "ext": extension,
    }
