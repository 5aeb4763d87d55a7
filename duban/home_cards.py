"""The home page's campaign cards: where each running campaign stands, drawn, and who leads and
who trails its league table — what a leader looks at first. Built from the cached progress and
league table (duban/figure_cache.py), so a card costs no query of its own while the data holds."""

from dataclasses import dataclass

from campaigns.chart_labels import chart_labels
from campaigns.progress import campaign_progress
from duban import schedule, versions
from ranking.league import league_table

PODIUM = 3  # units named at each end of the league table


@dataclass
class Card:
    campaign: object
    progress: object
    totals: list  # the campaign's total row per indicator
    chart: dict
    leaders: list  # league entries, best first
    trailers: list  # league entries, worst last

    @property
    def chart_id(self):
        return f"board-{self.campaign.pk}"


def card(campaign, version=None):
    """`version`: the data version read once for all the page's cards (duban/versions.py)."""
    version = version or versions.read()
    progress = campaign_progress(campaign, version=version)
    totals = [row for indicator in progress.indicators if (row := progress.totals.get(indicator.pk))]
    entries = league_table(campaign, progress.week, version=version).entries
    if len(entries) <= 2 * PODIUM:
        leaders, trailers = entries, []
    else:
        leaders, trailers = entries[:PODIUM], entries[-PODIUM:]
    chart = {
        "categories": [row.indicator.name for row in totals],
        "done": [float(schedule.q2(row.done_pct) or 0) for row in totals],
        "elapsed": float(schedule.q2(progress.elapsed_pct)),
        "colours": [row.status.colour for row in totals],
        "labels": chart_labels(),
    }
    return Card(campaign, progress, totals, chart, leaders, trailers)
