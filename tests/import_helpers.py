"""Workbooks for the import limit and background job tests: rosters of many valid households,
sheets of a million rows written straight as XML (a few hundred KB), macro workbooks."""

import io
import zipfile
from datetime import date, timedelta
from operator import mul

import openpyxl

from org.models import OrgUnit

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ROSTER_HEADERS = ["序号", "户主姓名", "身份证号", "联系电话", "村/组", "房屋用途", "合法面积(㎡)"]


def checked(body):
    return body + "10X98765432"[sum(map(mul, map(int, body), WEIGHTS)) % 11]


def id_number(k):
    """The k-th of many distinct valid ID numbers (birth dates a day apart)."""
    return checked("350302" + (date(1950, 1, 1) + timedelta(days=k)).strftime("%Y%m%d") + "001")


def xlsx(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def roster(count, village="江尾村"):
    rows = [
        [k + 1, f"户主{k}", id_number(k), "13812345678", f"{village}/{k % 9 + 1}组", "住宅", 100] for k in range(count)
    ]
    return xlsx([ROSTER_HEADERS, *rows])


def village(world):
    return OrgUnit.objects.create(name="江尾村", kind=OrgUnit.Kind.VILLAGE, parent=world.a)


_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def raw_sheet(rows, dimension=None, last_row=None):
    """An .xlsx of a roster header and `rows` - 1 rows of one number, its XML written here: with
    <dimension ref=…> when `dimension` (the last row it declares) is given; `last_row` numbers
    the last row (r=…) instead of letting it follow the others."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main">'
    ]
    if dimension:
        parts.append(f'<dimension ref="A1:G{dimension}"/>')
    parts.append(
        '<sheetData><row><c t="inlineStr"><is><t>户主姓名</t></is></c><c t="inlineStr"><is><t>村/组</t></is></c></row>'
    )
    parts.extend(["<row><c><v>1</v></c></row>"] * (rows - 1 - (1 if last_row else 0)))
    if last_row:
        parts.append(f'<row r="{last_row}"><c r="A{last_row}"><v>1</v></c></row>')
    parts.append("</sheetData></worksheet>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", "".join(parts))
    return buffer.getvalue()


def with_macros(data, content_type=True, vba=True):
    """The workbook made macro-enabled as Excel saves an .xlsm: vbaProject.bin and the
    macroEnabled content type."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename == "[Content_Types].xml" and content_type:
                content = content.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
            archive.writestr(entry, content)
        if vba:
            archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    return buffer.getvalue()
