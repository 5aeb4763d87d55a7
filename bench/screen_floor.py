"""The raw SQL floor of bench/screen.py: hand-written SQL that computes, from the base tables,
what each request shows, run on a bare DB-API cursor (no Django, no ORM, no Python beyond
passing the dates in).

- campaign page: the campaign; per target unit and indicator its target and the cumulative figure
  to the week, to the week before (so this week too) and to four weeks before (the pace of the
  projection), each over the unit's subtree; the task list.
- league table: the same figures to the week and the week before, each unit's score (mean done %)
  and its rank this week and last week, in one statement with window functions.
- data.json: the headline (running campaigns, projects by stage, investment of the year, the
  requisition ledger's households signed, m² demolished and 亩 delivered, open problems); every
  running campaign's figures per unit and indicator (its bar and its units in red); the focus
  campaign's league table, its 12-week trend and the task lists' counts. The headline is timed
  twice: summed from the ledgers (the base tables: a million households, a million monthly
  investment figures), and read from the roll-up tables the screen keeps (dashboard/rollups.py).

The figures are those of weekly reports (flows) and of the requisition ledger (households signed):
the kinds generate_scale_data makes. A campaign with other kinds is refused rather than timed
wrong. check_* compare what the SQL returns with what the application computed.
"""

import re
import statistics
import time
from decimal import Decimal

TREND_WEEKS = 12
OPEN_PROBLEMS = "SELECT COUNT(*) FROM problems_problem WHERE status IN ('raised', 'assigned', 'in_progress', 'meeting')"
CENT = Decimal("0.01")


def _subtree(unit, sub):
    """Join condition: `sub` lies in `unit`'s subtree (materialised path, index-friendly range;
    '~' sorts after the digits and dots of a path)."""
    return f"{sub}.path >= {unit}.path AND {sub}.path < {unit}.path || '~'"


