"""Build a bulletin or a roll-up document: content → blocks → Word + Excel (bytes).

Numbering: 第N期 per campaign, kind and year (the year of the figures' date); the weekly
bulletins and each kind of roll-up have their own series.
"""

from dataclasses import dataclass, field

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from bulletins import content as contents
from bulletins import layout, narrative, render
from bulletins.models import Bulletin
from duban import periods

MASTHEADS = {
    Bulletin.Kind.WEEK: lambda: pgettext("masthead", "Supervision bulletin"),
    Bulletin.Kind.MONTH: lambda: pgettext("masthead", "Monthly summary"),
    Bulletin.Kind.QUARTER: lambda: pgettext("masthead", "Quarterly statement"),
    Bulletin.Kind.HALF: lambda: pgettext("masthead", "Half-year review"),
    Bulletin.Kind.YEAR: lambda: pgettext("masthead", "Annual review"),
}


@dataclass
class Document:
    kind: str
    period_key: str
    year: int
    number: int
    as_of: object
    heading: render.Heading
    docx: bytes
    xlsx: bytes
    content: object = None  # what the files were written from (the on-screen preview shows it)
    blocks: list = field(default_factory=list)


MAX_ADDRESSEES = 8


def addressees(units):
    """主送: the campaign's units by name, or 各有关单位 when they are many."""
    names = list(dict.fromkeys(u.name for u in units))
    if not names or len(names) > MAX_ADDRESSEES:
        return _("All units concerned")
    return pgettext("between addressees", ", ").join(names)


def copies(campaign):
    """抄送: the unit above the campaign's owner, when there is one."""
    parent = campaign.owner.parent
    return parent.name if parent else ""


def number_label(number, year):
    return _("No. %(number)d of %(year)d") % {"number": number, "year": year}


def next_number(campaign, kind, year):
    last = Bulletin.objects.filter(campaign=campaign, kind=kind, year=year).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


def weekly_document(campaign, week, as_of=None, number=None, issuer=None, issued_on=None):
    """The weekly bulletin of `week` (figures as of `as_of`, a day of the week; default its end)."""
    content = contents.weekly_content(campaign, week, as_of)
    year = content.as_of.year
    number = number or next_number(campaign, Bulletin.Kind.WEEK, year)
    year_, week_number, _day = content.week.end.isocalendar()
    heading = render.Heading(
        masthead=MASTHEADS[Bulletin.Kind.WEEK](),
        number_label=number_label(number, year),
        issuer=issuer or contents.default_issuer(campaign),
        issued_on=issued_on or timezone.localdate(),
        title=_("Report on the progress of %(campaign)s (week %(week)d of %(year)d)")
        % {"campaign": campaign.name, "week": week_number, "year": year_},
        addressees=addressees(content.progress.units),
        copies=copies(campaign),
    )
    blocks = layout.weekly_blocks(content)
    return Document(
        Bulletin.Kind.WEEK,
        content.week.label,
        year,
        number,
        content.as_of,
        heading,
        render.to_docx(heading, blocks, "bulletin", campaign.owner),
        render.to_xlsx(heading, blocks, layout.excel_only_tables(content)),
        content,
        blocks,
    )


def rollup_document(campaign, kind, period, number=None, issuer=None, issued_on=None):
    """A monthly summary, quarterly statement, half-year or annual review; ValueError when the
    campaign does not run in the period."""
    content = contents.rollup_content(campaign, kind, period)
    year = period.start.year
    number = number or next_number(campaign, kind, year)
    heading = render.Heading(
        masthead=MASTHEADS[kind](),
        number_label=number_label(number, year),
        issuer=issuer or contents.default_issuer(campaign),
        issued_on=issued_on or timezone.localdate(),
        title=_("%(campaign)s: %(kind)s for %(period)s")
        % {"campaign": campaign.name, "kind": MASTHEADS[kind](), "period": narrative.period_label(period)},
        addressees=addressees(row.unit for row in content.rows),
        copies=copies(campaign),
    )
    blocks = layout.rollup_blocks(content)
    return Document(
        kind,
        period.key,
        year,
        number,
        content.as_of,
        heading,
        render.to_docx(heading, blocks, "rollup", campaign.owner),
        render.to_xlsx(heading, blocks),
        content,
        blocks,
    )


def parse_request(campaign, kind, key):
    """(kind, period) from user input; ValueError with a message for the user."""
    if kind == Bulletin.Kind.WEEK:
        try:
            week = periods.parse_week(key)
        except ValueError:
            raise ValueError(_("The week must be written as YYYY-Www, e.g. 2021-W23.")) from None
        if not campaign.covers(week):
            raise ValueError(_("Week %(week)s is outside the campaign.") % {"week": key})
        return kind, week
    if kind not in (Bulletin.Kind.MONTH, Bulletin.Kind.QUARTER, Bulletin.Kind.HALF, Bulletin.Kind.YEAR):
        raise ValueError(_("Unknown kind of document."))
    try:
        period = periods.parse_period(kind, key)
    except ValueError:
        raise ValueError(
            _("The period must be written as 2021-05 (month), 2021-Q2 (quarter), 2021-H1 (half-year) or 2021 (year).")
        ) from None
    if period.end < campaign.start or period.start > campaign.end:
        raise ValueError(_("The campaign does not run in %(period)s.") % {"period": key})
    return kind, period


def build(campaign, kind, period, as_of=None, number=None, issuer=None, issued_on=None):
    if kind == Bulletin.Kind.WEEK:
        return weekly_document(campaign, period, as_of, number, issuer, issued_on)
    return rollup_document(campaign, kind, period, number, issuer, issued_on)
