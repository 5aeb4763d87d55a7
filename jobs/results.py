"""An import's result (duban.spreadsheet.ImportResult) kept on its Job as JSON, and back."""

from duban.spreadsheet import PREVIEW_LIMIT, Change, ImportResult

KEPT_MESSAGES = PREVIEW_LIMIT  # errors and warnings kept: the pages show the first 200
FIGURES = ("layout", "year", "month", "dry_run", "rows", "created", "updated", "unchanged")


def to_json(result):
    data = {name: getattr(result, name) for name in FIGURES}
    data.update(
        errors=result.errors[:KEPT_MESSAGES],
        error_count=len(result.errors),
        warnings=result.warnings[:KEPT_MESSAGES],
        warning_count=len(result.warnings),
        notes=list(result.notes),
        understood=list(result.understood),
        changes=[[_line(c.line), c.label, c.created, list(c.fields)] for c in result.changes],
    )
    return data


def from_json(data):
    result = ImportResult(**{name: data.get(name) for name in FIGURES if name in data})
    result.errors = list(data.get("errors", []))
    result.warnings = list(data.get("warnings", []))
    result.notes = list(data.get("notes", []))
    result.understood = list(data.get("understood", []))
    result.changes = [Change(line, label, created, fields) for line, label, created, fields in data.get("changes", [])]
    result.error_count = data.get("error_count", len(result.errors))
    result.warning_count = data.get("warning_count", len(result.warnings))
    return result


def _line(line):
    """A row number, or a row number with its sheet (5(陈桥村)) as text: JSON would write its order."""
    return line if type(line) is int else str(line)
