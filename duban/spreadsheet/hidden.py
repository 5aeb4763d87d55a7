"""Hidden rows and columns of an .xlsx sheet, found in the sheet's XML as files.count_rows streams
it from the zip (the reader, calamine, gives the cells but not whether a person sees them). A person reading the
sheet does not see them: the importer ignores them and says so. Hidden sheets are left out the
same way (their state comes from calamine's sheet metadata)."""

import io
import re
import zipfile
from dataclasses import dataclass, field

_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)/?>")
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_REL = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)/?>")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b")
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')


@dataclass
class Hidden:
    rows: set = field(default_factory=set)  # Excel row numbers
    columns: set = field(default_factory=set)  # 0-based column indexes


def _attrs(raw):
    return {k.split(b":")[-1].decode(): v.decode() for k, v in _ATTR.findall(raw)}


def sheet_paths(archive):
    """The XML member of each sheet, in the workbook's order (calamine's order)."""
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return []
    targets = {}
    for raw in _REL.findall(rels):
        attrs = _attrs(raw)
        target = attrs.get("Target", "")
        target = target[1:] if target.startswith("/") else "xl/" + target
        targets[attrs.get("Id")] = target
    return [targets.get(_attrs(raw).get("id")) for raw in _SHEET.findall(workbook)]


def hidden_parts(data, marks):
    """[Hidden] per sheet of an .xlsx workbook, in the workbook's order, from the hidden-attribute
    tags files.count_rows collected on its way through each sheet (`marks`)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    found = []
    for path in sheet_paths(archive):
        hidden = Hidden()
        for tag in marks.get(path, ()):
            if _ROW_TAG.match(tag):
                if number := _ROW_NUMBER.search(tag):
                    hidden.rows.add(int(number[1]))
                continue
            attrs = _attrs(tag)
            first, last = int(attrs.get("min", 0)), int(attrs.get("max", 0))
            hidden.columns.update(range(first - 1, min(last, first + 16384)))
        found.append(hidden)
    return found