class Floor:
    def __init__(self, connection):
        self.connection = connection
        self.vendor = connection.vendor
        # SQLite joins in the order written with CROSS JOIN: the campaign's targets first, then
        # their subtrees, then the ledger (its planner otherwise starts from the whole org tree)
        self.join = "CROSS JOIN" if self.vendor == "sqlite" else "JOIN"

    # running ----------------------------------------------------------------------------------
    def _raw(self):
        from django.db import connection

        connection.ensure_connection()
        cursor = connection.connection.cursor()
        if self.vendor == "postgresql":
            # PostgreSQL's JIT compiles a query whose estimated cost is high, as these joins' is:
            # 1.3 s of compiling for a few ms of work. The application's own queries stay below
            # the threshold; a hand-written query would be run without it too.
            cursor.execute("SET jit = off")
        return cursor

    def _prepare(self, sql, params):
        if self.vendor == "sqlite":
            sql = re.sub(r"%\((\w+)\)s", r":\1", sql)
            params = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in params.items()}
        return sql, params

    def run(self, statements):
        """[(sql, params)] → the rows of each, on a bare cursor."""
        cursor = self._raw()
        results = []
        for sql, params in statements:
            cursor.execute(*self._prepare(sql, params))
            results.append(cursor.fetchall())
        cursor.close()
        return results

    def time(self, statements, runs=10):
        """Median milliseconds to run the statements and fetch every row."""
        cursor = self._raw()
        prepared = [self._prepare(sql, params) for sql, params in statements]
        totals = []
        for _ in range(runs):
            started = time.perf_counter()
            for sql, params in prepared:
                cursor.execute(sql, params)
                cursor.fetchall()
            totals.append((time.perf_counter() - started) * 1000)
        cursor.close()
        return statistics.median(totals)

    # figures -----------------------------------------------------------------------------------
    def _members(self, kind, campaigns_where):
        """The units in the subtree of each target of the campaigns, for indicators of a kind:
        (campaign_id, unit_id, indicator_id, member). PostgreSQL plans it on its own (OFFSET 0),
        so that the ledgers are then read for these units only."""
        j = self.join
        fence = " OFFSET 0" if self.vendor == "postgresql" else ""
        return f"""
            SELECT t.campaign_id, t.unit_id, t.indicator_id, su.id AS member
            FROM campaigns_campaign c
            {j} campaigns_target t ON t.campaign_id = c.id
            {j} campaigns_indicator i ON i.id = t.indicator_id AND {kind}
            {j} org_orgunit tu ON tu.id = t.unit_id
            {j} org_orgunit su ON {_subtree("tu", "su")}
            WHERE {campaigns_where}{fence}"""

    def _report_figures(self, cuts, campaigns_where):
        """Per (campaign, target unit, indicator): sums of submitted weekly values over the unit's
        subtree, from the campaign's start to each cut. On PostgreSQL the values are reached by a
        LATERAL index lookup per report (its planner otherwise scans every value)."""
        j = self.join
        sums = ", ".join(f"SUM(v.amount) FILTER (WHERE r.week_end <= %({c})s) AS {c}" for c in cuts)
        if self.vendor == "postgresql":
            values = (
                "CROSS JOIN LATERAL (SELECT rv.amount FROM reports_reportvalue rv "
                "WHERE rv.report_id = r.id AND rv.indicator_id = m.indicator_id OFFSET 0) v"
            )
        else:
            values = f"{j} reports_reportvalue v ON v.report_id = r.id AND v.indicator_id = m.indicator_id"
        members = self._members("i.source = 'report' AND i.kind = 'flow'", campaigns_where)
        return f"""
            SELECT m.campaign_id, m.unit_id, m.indicator_id, {sums}
            FROM ({members}) m
            {j} reports_weeklyreport r ON r.unit_id = m.member AND r.status = 'submitted'
                 AND r.week_end >= %(start)s AND r.week_end <= %({cuts[0]})s
            {values}
            GROUP BY m.campaign_id, m.unit_id, m.indicator_id"""

    def _ledger_figures(self, cuts, campaigns_where):
        """Per (campaign, target unit, indicator): households signed in the unit's subtree, from
        the week holding the campaign's start to each cut."""
        j = self.join
        counts = ", ".join(f"COUNT(*) FILTER (WHERE h.signed_on <= %({c})s) AS {c}" for c in cuts)
        dated = f"h.signed_on >= %(first_step)s AND h.signed_on <= %({cuts[0]})s"
        if self.vendor == "postgresql":  # each village's households by index, not a scan of all
            households = (
                "CROSS JOIN LATERAL (SELECT h.signed_on FROM requisition_household h "
                f"WHERE h.village_id = m.member AND {dated} OFFSET 0) h"
            )
        else:
            households = f"{j} requisition_household h ON h.village_id = m.member AND {dated}"
        members = self._members("i.source = 'households_signed'", campaigns_where)
        return f"""
            SELECT m.campaign_id, m.unit_id, m.indicator_id, {counts}
            FROM ({members}) m
            {households}
            GROUP BY m.campaign_id, m.unit_id, m.indicator_id"""

    def _figures(self, cuts, campaigns_where):
        return (
            f"{self._report_figures(cuts, campaigns_where)}\nUNION ALL\n{self._ledger_figures(cuts, campaigns_where)}"
        )

    @staticmethod
    def check_kinds(campaign):
        from campaigns.models import Indicator

        kinds = {(t.indicator.kind, t.indicator.source) for t in campaign.targets.select_related("indicator")}
        known = {
            (Indicator.Kind.FLOW, Indicator.Source.REPORT),
            (Indicator.Kind.FLOW, Indicator.Source.HOUSEHOLDS_SIGNED),
        }
        if kinds - known:
            raise SystemExit(f"the SQL floor covers typed flows and households signed, not {kinds - known}")

    @staticmethod
    def _cuts(campaign, week):
        """The week's end, the week before's, four weeks before's; and the first day of the
        campaign's first week (a ledger step counts in the week holding its date)."""
        from duban import periods

        first_step = periods.week_of(campaign.start).start
        cuts = {"c0": week.end, "c1": week.prev().end, "c2": week.prev(4).end}
        return {**cuts, "start": campaign.start, "first_step": first_step}

    # the requests -----------------------------------------------------------------------------------
    def campaign_page(self, campaign, week):
        params = {"campaign": campaign.pk, **self._cuts(campaign, week)}
        return [
            (
                'SELECT c.name, c.slogan, c.start, c."end", c.goals, c.yellow_gap, c.red_gap, o.name '
                "FROM campaigns_campaign c JOIN org_orgunit o ON o.id = c.owner_id WHERE c.id = %(campaign)s",
                params,
            ),
            (
                "SELECT t.unit_id, u.name, u.leader, u.path, u.sort_order, t.indicator_id, i.name, "
                "i.unit_of_measure, t.amount FROM campaigns_target t JOIN org_orgunit u ON u.id = t.unit_id "
                "JOIN campaigns_indicator i ON i.id = t.indicator_id WHERE t.campaign_id = %(campaign)s",
                params,
            ),
            (self._figures(("c0", "c1", "c2"), "c.id = %(campaign)s"), params),
            (
                "SELECT k.title, u.name, k.deadline, k.status, k.done_on FROM campaigns_task k "
                "JOIN org_orgunit u ON u.id = k.unit_id WHERE k.campaign_id = %(campaign)s ORDER BY k.deadline, k.id",
                params,
            ),
        ]

    def _league(self, campaigns_where):
        """Each unit's figure per indicator, its score (mean done %) and its ranks this week and
        last week (ties: the larger amount done; equal on both share the rank)."""
        return f"""
            WITH f AS ({self._figures(("c0", "c1"), campaigns_where)}),
            per_unit AS (
                SELECT t.unit_id, t.indicator_id, t.amount, COALESCE(f.c0, 0) AS cum, COALESCE(f.c1, 0) AS prev
                FROM campaigns_campaign c JOIN campaigns_target t ON t.campaign_id = c.id
                LEFT JOIN f ON f.campaign_id = t.campaign_id AND f.unit_id = t.unit_id
                     AND f.indicator_id = t.indicator_id
                WHERE {campaigns_where}),
            s AS (
                SELECT unit_id, AVG(CASE WHEN amount > 0 THEN 100.0 * cum / amount ELSE 0 END) AS score,
                       SUM(cum) AS done,
                       AVG(CASE WHEN amount > 0 THEN 100.0 * prev / amount ELSE 0 END) AS prev_score,
                       SUM(prev) AS prev_done
                FROM per_unit GROUP BY unit_id),
            ranked AS (
                SELECT unit_id, score, RANK() OVER (ORDER BY score DESC, done DESC) AS rank,
                       RANK() OVER (ORDER BY prev_score DESC, prev_done DESC) AS prev_rank
                FROM s)
            SELECT ranked.unit_id, COALESCE(NULLIF(u.short_name, ''), u.name), ranked.rank, ranked.prev_rank,
                   ranked.score, p.indicator_id, p.cum, p.amount
            FROM ranked JOIN org_orgunit u ON u.id = ranked.unit_id JOIN per_unit p ON p.unit_id = ranked.unit_id
            ORDER BY ranked.rank, u.path, p.indicator_id"""

    def league(self, campaign, week):
        params = {"campaign": campaign.pk, **self._cuts(campaign, week)}
        return [
            (
                'SELECT c.name, c.start, c."end", c.yellow_gap, c.red_gap FROM campaigns_campaign c '
                "WHERE c.id = %(campaign)s",
                params,
            ),
            (self._league("c.id = %(campaign)s"), params),
        ]

    def headline_from_ledgers(self, today, year, month):
        from datetime import date

        params = {"today": today, "year": year, "through": date(year, month, 1), "first": date(year, 1, 1)}
        return [
            (
                'SELECT COUNT(*) FROM campaigns_campaign WHERE start <= %(today)s AND "end" >= %(today)s',
                params,
            ),
            ("SELECT stage, COUNT(*) FROM projects_project GROUP BY stage", params),
            ("SELECT COUNT(*), SUM(total_investment) FROM projects_project", params),
            ("SELECT SUM(amount) FROM projects_annualplan WHERE year = %(year)s", params),
            (
                "SELECT SUM(CASE WHEN month = %(through)s THEN amount ELSE 0 END), "
                "SUM(CASE WHEN month >= %(first)s AND month <= %(through)s THEN amount ELSE 0 END), "
                "SUM(CASE WHEN month <= %(through)s THEN amount ELSE 0 END) FROM projects_monthlyinvestment",
                params,
            ),
            (
                "SELECT COUNT(*), SUM(CASE WHEN signed_on IS NOT NULL THEN 1 ELSE 0 END), "
                "SUM(CASE WHEN demolished_on IS NOT NULL THEN legal_area + unlicensed_area ELSE 0 END), "
                "SUM(CASE WHEN delivered_on IS NOT NULL THEN land_area ELSE 0 END) FROM requisition_household",
                params,
            ),
            (OPEN_PROBLEMS, params),
        ]

    def headline_from_rollups(self, today, year, month):
        params = {"today": today, "year": year, "month": month}
        return [
            *self.headline_from_ledgers(today, year, month)[:2],
            (
                "SELECT SUM(projects), SUM(total), SUM(annual_plan), SUM(this_month), SUM(ytd), SUM(since_start) "
                "FROM dashboard_unitinvestment WHERE year = %(year)s AND through_month = %(month)s",
                params,
            ),
            (
                "SELECT SUM(households), SUM(signed), SUM(demolished_area), SUM(delivered_land) "
                "FROM dashboard_villagetally",
                params,
            ),
            (OPEN_PROBLEMS, params),
        ]

    def screen_campaigns(self, running, focus, today, week):
        """Every running campaign's figures per unit and indicator to this week (one statement a
        campaign: each counts from its own first week); the focus campaign's league table and
        12-week trend; the task lists' counts."""
        params = {"today": today, "focus": focus.pk, **self._cuts(focus, week)}
        weeks = [w for w in (week.prev(n) for n in range(TREND_WEEKS)) if w.end >= focus.start]  # the latest first
        cuts = [f"w{n}" for n in range(len(weeks))]
        trend_params = {**params, **{cut: w.end for cut, w in zip(cuts, weeks, strict=True)}}
        trend = f"""
            SELECT f.indicator_id, {", ".join(f"SUM(f.{c})" for c in cuts)}
            FROM ({self._figures(cuts, "c.id = %(focus)s")}) f GROUP BY f.indicator_id"""
        in_running = 'c.start <= %(today)s AND c."end" >= %(today)s'
        statements = [
            (
                'SELECT c.id, c.name, c.start, c."end", c.yellow_gap, c.red_gap FROM campaigns_campaign c '
                f"WHERE {in_running} ORDER BY c.start",
                params,
            ),
            (
                "SELECT t.campaign_id, t.unit_id, u.short_name, u.name, t.indicator_id, t.amount "
                f"FROM campaigns_campaign c JOIN campaigns_target t ON t.campaign_id = c.id "
                f"JOIN org_orgunit u ON u.id = t.unit_id WHERE {in_running}",
                params,
            ),
        ]
        for campaign in running:
            statements.append(
                (self._figures(("c0",), "c.id = %(campaign)s"), {"campaign": campaign.pk, **self._cuts(campaign, week)})
            )
        return [
            *statements,
            (self._league("c.id = %(focus)s"), params),
            (trend, trend_params),
            (
                "SELECT k.campaign_id, COUNT(*), SUM(CASE WHEN k.status = 'done' THEN 1 ELSE 0 END), "
                "SUM(CASE WHEN k.status = 'cancelled' THEN 1 ELSE 0 END), "
                "SUM(CASE WHEN k.status = 'open' AND k.deadline < %(today)s THEN 1 ELSE 0 END) "
                f"FROM campaigns_campaign c JOIN campaigns_task k ON k.campaign_id = c.id WHERE {in_running} "
                "GROUP BY k.campaign_id",
                params,
            ),
        ]


