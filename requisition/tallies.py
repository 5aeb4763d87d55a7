"""Tallies of the requisition ledger by village, area, command post and zone, for any date.

Each level is one grouped query per record type over the whole subtree, grouped by village in
the database (a million households are counted by the database, not by Python loops); the few
hundred village rows are then added up to the units of the level by the prefix of their
materialised path.

"Reached" counts households whose step's date is on or before the date; the households at a
stage are the difference between one step and the next. Stepping a household back clears the
later dates, so tallies for past dates reflect the ledger as it stands now.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, Sum

from duban.schedule import done_pct
from org.models import OrgUnit
from requisition.models import STAGE_DATE, STAGES, Enterprise, Grave, Household, Stage

ZERO = Decimal(0)
CENT = Decimal("0.01")
MU = Decimal("0.0001")
SEGMENT = 7  # "000123." — one path segment per level of the tree


@dataclass
class Tally:
    unit: OrgUnit
    households: int = 0
    reached: dict = field(default_factory=dict)  # stage value -> households that reached it
    building_area: Decimal = ZERO
    demolished_area: Decimal = ZERO
    delivered_land: Decimal = ZERO
    graves: int = 0
    graves_moved: int = 0
    enterprises: int = 0
    enterprises_moved: int = 0

    def at_stage(self, stage):
        """Households whose furthest step by the date is `stage` (Stage.NONE: not visited yet)."""
        stage = Stage(stage)
        order = [Stage.NONE, *STAGES]
        index = order.index(stage)
        here = self.households if stage == Stage.NONE else self.reached.get(stage.value, 0)
        after = self.reached.get(order[index + 1].value, 0) if index + 1 < len(order) else 0
        return here - after

    @property
    def signed(self):
        return self.reached.get(Stage.SIGNED.value, 0)

    @property
    def signed_pct(self):
        return done_pct(self.signed, self.households)

    @property
    def measured_pct(self):
        return done_pct(self.reached.get(Stage.MEASURED.value, 0), self.households)


def _by_village(model, root, **aggregates):
    """One grouped query by village over the subtree: no join to the org tree in the grouping
    (the villages are a semi-join), so a million rows are counted at the speed of a scan."""
    subtree = root.subtree().values("pk")
    return model.objects.filter(village_id__in=subtree).values("village_id").annotate(**aggregates).order_by()


def _cents(value, quantum=CENT):
    # SQLite sums decimals as floats: round each village's sum to the ledger's own precision
    return Decimal(value or 0).quantize(quantum)


def tally_level(root, depth, on):
    """{unit: Tally} for the units at `depth` under `root`: the ledger grouped by village in the
    database (one query per record type), the villages' rows added up to their unit here."""
    in_subtree = list(root.subtree())
    units = {u.path: u for u in in_subtree if u.depth == depth}
    tallies = {path: Tally(unit) for path, unit in units.items()}
    if not tallies:
        return {}
    cut = SEGMENT * (depth + 1)
    holder = {u.pk: tallies.get(u.path[:cut]) for u in in_subtree}  # village → the tally it counts in
    area = DecimalField(max_digits=14, decimal_places=2)
    reached = {f"reached_{s.value}": Count("pk", filter=Q(**{f"{STAGE_DATE[s]}__lte": on})) for s in STAGES}
    for row in _by_village(
        Household,
        root,
        n=Count("pk"),
        building_m2=Sum(F("legal_area") + F("unlicensed_area"), output_field=area),
        demolished_m2=Sum(F("legal_area") + F("unlicensed_area"), filter=Q(demolished_on__lte=on), output_field=area),
        delivered_mu=Sum("land_area", filter=Q(delivered_on__lte=on), output_field=area),
        **reached,
    ):
        tally = holder.get(row["village_id"])
        if tally is None:
            continue
        tally.households += row["n"]
        for s in STAGES:
            tally.reached[s.value] = tally.reached.get(s.value, 0) + row[f"reached_{s.value}"]
        tally.building_area += _cents(row["building_m2"])
        tally.demolished_area += _cents(row["demolished_m2"])
        tally.delivered_land += _cents(row["delivered_mu"], MU)
    for model, total, moved in ((Grave, "graves", "graves_moved"), (Enterprise, "enterprises", "enterprises_moved")):
        for row in _by_village(model, root, n=Count("pk"), moved=Count("pk", filter=Q(moved_on__lte=on))):
            tally = holder.get(row["village_id"])
            if tally is not None:
                setattr(tally, total, getattr(tally, total) + row["n"])
                setattr(tally, moved, getattr(tally, moved) + row["moved"])
    return {t.unit: t for t in tallies.values()}


def tally_unit(unit, on):
    """The tally of one unit's whole subtree."""
    return tally_level(unit, unit.depth, on).get(unit, Tally(unit))
