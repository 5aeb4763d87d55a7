"""The blocks a document is made of (sections, sentences, tables, charts, lists), laid out once
from the content; bulletins/render.py writes them to Word and the tables to Excel, so the two
files always hold the same tables."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from bulletins import charts, narrative
from bulletins.word import change_label, pct, status_label
from duban import punctuation
from duban.numbers import amount
from duban.punctuation import bracketed, labelled


@dataclass
class Section:
    title: str
    key: str = ""  # the part's placeholder in the office's template (bulletins/doc_kinds.py)


@dataclass
class Paragraphs:
    texts: list


@dataclass
class Table:
    title: str
    sheet: str  # Excel sheet name (≤ 31 characters)
    headers: list
    rows: list
    widths: list | None = None  # cm, for Word
    shades: dict = field(default_factory=dict)  # (row, col) -> colour name
    size: float | None = None  # pt; None: fitted with the widths (duban/gongwen/fit.py)
    units: list = field(default_factory=list)  # per row: the unit's pk, None for a total (the preview links them)


@dataclass
class Chart:
    png: bytes
    caption: str
    width_cm: float = 15.6


@dataclass
class Items:
    texts: list
    empty: str = ""


def _chart_labels():
    return {
        "elapsed": pgettext("bulletins", "Time elapsed"),
        "pct": _("Done rate of target"),
        "green": pgettext("bulletins", "On schedule"),
        "yellow": pgettext("bulletins", "Behind schedule"),
        "red": pgettext("bulletins", "Seriously behind"),
    }


def indicator_table(table):
    indicator = table.indicator
    uom = indicator.unit_of_measure
    headers = [
        pgettext("bulletins", "Unit"),
        _("Target (%(uom)s)") % {"uom": uom},
        pgettext("bulletins", "This week"),
        pgettext("bulletins", "Cumulative"),
        pgettext("bulletins", "Done %"),
        _("Time elapsed %"),
        pgettext("bulletins", "Status"),
        pgettext("bulletins", "Rank"),
    ]
    rows, shades, units = [], {}, []
    for n, row in enumerate(table.rows):
        units.append(row.unit.pk)
        rows.append(
            [
                row.unit.name,
                amount(row.target, uom),
                amount(row.this_week, uom),
                amount(row.done, uom),
                pct(row.done_pct),
                pct(row.elapsed_pct),
                status_label(row.status.value),
                str(table.ranks.get(row.unit.pk, "—")),
            ]
        )
        shades[(n, 6)] = row.status.value
    if table.total is not None:
        t = table.total
        rows.append(
            [
                pgettext("bulletins", "Total"),
                amount(t.target, uom),
                amount(t.this_week, uom),
                amount(t.done, uom),
                pct(t.done_pct),
                pct(t.elapsed_pct),
                "",
                "",
            ]
        )
    return Table(
        bracketed(indicator.name, uom),
        indicator.name[:31],
        headers,
        rows,
        shades=shades,
        units=units + [None] * (len(rows) - len(units)),
    )


def assessment_table(data, title):
    """The assessment table from its published-style data (assessment.scoring.Table.as_data)."""
    parts = data["parts"]
    headers = [pgettext("bulletins", "Rank"), pgettext("bulletins", "Change"), pgettext("bulletins", "Unit")]
    headers += [bracketed(p["label"], p["weight"]) for p in parts]
    headers.append(_("Total (%(full)s)") % {"full": data["full_score"]})
    rows, shades = [], {}
    for n, row in enumerate(data["rows"]):
        cells = [str(row["rank"]), change_label(row.get("change")), row["unit"]]
        for k, cell in enumerate(row["cells"]):
            cells.append("—" if cell["rate"] is None else cell["points"])
            shades[(n, 3 + k)] = cell["colour"]
        cells.append(row["total"])
        shades[(n, len(cells) - 1)] = row["colour"]
        rows.append(cells)
    return Table(title, title[:31], headers, rows, shades=shades, units=[row["unit_id"] for row in data["rows"]])


def economy_blocks(section):
    """The economic indicators the office chose (economy/bulletin.py), or nothing."""
    if section is None:
        return []
    title = _("Economic indicators (%(months)s)") % {"months": section.months_label}
    return [
        Section(_("Economic indicators"), "经济指标"),
        Paragraphs([section.sentence()]),
        Table(title, _("Economic indicators")[:31], section.headers(), section.rows()),
    ]


def weekly_blocks(content):
    labels = _chart_labels()
    progress = content.progress
    blocks = [Section(_("Overall progress"), "总体进展"), Paragraphs(content.sentences)]

    blocks += economy_blocks(content.economy)
    blocks.append(Section(_("Progress of each unit"), "各单位进展"))
    for table in content.tables:
        blocks.append(indicator_table(table))
    units = [u.label for u in progress.units]
    series = [
        (i.name, [float(r.done_pct or 0) for r in (progress.rows.get((u.pk, i.pk)) for u in progress.units) if r])
        for i in progress.indicators
    ]
    series = [(name, values) for name, values in series if len(values) == len(units)]
    blocks.append(
        Chart(
            charts.done_vs_elapsed(_("Done rate by unit"), units, series, float(progress.elapsed_pct), labels),
            _("Figure 1: done rate of each unit beside time elapsed"),
        )
    )
    if content.trend:
        weeks = [label for label, _v in next(iter(content.trend.values()))]
        blocks.append(
            Chart(
                charts.trend(
                    _("Cumulative done rate week by week"),
                    weeks,
                    [(i.name, [v for _w, v in points]) for i, points in content.trend.items()],
                    labels,
                ),
                _("Figure 2: cumulative done rate of the whole campaign, week by week"),
            )
        )

    data = content.assessment.as_data()
    blocks.append(Section(pgettext("bulletins", "Assessment league table"), "考核排名"))
    blocks.append(assessment_table(data, pgettext("bulletins", "Assessment league table")))
    blocks.append(
        Chart(
            charts.scores(
                pgettext("bulletins", "Total score"),
                [r["unit"] for r in data["rows"]],
                [float(r["total"]) for r in data["rows"]],
                [r["colour"] for r in data["rows"]],
                float(data["full_score"]),
            ),
            _("Figure 3: assessment total score by unit"),
        )
    )

    blocks.append(Section(_("Units behind and warnings"), "预警情况"))
    blocks.append(Items(flag_lines(content.flags), _("No unit is behind.")))
    counts = {}
    for row in data["rows"]:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    blocks.append(
        Chart(
            charts.status_counts(_("Units by status"), counts, labels),
            _("Figure 4: number of units on schedule, behind and seriously behind"),
            width_cm=9.5,
        )
    )
    blocks.append(Section(pgettext("bulletins", "Problems still open"), "待解决问题"))
    blocks.append(Items([problem_line(p) for p in content.problems], _("No problem still open.")))
    return blocks


def excel_only_tables(content):
    """Tables the Excel companion holds besides the document's: flags and problems as rows."""
    return [
        Table(
            pgettext("bulletins", "Warnings"),
            pgettext("bulletins", "Warnings"),
            [pgettext("bulletins", "Unit"), pgettext("bulletins", "Reason")],
            [[f.unit, f.reason] for f in content.flags],
        ),
        Table(
            pgettext("bulletins", "Problems still open"),
            pgettext("bulletins", "Problems still open"),
            [
                pgettext("bulletins", "Problem"),
                pgettext("bulletins", "Raised by"),
                pgettext("bulletins", "Responsible"),
                pgettext("bulletins", "Status"),
                pgettext("bulletins", "Deadline"),
            ],
            [
                [
                    p.title,
                    p.raised_by_unit.name,
                    p.responsible.name if p.responsible else "—",
                    str(p.get_status_display()),
                    p.deadline.isoformat() if p.deadline else "—",
                ]
                for p in content.problems
            ],
        ),
    ]