# Checks: the floor computes what the application shows ------------------------------------------


def _q(value):
    return Decimal(str(value or 0)).quantize(CENT)


def check_campaign_page(floor, campaign, progress):
    """The SQL's figures per unit and indicator equal the page's (cumulative, week before, four back)."""
    rows = floor.run(floor.campaign_page(campaign, progress.week))[2]
    sql = {(u, i): tuple(_q(x) for x in cuts) for _c, u, i, *cuts in rows}
    app = {
        key: (_q(r.figure.cum), _q(r.figure.prev), _q(r.figure.back4))
        for key, r in progress.rows.items()
        if r.figure.reported
    }
    zero = (_q(0),) * 3
    sql = {k: v for k, v in sql.items() if v != zero}
    app = {k: v for k, v in app.items() if v != zero}
    assert sql == app, ("campaign page figures differ", sorted(set(sql.items()) ^ set(app.items()))[:5])
    return len(sql)


def check_league(floor, campaign, table):
    rows = floor.run(floor.league(campaign, table.progress.week))[1]
    sql = {unit_id: (rank, prev_rank) for unit_id, _n, rank, prev_rank, *_ in rows}
    app = {e.unit.pk: (e.rank, e.prev_rank) for e in table.entries}
    if any(e.prev_rank is None for e in table.entries):  # the campaign's first week: no change shown
        sql = {unit_id: (rank, None) for unit_id, (rank, _prev) in sql.items()}
    assert sql == app, ("league ranks differ", sql, app)
    return len(sql)


