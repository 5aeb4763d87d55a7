"""Blocks (bulletins/layout.py) to files: the Word document and its Excel companion."""

import io
import re
from dataclasses import dataclass
from datetime import date

from bulletins import layout
from duban.spreadsheet import text_row

SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
NUMBER = re.compile(r"-?[\d,]+(\.\d+)?")
PERCENT = re.compile(r"-?[\d,]+(\.\d+)?%")
FILLS = {"green": "E8F5EE", "yellow": "FDF3E1", "red": "FBE5E6"}


@dataclass
class Heading:
    """The red header and the title of a document."""

    masthead: str  # 督查通报 / 月度汇总 …
    number_label: str  # 2021年第23期
    issuer: str
    issued_on: date
    title: str
    addressees: str = ""  # 主送: 各指挥部
    copies: str = ""  # 抄送, in the 版记
    printer: str = ""  # 印发机关 (default the issuer)


def write_blocks(writer, blocks):
    """Blocks into a 公文 writer (sections numbered by the writer)."""
    for block in blocks:
        if isinstance(block, layout.Section):
            writer.section(block.title)
        elif isinstance(block, layout.Paragraphs):
            for text in block.texts:
                writer.paragraph(text, indent=True)
        elif isinstance(block, layout.Table):
            writer.subheading(block.title)
            writer.table(block.headers, block.rows, block.widths, block.size, block.shades)
        elif isinstance(block, layout.Chart):
            writer.picture(block.png, block.caption, block.width_cm)
        elif isinstance(block, layout.Items):
            if not block.texts:
                writer.paragraph(block.empty, indent=True)
            for n, text in enumerate(block.texts, start=1):
                writer.third(n, text)
        elif isinstance(block, layout.UnitTexts):
            writer.subheading(block.unit)
            for week, lines in block.weeks:
                writer.paragraph(week, indent=True)
                for n, line in enumerate(lines, start=1):
                    writer.fourth(n, line)


def to_docx(heading, blocks, code="bulletin", unit=None):
    """The Word document from the template of `unit`'s zone office (the default without one):
    bulletins/doc_kinds.py says which placeholder is what."""
    from bulletins import doc_kinds
    from doctemplates import store

    return store.render(unit, code, doc_kinds.context(heading, blocks))


def _sheet_name(name, taken):
    base = SHEET_BAD.sub("_", name)[:28] or "Sheet"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base[:26]}_{n}", n + 1
    taken.add(candidate)
    return candidate


def to_xlsx(heading, blocks, extra_tables=()):
    """The same tables, one sheet each, after a first sheet with the header and the sentences."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    first = book.active
    taken = set()
    first.title = _sheet_name(heading.masthead, taken)
    first.append(text_row(first, [heading.masthead]))
    first["A1"].font = Font(bold=True, size=16, color="C00000")
    first.append(text_row(first, [heading.number_label, heading.issuer, heading.issued_on.isoformat()]))
    first.append(text_row(first, [heading.title]))
    first.append([])
    for block in blocks:
        if isinstance(block, layout.Paragraphs):
            for text in block.texts:
                first.append(text_row(first, [text]))
        elif isinstance(block, layout.Items):
            for n, text in enumerate(block.texts, start=1):
                first.append([f"{n}. {text}"])
        elif isinstance(block, layout.UnitTexts):
            first.append(text_row(first, [block.unit]))
            for week, lines in block.weeks:
                for line in lines:
                    first.append(text_row(first, ["", week, line]))
    first.column_dimensions["A"].width = 100
    bold = Font(bold=True)
    fills = {k: PatternFill("solid", fgColor=v) for k, v in FILLS.items()}
    for block in [b for b in blocks if isinstance(b, layout.Table)] + list(extra_tables):
        sheet = book.create_sheet(_sheet_name(block.sheet, taken))
        sheet.append(text_row(sheet, [block.title]))
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append(text_row(sheet, block.headers))
        for cell in sheet[2]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, horizontal="center")
        for r, row in enumerate(block.rows):
            sheet.append(text_row(sheet, [_number(v) for v in row]))
            for c, value in enumerate(row):
                if isinstance(value, str) and PERCENT.fullmatch(value):
                    sheet.cell(row=r + 3, column=c + 1).number_format = "0.00%"
                elif isinstance(value, str) and NUMBER.fullmatch(value) and "." in value:
                    sheet.cell(row=r + 3, column=c + 1).number_format = "#,##0.00"
            for (sr, sc), colour in block.shades.items():
                if sr == r and colour in fills:
                    sheet.cell(row=r + 3, column=sc + 1).fill = fills[colour]
        for n in range(len(block.headers)):
            sheet.column_dimensions[_column(n)].width = 22 if n == 0 else 14
        sheet.freeze_panes = "B3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _number(text):
    """Numbers as numbers in Excel: "1,234.50" → 1234.5, "76.47%" → 0.7647 (shown with the %
    format, so 完成率 and 时序进度 sort and sum)."""
    from decimal import Decimal

    if isinstance(text, str) and NUMBER.fullmatch(text):
        return Decimal(text.replace(",", ""))
    if isinstance(text, str) and PERCENT.fullmatch(text):
        return Decimal(text[:-1].replace(",", "")) / 100
    return text


def _column(n):
    from openpyxl.utils import get_column_letter

    return get_column_letter(n + 1)