def flag_lines(flags):
    """One line per unit with all its reasons, in the order the units first appear."""
    reasons = {}
    for flag in flags:
        reasons.setdefault(flag.unit, []).append(flag.reason)
    return [labelled(unit, punctuation.reasons(texts)) for unit, texts in reasons.items()]


def problem_line(problem):
    parts = [_("raised by %(unit)s") % {"unit": problem.raised_by_unit.name}]
    if problem.responsible:
        parts.append(_("responsible: %(unit)s") % {"unit": problem.responsible.name})
    if problem.deadline:
        parts.append(_("deadline %(date)s") % {"date": problem.deadline.isoformat()})
    parts.append(str(problem.get_status_display()))
    return bracketed(problem.title, narrative.join(parts))


def rollup_blocks(content):
    labels = _chart_labels()
    blocks = [Section(_("Overall progress"), "总体进展"), Paragraphs(content.sentences)]
    blocks.append(Section(_("Figures of each unit"), "各单位数据"))
    for n, indicator in enumerate(content.indicators):
        uom = indicator.unit_of_measure
        rows, units = [], []
        for row in content.rows:
            target, in_period, cum, done = row.cells[n]
            if target is None and not in_period and not cum:
                continue
            units.append(row.unit.pk)
            rows.append([row.unit.name, amount(target, uom), amount(in_period, uom), amount(cum, uom), pct(done)])
        target, in_period, cum, done = content.totals[n]
        rows.append(
            [pgettext("bulletins", "Total"), amount(target, uom), amount(in_period, uom), amount(cum, uom), pct(done)]
        )
        blocks.append(
            Table(
                bracketed(indicator.name, uom),
                indicator.name[:31],
                [
                    pgettext("bulletins", "Unit"),
                    _("Target (%(uom)s)") % {"uom": uom},
                    _("In the period"),
                    _("Since the campaign began"),
                    pgettext("bulletins", "Done %"),
                ],
                rows,
                units=[*units, None],
            )
        )
    units = [row.unit.label for row in content.rows]
    series = []
    for n, indicator in enumerate(content.indicators):
        values = [row.cells[n][3] for row in content.rows]
        if all(v is not None for v in values):
            series.append((indicator.name, [float(v) for v in values]))
    if units and series:
        from duban import periods

        elapsed = periods.elapsed_pct(content.campaign.start, content.campaign.end, content.as_of)
        blocks.append(
            Chart(
                charts.done_vs_elapsed(_("Done rate by unit"), units, series, float(elapsed), labels),
                _("Figure 1: done rate of each unit at the end of the period beside time elapsed"),
            )
        )
    if content.ranking is not None:
        blocks.append(Section(pgettext("bulletins", "Monthly ranking"), "月度排名"))
        blocks.append(assessment_table(content.ranking.as_data(), pgettext("bulletins", "Monthly ranking")))
    blocks += economy_blocks(content.economy)
    blocks.append(Section(_("What the units reported"), "各单位报告"))
    for unit, reports in content.narratives:
        blocks.append(UnitTexts(unit.name, [report_lines(r) for r in reports]))
    return blocks


@dataclass
class UnitTexts:
    unit: str
    weeks: list  # [(week label, [lines])]


def report_lines(report):
    lines = []
    if report.progress_text:
        lines.append(_("Progress: %(text)s") % {"text": report.progress_text})
    if report.experience_text:
        lines.append(_("Experience: %(text)s") % {"text": report.experience_text})
    if report.problems_text:
        lines.append(_("Problems: %(text)s") % {"text": report.problems_text})
    return report.week.label, lines
