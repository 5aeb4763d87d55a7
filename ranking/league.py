"""The weekly league table (一晒): units ranked by done % of target.

Ties on done % are broken by the larger absolute amount done; units equal on both share a
rank ("1, 2, 2, 4"). With several indicators the table ranks by one indicator, or by the
mean of the done % of all the campaign's indicators (综合).
"""

from dataclasses import dataclass
from decimal import Decimal

from campaigns.progress import campaign_progress, figures_stamp
from duban import figure_cache, versions
from duban.schedule import done_pct

OVERALL = "overall"


@dataclass
class Entry:
    unit: object
    done_pct: Decimal
    done: Decimal
    rows: list  # the progress rows behind the entry, one per indicator
    rank: int = 0
    prev_rank: int | None = None

    @property
    def change(self):
        """Places gained since last week (+ up, - down), None when unranked last week."""
        if self.prev_rank is None:
            return None
        return self.prev_rank - self.rank

    @property
    def status(self):
        worst = max((r.status for r in self.rows), key=_severity, default=None)
        return worst


def _severity(status):
    return {"red": 3, "yellow": 2, "green": 1}.get(status.value, 0)


def rank(entries):
    """Sort and assign competition ranks in place; returns the sorted list."""
    entries.sort(key=lambda e: (-e.done_pct, -e.done, e.unit.sort_order, e.unit.path))
    previous = None
    for position, entry in enumerate(entries, start=1):
        key = (entry.done_pct, entry.done)
        entry.rank = previous[1] if previous and previous[0] == key else position
        previous = (key, entry.rank)
    return entries


def _entries(progress, indicator_code, previous=False):
    """Entries ranked by the figures to the week's end, or (previous=True) to the end of the
    week before — figures_as_of computes both in the same queries."""
    entries = []
    if indicator_code == OVERALL:
        ranked_by = [i.pk for i in progress.indicators]
    else:
        ranked_by = [i.pk for i in progress.indicators if i.code == indicator_code][:1]
    for unit in progress.units:
        rows = [row for i in ranked_by if (row := progress.rows.get((unit.pk, i))) is not None]
        if not rows:
            continue
        dones = [r.figure.prev if previous else r.done for r in rows]
        if previous:
            pcts = [done_pct(d, r.target) or Decimal(0) for d, r in zip(dones, rows, strict=True)]
        else:
            pcts = [r.done_pct or Decimal(0) for r in rows]  # kept on the row
        entries.append(Entry(unit, sum(pcts, Decimal(0)) / len(pcts), sum(dones, Decimal(0)), rows))
    return rank(entries)


@dataclass
class LeagueTable:
    progress: object
    indicator_code: str
    entries: list

    @property
    def indicators(self):
        """The indicators ranked on: every one of the campaign's (综合), or the one chosen. The
        table has a column pair for each, whichever of them a unit has a target for."""
        if self.indicator_code == OVERALL:
            return list(self.progress.indicators)
        return [i for i in self.progress.indicators if i.code == self.indicator_code][:1]


def league_table(campaign, week, indicator_code=OVERALL, version=None):
    """The league table of `week`, with each unit's rank change from the week before.

    Kept, like the progress it ranks, while the data version holds (duban/figure_cache.py)."""
    if campaign.pk is None:
        return _league_table(campaign, week, indicator_code, None)
    version = version or versions.read()
    return figure_cache.get_or_make(
        ("league", campaign.pk, week.end, indicator_code),
        figures_stamp(campaign, version),
        lambda: _league_table(campaign, week, indicator_code, version),
    )


def _league_table(campaign, week, indicator_code, version):
    progress = campaign_progress(campaign, week=week, version=version)
    entries = _entries(progress, indicator_code)
    if week.prev().end >= campaign.start:
        before = {e.unit.pk: e.rank for e in _entries(progress, indicator_code, previous=True)}
        for entry in entries:
            entry.prev_rank = before.get(entry.unit.pk)
    return LeagueTable(progress, indicator_code, entries)


def change_text(change):
    """A rank change as printed: ↑2 (up two places), ↓1, – (unchanged), — (not ranked before)."""
    if change is None:
        return "—"
    if change > 0:
        return f"↑{change}"
    if change < 0:
        return f"↓{-change}"
    return "–"