def check_headline(floor, today, year, month, data):
    """The ledger sums equal the roll-ups the screen reads, and the screen's numbers."""
    base = floor.run(floor.headline_from_ledgers(today, year, month))
    rolled = floor.run(floor.headline_from_rollups(today, year, month))
    households, signed = base[5][0][0], base[5][0][1]
    assert (households, signed) == tuple(int(x) for x in rolled[3][0][:2]), (base[5], rolled[3])
    shown = data["headline"]["signed"]["value"].replace(",", "")
    assert int(shown) == signed, (shown, signed)
    assert int(data["headline"]["campaigns"]["value"]) == base[0][0][0]


def check_screen(floor, running, focus, today, week, data):
    """Each running campaign's figures give the screen's done % (mean over its indicators'
    totals), and the focus campaign's league ranks are the screen's."""
    results = floor.run(floor.screen_campaigns(running, focus, today, week))
    targets, league, trend = results[1], results[-3], results[-2]
    figures = [row for rows in results[2 : 2 + len(running)] for row in rows]
    totals, done = {}, {}
    for campaign_id, _unit, _short, _name, indicator_id, amount in targets:
        totals[(campaign_id, indicator_id)] = totals.get((campaign_id, indicator_id), 0) + Decimal(str(amount))
    for campaign_id, _unit, indicator_id, cum in figures:
        done[(campaign_id, indicator_id)] = done.get((campaign_id, indicator_id), 0) + Decimal(str(cum or 0))
    for shown in data["campaigns"]:
        pcts = [100 * done.get(key, 0) / total for key, total in totals.items() if key[0] == shown["id"] and total]
        assert abs(float(sum(pcts) / len(pcts)) - shown["done_pct"]) < 0.011, (shown, pcts)
    ranks = {label: rank for _unit, label, rank, *_ in league}
    for entry in data["focus"]["league"]:
        assert entry["rank"] == ranks[entry["unit"]], (entry, ranks)
    return len(data["campaigns"]), len(trend)
