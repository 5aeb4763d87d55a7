"""Benchmark (not a test): how fast a sheet of 1,048,576 rows (Excel's most) is refused.

Writes a small .xlsx (a roster header, then 1,048,576 rows of one cell; a few hundred KB
compressed) — once with its <dimension ref="A1:L1048576">, once without a dimension (the rows
must then be counted as a stream, stopping past the limit) — and times, for each, the roster
import's dry run (requisition.roster.import_file, what the import page runs: reading the
upload, the row check, the refusal) and duban.spreadsheet.count_rows alone. Prints seconds and
the peak memory of the process.

    .venv/bin/python bench/big_sheet.py
    .venv/bin/python bench/big_sheet.py --rows 300000
"""

import argparse
import io
import resource
import sys
import time
import zipfile

from django_setup import setup

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def big_xlsx(rows, dimension=True):
    """An .xlsx of `rows` rows: a header with 户主姓名 and 村/组, then one number per row, without
    row and cell references (optional in the format), so that it compresses to a few hundred KB."""

    def sheet():
        yield (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        )
        if dimension:
            yield f'<dimension ref="A1:L{rows}"/>'
        yield '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>户主姓名</t></is></c>'
        yield '<c r="B1" t="inlineStr"><is><t>村/组</t></is></c></row>'
        for _r in range(2, rows + 1):
            yield "<row><c><v>1</v></c></row>"  # r= is optional: the rows follow each other
        yield "</sheetData></worksheet>"

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for part in sheet():
                member.write(part.encode())
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_048_576)
    args = parser.parse_args()
    setup("duban-bench-big-sheet.sqlite3")
    from duban.spreadsheet import ExcelError, count_rows
    from requisition.roster import import_file

    for dimension in (True, False):
        data = big_xlsx(args.rows, dimension)
        label = "with <dimension>" if dimension else "without <dimension>"
        print(f"{args.rows:,} rows {label}: {len(data) / 1024:,.0f} KB")
        started = time.perf_counter()
        try:
            count_rows(data)
            print("  count_rows: accepted (below the limit)")
        except ExcelError as err:
            print(f"  count_rows refused it in {time.perf_counter() - started:.3f} s: {err.message}")
        started = time.perf_counter()
        result = import_file(data, dry_run=True)
        print(f"  roster dry run: {time.perf_counter() - started:.3f} s, errors: {result.errors[:1]}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
