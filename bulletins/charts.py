"""Charts for documents: PNG images drawn by matplotlib (Agg, no display) with a CJK font.

The font is WenQuanYi Micro Hei (Debian fonts-wqy-microhei) so that Chinese labels are drawn,
not tofu boxes. When the font file is missing, `font_problem()` says so and the charts are
drawn with whatever CJK font matplotlib finds.
"""

import io
import math
import os
from functools import lru_cache

from duban import colours

CJK_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
GREEN, YELLOW, RED, GREY, BLUE = (colours.PAPER[name] for name in ("green", "yellow", "red", "grey", "blue"))
STATUS_COLOURS = {"green": GREEN, "yellow": YELLOW, "red": RED}
DPI = 110
WIDTH = 6.3  # inches: the text width of an A4 page with the bulletin's margins


def font_problem():
    """None, or for the page: the charts' font is missing (their Chinese labels would be boxes)."""
    from django.utils.translation import gettext as _

    if os.path.exists(CJK_FONT):
        return None
    return _(
        "The charts' Chinese font %(file)s is missing: their labels may show as empty boxes "
        "(make system-packages installs fonts-wqy-microhei)."
    ) % {"file": CJK_FONT}


@lru_cache(maxsize=1)
def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager, pyplot

    if os.path.exists(CJK_FONT):
        font_manager.fontManager.addfont(CJK_FONT)
        name = font_manager.FontProperties(fname=CJK_FONT).get_name()
        matplotlib.rcParams["font.family"] = [name]
    matplotlib.rcParams["axes.unicode_minus"] = False
    matplotlib.rcParams["font.size"] = 9
    return pyplot


def _png(fig):
    """PNG bytes. Margins are set by each chart (subplots_adjust): bbox_inches="tight" would
    draw the figure twice."""
    plt = _pyplot()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    plt.close(fig)
    return buffer.getvalue()


def _bars(ax, xs, heights, width, colour, horizontal=False):
    """Bars as one PolyCollection: one artist instead of a Rectangle per bar (100 units × 3
    indicators would be 300 artists, each drawn on its own)."""
    from matplotlib.collections import PolyCollection

    half = width / 2
    if horizontal:
        polygons = [
            [(0, x - half), (h, x - half), (h, x + half), (0, x + half)] for x, h in zip(xs, heights, strict=True)
        ]
    else:
        polygons = [
            [(x - half, 0), (x - half, h), (x + half, h), (x + half, 0)] for x, h in zip(xs, heights, strict=True)
        ]
    colours = colour if isinstance(colour, list) else [colour]
    ax.add_collection(PolyCollection(polygons, facecolors=colours, edgecolors="none"))


def _legend_patch(colour, label):
    from matplotlib.patches import Patch

    return Patch(facecolor=colour, label=label)


def _text_inches(labels, size):
    """Rough width in inches of the longest label (CJK characters are about one em wide)."""
    longest = max((sum(1.0 if ord(ch) > 0x2E80 else 0.6 for ch in str(t)) for t in labels), default=0)
    return longest * size / 72


MAX_LABELS = 40  # beyond this many units a chart names every k-th one (the tables name them all)


def _ticks(labels):
    """(positions, labels) naming at most MAX_LABELS units: each text costs milliseconds to lay out."""
    step = max(1, math.ceil(len(labels) / MAX_LABELS))
    positions = list(range(0, len(labels), step))
    return positions, [labels[p] for p in positions]


def _label_size(n):
    return 9 if n <= 12 else 7 if n <= 30 else 6


