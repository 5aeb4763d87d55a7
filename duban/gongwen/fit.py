"""Column widths of a Word table from its content, so that no number and no unit name breaks
inside a cell: each column gets the width of its longest body cell (characters × font size, a
full-width character one em, a digit or Latin letter about half), headers may wrap; when the
columns do not fit the type area the font steps down, and the room left over is shared out."""

import unicodedata

TEXT_WIDTH_CM = 15.6  # the type area of GB/T 9704: 156 mm
CELL_PADDING_CM = 0.2  # left + right cell margins
SIZES = (12, 10.5, 9, 8, 7.5, 7)  # 小四, 五号, 小五 … the steps a table's font goes down
CM_PER_PT = 2.54 / 72
NARROW_EM = 0.56  # a digit, comma or Latin letter in a CJK serif face


def text_em(text):
    """Width of `text` in ems."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else NARROW_EM for ch in str(text))


def text_cm(text, size):
    return text_em(text) * size * CM_PER_PT


def _header_em(text, lines=2):
    """A header may wrap onto `lines` lines: the widest of its pieces (two characters at least)."""
    text = str(text)
    step = max(-(-len(text) // lines), 2)
    return max(text_em(text[i : i + step]) for i in range(0, max(len(text), 1), step))


def needed_cm(headers, rows, size, lines=2):
    widths = []
    for c, header in enumerate(headers):
        ems = [_header_em(header, lines), *(text_em(row[c]) for row in rows if c < len(row))]
        widths.append(max(ems) * size * CM_PER_PT + CELL_PADDING_CM + 0.05)
    return widths


def column_widths(headers, rows, size=None, total=TEXT_WIDTH_CM):
    """(widths in cm summing to `total`, font size in pt): the largest size at which the body
    cells fit on one line, headers on one line or else wrapping onto two, then onto more at the
    smallest size."""
    sizes = [s for s in SIZES if size is None or s <= size] or [SIZES[-1]]
    attempts = [(step, lines) for step in sizes for lines in (1, 2)] + [(sizes[-1], n) for n in (3, 4, 6)]
    for step, lines in attempts:
        widths = needed_cm(headers, rows, step, lines)
        if sum(widths) <= total:
            break
    spare = total - sum(widths)
    # room left over goes to the columns in proportion; a table too wide even so is squeezed
    widths = [w + spare * w / sum(widths) for w in widths]
    return [round(w, 3) for w in widths], step


def fits(text, width_cm, size):
    """Whether `text` stays on one line in a cell `width_cm` wide at `size` pt."""
    return text_cm(text, size) + CELL_PADDING_CM <= width_cm + 1e-6
