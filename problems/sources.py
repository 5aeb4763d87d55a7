"""Where problems come from: the 存在问题 text of a weekly report, split into its items."""

import re

NUMBERING = re.compile(
    r"^\s*(?:[0-9０-９]+[.、．)）]|[（(][0-9０-９一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)\s*"
)


def report_lines(report):
    """The report's problems as a list of items: one per non-empty line, numbering removed."""
    items = []
    for line in (report.problems_text or "").splitlines():
        text = NUMBERING.sub("", line).strip()
        if text:
            items.append(text)
    return items
