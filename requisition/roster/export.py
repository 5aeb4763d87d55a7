"""Exports: the ledger in the roster layout (it imports back) and the tallies."""

import io
from decimal import ROUND_HALF_UP

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from duban.personal import mask_id, mask_phone
from duban.spreadsheet import (
    BORDER,
    HEADER_FILL,
    text_cell,
    text_row,
)
from requisition.models import STAGE_DATE, STAGES, Stage
from requisition.roster.columns import COLUMNS, LAYOUT
from requisition.roster.vocabulary import CENT, COMPENSATION_NAMES, STAGE_NAMES, USE_NAMES

# Export ----------------------------------------------------------------------------------------

LEDGER_TITLE = "征迁户台账"
TALLY_TITLE = "征迁进度统计表"
AREA_FORMAT = "#,##0.00"
LAND_FORMAT = "#,##0.0000"
PCT_FORMAT = "0.00"


def _title_row(sheet, text):
    cell = WriteOnlyCell(sheet, text)
    cell.font = Font(bold=True, size=14)
    sheet.append([cell])


def _header_row(sheet, labels, widths):
    cells = []
    for label in labels:
        cell = WriteOnlyCell(sheet, label)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cells.append(cell)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append(cells)


def _formatted(sheet, value, number_format):
    cell = WriteOnlyCell(sheet, value)
    cell.number_format = number_format
    return cell


def _save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _households(households):
    if hasattr(households, "select_related"):
        households = households.select_related("village", "group").order_by("village__path", "number")
        return households.iterator(chunk_size=2000)
    return households


def export_ledger(households, mask=True, title=LEDGER_TITLE, exported=None):
    """The ledger in the roster layout plus 户号 and the date of each step (.xlsx bytes), in
    openpyxl's write-only mode: any size, at ~60,000 cells a second (a village in a fraction of
    a second, 100,000 households in about half a minute). ID and phone numbers are masked
    unless mask=False (see requisition.roster_views: who may, and the log of it); `exported`, a
    list, gets the id of each household written. The file imports back: 户号 keeps a masked ID
    number to its household; phones are written as typed (unmasked) and the group in the 组
    column."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(LEDGER_TITLE)
    sheet.freeze_panes = "A3"
    date_labels = [f"{STAGE_NAMES[s]}日期" for s in STAGES]
    _title_row(sheet, title)
    _header_row(
        sheet,
        [COLUMNS[k].header() for k in LAYOUT] + date_labels,
        [COLUMNS[k].width for k in LAYOUT] + [12] * len(date_labels),
    )
    date_fields = [STAGE_DATE[s] for s in STAGES]
    for seq, h in enumerate(_households(households), start=1):
        village = f"{h.village.name}/{h.address}" if h.address else h.village.name
        line = [
            seq,
            h.number,
            h.head_name,
            mask_id(h.id_number) if mask else h.id_number,
            mask_phone(h.phone) if mask else h.phone_shown,
            village,
            USE_NAMES.get(h.use, h.use),
            h.legal_area,
            h.unlicensed_area,
            h.land_area,
            COMPENSATION_NAMES.get(h.compensation, h.compensation),
            STAGE_NAMES.get(h.stage, h.stage),
            (h.group.short_name or h.group.name) if h.group_id else None,
            *(getattr(h, field) for field in date_fields),  # openpyxl formats dates as yyyy-mm-dd
        ]
        sheet.append(text_row(sheet, line))
        if exported is not None:
            exported.append(h.pk)
    return _save(workbook)


TALLY_HEADERS = (
    ("单位", 16),
    ("总户数", 8),
    *((f"{STAGE_NAMES[s]}（户）", 9) for s in [Stage.NONE, *STAGES]),
    ("签约率（%）", 9),
    ("已拆除面积（㎡）", 14),
    ("已交地面积（亩）", 14),
    ("已迁坟（座）", 9),
    ("企业已搬迁（家）", 10),
)


def _tally_line(sheet, name, tally):
    pct = tally.signed_pct
    return [
        text_cell(sheet, name),
        tally.households,
        *(tally.at_stage(s) for s in [Stage.NONE, *STAGES]),
        _formatted(sheet, pct.quantize(CENT, rounding=ROUND_HALF_UP), PCT_FORMAT) if pct is not None else None,
        _formatted(sheet, tally.demolished_area, AREA_FORMAT),
        _formatted(sheet, tally.delivered_land, LAND_FORMAT),
        tally.graves_moved,
        tally.enterprises_moved,
    ]


def export_tallies(rows, total=None, title=TALLY_TITLE):
    """Tallies (requisition.tallies.Tally objects) as .xlsx bytes: one line per unit — households,
    households at each stage, % signed, ㎡ demolished, 亩 delivered, graves and enterprises moved —
    and `total` (a Tally of the parent unit) as the 合计 line when given."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(TALLY_TITLE)
    sheet.freeze_panes = "B3"
    _title_row(sheet, title)
    _header_row(sheet, [label for label, _w in TALLY_HEADERS], [width for _l, width in TALLY_HEADERS])
    for tally in rows:
        sheet.append(_tally_line(sheet, tally.unit.name, tally))
    if total is not None:
        line = _tally_line(sheet, "合计", total)
        for index, value in enumerate(line):
            cell = value if isinstance(value, Cell) else WriteOnlyCell(sheet, value)
            cell.font = Font(bold=True)
            line[index] = cell
        sheet.append(line)
    return _save(workbook)
