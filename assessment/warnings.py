"""Warnings (多次考评排名靠后, 连续红灯): units in the bottom N places for K league tables in a row,
and units red for K weeks in a row.

The rules are pure functions on a history (oldest first) so they can be tested on a hand-made
one; `campaign_history` builds the history of a campaign from its published tables (what was
sent out and counts), falling back to the computed table for a period never published.
"""

from dataclasses import dataclass

from assessment.models import Publication
from assessment.publishing import latest
from assessment.scoring import Scorer, campaign_months, campaign_weeks, month_last_week, monthly_table, weekly_table


@dataclass
class Streak:
    unit_id: int
    unit: str
    keys: list  # the periods of the run, oldest first
    ongoing: bool  # the run reaches the latest period

    @property
    def length(self):
        return len(self.keys)


def in_bottom(rank, ranks, bottom_n):
    """In the bottom N places: fewer than N units ranked below (ties share the last places), and
    at least one unit ranked above (when every unit ties, nobody is last)."""
    return rank > min(ranks) and sum(1 for r in ranks if r > rank) < bottom_n


def _runs(history, test, k):
    """Runs of at least k consecutive periods in which test(row, rows) holds, per unit."""
    streaks = []
    current = {}  # unit_id -> (name, keys)
    last_key = history[-1][0] if history else None
    for key, rows in history:
        seen = set()
        for row in rows:
            if test(row, rows):
                name, keys = current.get(row["unit_id"], (row["unit"], []))
                current[row["unit_id"]] = (row["unit"], [*keys, key])
                seen.add(row["unit_id"])
        for unit_id in list(current):
            if unit_id not in seen:
                name, keys = current.pop(unit_id)
                if len(keys) >= k:
                    streaks.append(Streak(unit_id, name, keys, False))
    for unit_id, (name, keys) in current.items():
        if len(keys) >= k:
            streaks.append(Streak(unit_id, name, keys, keys[-1] == last_key))
    return sorted(streaks, key=lambda s: (not s.ongoing, -s.length, s.unit))


def bottom_streaks(history, bottom_n, k):
    """history: [(key, rows)] oldest first, rows as in a published table ({"unit_id", "unit",
    "rank", …}). Units in the bottom `bottom_n` places for `k` or more tables in a row."""
    return _runs(history, lambda row, rows: in_bottom(row["rank"], [r["rank"] for r in rows], bottom_n), k)


def red_streaks(history, k):
    """Units whose status is red for `k` or more weeks in a row."""
    return _runs(history, lambda row, rows: row["status"] == "red", k)


def _rows(campaign, kind, key, compute):
    published = latest(campaign, kind, key)
    if published is not None:
        return published.data["rows"], True
    return compute().as_data()["rows"], False


def campaign_history(campaign, last_week, weeks=None, months=None, scorer=None):
    """(weekly history, monthly history, published flags) up to `last_week`, oldest first; only
    the last `weeks` weeks and `months` months when given (enough for runs that are ongoing)."""
    scorer = scorer or Scorer(campaign)
    weekly, monthly = [], []
    published = {}
    all_weeks = [w for w in campaign_weeks(campaign) if w <= last_week]
    all_months = []
    for month in campaign_months(campaign):
        last = month_last_week(campaign, month)
        if last is None or last > last_week:
            break
        all_months.append(month)
    if weeks is not None:
        all_weeks = all_weeks[-weeks:]
    if months is not None:
        all_months = all_months[-months:]
    for week in all_weeks:
        rows, was_published = _rows(
            campaign,
            Publication.Kind.WEEK,
            week.label,
            lambda w=week: weekly_table(campaign, w, with_change=False, scorer=scorer),
        )
        weekly.append((week.label, rows))
        published[week.label] = was_published
    for month in all_months:
        rows, was_published = _rows(
            campaign,
            Publication.Kind.MONTH,
            month.key,
            lambda m=month: monthly_table(campaign, m, with_change=False, scorer=scorer),
        )
        monthly.append((month.key, rows))
        published[month.key] = was_published
    return weekly, monthly, published
