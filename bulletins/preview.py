"""The on-screen preview of a draft: the blocks the Word file is written from (bulletins/layout.py),
turned into what the page shows, numbered as the Word writer numbers them (一、 （一） 1. （1）), with
each unit's figures linked to that unit and the totals to the campaign at the figures' date.

Nothing here computes a figure: every number shown is a string of a block the .docx holds."""

import base64
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from bulletins import layout
from duban import periods
from duban.gongwen import fit
from duban.gongwen.writer import chinese_number, date_label


@dataclass
class Cell:
    text: str
    href: str = ""
    numeric: bool = False
    shade: str = ""


@dataclass
class Item:
    kind: str  # section, subheading, paragraph, table, chart, line
    text: str = ""
    headers: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # [[Cell]]
    src: str = ""  # a chart: the document's PNG as a data URL
    wide: bool = False
    widths: list = field(default_factory=list)  # a table: its columns in cm, as the Word file sets them
    size: str = ""  # a table: its font size in pt, as the Word file sets it


def _links(doc):
    """(unit link, report link or None, total link) makers for the document's campaign and date."""
    campaign = doc.content.campaign
    week = getattr(doc.content, "week", None)

    def unit(pk):
        return f"{reverse('unit', args=[pk])}?campaign={campaign.pk}"

    def report(pk):
        return reverse("report", args=[pk, week.label]) if week is not None else None

    total = f"{reverse('campaign_detail', args=[campaign.pk])}?at={doc.as_of.isoformat()}"
    return unit, report, total


def _table(block, links, this_week_col):
    unit, report, total = links
    rows = []
    for r, values in enumerate(block.rows):
        pk = block.units[r] if r < len(block.units) else None
        cells = []
        for c, text in enumerate(values):
            if pk is None:
                href = total
            elif c == this_week_col and report(pk):
                href = report(pk)
            else:
                href = unit(pk)
            numeric = c > 0 and any(ch.isdigit() for ch in str(text))
            cells.append(Cell(str(text), href, numeric, block.shades.get((r, c), "")))
        rows.append(cells)
    return rows


def items(doc):
    """What the preview page shows, in the document's order."""
    links = _links(doc)
    this_week = getattr(doc.content, "week", None) is not None
    out, sections, subsections = [], 0, 0
    for block in doc.blocks:
        if isinstance(block, layout.Section):
            sections, subsections = sections + 1, 0
            out.append(
                Item("section", _("%(number)s. %(title)s") % {"number": chinese_number(sections), "title": block.title})
            )
        elif isinstance(block, layout.Paragraphs):
            out += [Item("paragraph", text) for text in block.texts]
        elif isinstance(block, layout.Table):
            subsections += 1
            out.append(Item("subheading", f"（{chinese_number(subsections)}）{block.title}"))
            # the weekly indicator tables: column 2 is this week's figure, from the unit's report
            column = 2 if this_week and len(block.headers) == 8 and block.units and block.rows else None
            if block.widths is None:  # fitted to the content as the Word writer fits them
                widths, size = fit.column_widths(block.headers, block.rows, block.size)
            else:
                widths, size = block.widths, block.size or fit.SIZES[0]
            out.append(
                Item(
                    "table",
                    headers=block.headers,
                    rows=_table(block, links, column),
                    widths=[f"{w:.3f}cm" for w in widths],
                    size=f"{size}pt",
                )
            )
        elif isinstance(block, layout.Chart):
            src = "data:image/png;base64," + base64.b64encode(block.png).decode("ascii")
            out.append(Item("chart", block.caption, src=src, wide=block.width_cm > 10))
        elif isinstance(block, layout.Items):
            if not block.texts:
                out.append(Item("paragraph", block.empty))
            out += [Item("line", f"{n}. {text}") for n, text in enumerate(block.texts, start=1)]
        elif isinstance(block, layout.UnitTexts):
            subsections += 1
            out.append(Item("subheading", f"（{chinese_number(subsections)}）{block.unit}"))
            for week, lines in block.weeks:
                out.append(Item("paragraph", week))
                out += [Item("line", f"（{n}）{line}") for n, line in enumerate(lines, start=1)]
    return out


def has_data(doc):
    """Whether any unit reported anything by the figures' date (a fresh zone's first draft has not)."""
    from org.models import OrgUnit
    from reports.models import WeeklyReport

    campaign = doc.content.campaign
    return WeeklyReport.objects.filter(
        OrgUnit.subtree_q([campaign.owner.path], "unit__path"),
        status=WeeklyReport.Status.SUBMITTED,
        week_end__gte=campaign.start,
        week_end__lte=periods.week_of(doc.as_of).end,
    ).exists()


def heading_context(doc):
    heading = doc.heading
    return {
        "heading": heading,
        "issued_on": date_label(heading.issued_on),
        "addressees": heading.addressees
        if not heading.addressees or heading.addressees.endswith(":")
        else heading.addressees + ":",
        "copies": _("Copies to: %(units)s.") % {"units": heading.copies} if heading.copies else "",
        "printed": _("Printed on %(date)s") % {"date": date_label(heading.issued_on)},
        "printer": heading.printer or heading.issuer,
    }