def done_vs_elapsed(title, units, series, elapsed, labels):
    """Grouped bars of done % per unit (one series per indicator) with the time-elapsed line.
    series: [(name, [pct per unit])]."""
    plt = _pyplot()
    n = max(len(units), 1)
    size = _label_size(n)
    rotate = 0 if n <= 6 else 90 if n > 30 else 45
    bottom_in = 0.35 + (_text_inches(units, size) * (1.0 if rotate == 90 else 0.72 if rotate else 0))
    height = 3.0 + bottom_in
    fig, ax = plt.subplots(figsize=(WIDTH, height))
    fig.subplots_adjust(left=0.08, right=0.98, top=1 - 0.45 / height, bottom=bottom_in / height)
    width = 0.8 / max(len(series), 1)
    colours = [RED, BLUE, GREEN, YELLOW, GREY]
    handles = []
    top = max([100, elapsed, *[v for _, vs in series for v in vs]]) * 1.12
    for k, (name, values) in enumerate(series):
        xs = [x + (k - (len(series) - 1) / 2) * width for x in range(len(units))]
        colour = colours[k % len(colours)]
        _bars(ax, xs, values, width, colour)
        handles.append(_legend_patch(colour, name))
        if n <= 12:
            for x, v in zip(xs, values, strict=True):
                ax.text(x, v, f"{v:.1f}", ha="center", va="bottom", fontsize=7)
    line = ax.axhline(elapsed, color=GREY, linestyle="--", linewidth=1.2, label=labels["elapsed"] + f" {elapsed:.2f}%")
    ax.set_xlim(-0.6, len(units) - 0.4)
    ax.set_ylim(0, top)
    ax.set_xticks(*_ticks(units), rotation=rotate, ha="center" if rotate in (0, 90) else "right")
    ax.tick_params(axis="x", labelsize=size, length=2)
    ax.set_ylabel("%")
    ax.set_title(title)
    ax.legend(handles=[line, *handles], loc="upper right", fontsize=7, ncol=len(series) + 1)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def scores(title, units, totals, colours, full):
    """Horizontal bars of the assessment total, best first."""
    plt = _pyplot()
    n = max(len(units), 1)
    size = _label_size(n)
    height = min(max(2.0, 0.22 * n + 0.8), 9.0) if n <= 30 else 9.0
    left_in = _text_inches(units, size) + 0.15
    fig, ax = plt.subplots(figsize=(WIDTH, height))
    fig.subplots_adjust(left=left_in / WIDTH, right=0.95, top=1 - 0.4 / height, bottom=0.35 / height)
    _bars(ax, list(range(len(units))), totals, 0.7, [STATUS_COLOURS.get(c, GREY) for c in colours], horizontal=True)
    ax.set_yticks(*_ticks(units))
    ax.tick_params(axis="y", labelsize=size, length=2)
    ax.set_ylim(len(units) - 0.5, -0.5)  # best at the top
    ax.set_xlim(0, max([full, *totals]) * 1.08)
    if n <= 30:
        for y, v in enumerate(totals):
            ax.text(v, y, f" {v:.2f}", va="center", fontsize=7)
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def trend(title, weeks, series, labels):
    """Lines of cumulative done % week by week, one per indicator. series: [(name, [pct])]."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(WIDTH, 2.8))
    fig.subplots_adjust(left=0.1, right=0.98, top=0.88, bottom=0.25)
    colours = [RED, BLUE, GREEN, YELLOW]
    for k, (name, values) in enumerate(series):
        ax.plot(range(len(weeks)), values, marker="o", markersize=3, label=name, color=colours[k % len(colours)])
    step = max(1, len(weeks) // 10)
    ax.set_xticks(range(0, len(weeks), step), weeks[::step], rotation=30, ha="right")
    ax.tick_params(axis="x", labelsize=7)
    ax.set_ylabel(labels["pct"])
    ax.set_title(title)
    if series:
        ax.legend(fontsize=7)
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def status_counts(title, counts, labels):
    """Bars of how many units are green / yellow / red. counts: {"green": n, …}."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(WIDTH * 0.6, 2.4))
    fig.subplots_adjust(left=0.12, right=0.95, top=0.85, bottom=0.14)
    keys = ["green", "yellow", "red"]
    values = [counts.get(k, 0) for k in keys]
    ax.bar([labels[k] for k in keys], values, color=[STATUS_COLOURS[k] for k in keys], width=0.55)
    for x, v in enumerate(values):
        ax.annotate(str(v), (x, v), ha="center", va="bottom")
    ax.set_ylim(0, max(values + [1]) * 1.25)
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)
