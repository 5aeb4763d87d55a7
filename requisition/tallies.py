"""Tallies of the requisition ledger by village, area, command post and zone, for any date.

Each level is one grouped query per record type over the whole subtree: units are grouped by
the prefix of their materialised path, so a million households are counted by the database,
not by Python loops.

"Reached" counts households whose step's date is on or before the date; the households at a
stage are the difference between one step and the next. Stepping a household back clears the
later dates, so tallies for past dates reflect the ledger as it stands now.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, Sum
from django.db.models.functions import Coalesce, Substr

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
        return None if not self.households else Decimal(100) * self.signed / self.households

    @property
    def measured_pct(self):
        if not self.households:
            return None
        return Decimal(100) * self.reached.get(Stage.MEASURED.value, 0) / self.households


def _group_key(depth):
    return Substr("village__path", 1, SEGMENT * (depth + 1))


def tally_level(root, depth, on):
    """{unit: Tally} for the units at `depth` below the zone root… under `root` (3 queries + 1)."""
    units = {u.path: u for u in OrgUnit.objects.filter(path__startswith=root.path) if u.depth == depth}
    tallies = {path: Tally(unit) for path, unit in units.items()}
    if not tallies:
        return {}
    key = _group_key(depth)
    area = DecimalField(max_digits=14, decimal_places=2)
    reached = {f"reached_{s.value}": Count("pk", filter=Q(**{f"{STAGE_DATE[s]}__lte": on})) for s in STAGES}
    rows = (
        Household.objects.filter(village__path__startswith=root.path)
        .annotate(group=key)
        .values("group")
        .annotate(
            n=Count("pk"),
            building_m2=Coalesce(
                Sum(F("legal_area") + F("unlicensed_area"), output_field=area), ZERO, output_field=area
            ),
            demolished_m2=Coalesce(
                Sum(F("legal_area") + F("unlicensed_area"), filter=Q(demolished_on__lte=on), output_field=area),
                ZERO,
                output_field=area,
            ),
            delivered_mu=Coalesce(Sum("land_area", filter=Q(delivered_on__lte=on)), ZERO, output_field=area),
            **reached,
        )
    )
    for row in rows:
        tally = tallies.get(row["group"])
        if tally is None:
            continue
        tally.households = row["n"]
        tally.reached = {s.value: row[f"reached_{s.value}"] for s in STAGES}
        # SQLite sums decimals as floats: round to the ledger's own precision
        tally.building_area = Decimal(row["building_m2"]).quantize(CENT)
        tally.demolished_area = Decimal(row["demolished_m2"]).quantize(CENT)
        tally.delivered_land = Decimal(row["delivered_mu"]).quantize(MU)
    for model, total, moved, moved_field in (
        (Grave, "graves", "graves_moved", "moved_on"),
        (Enterprise, "enterprises", "enterprises_moved", "moved_on"),
    ):
        for row in (
            model.objects.filter(village__path__startswith=root.path)
            .annotate(group=key)
            .values("group")
            .annotate(n=Count("pk"), moved=Count("pk", filter=Q(**{f"{moved_field}__lte": on})))
        ):
            tally = tallies.get(row["group"])
            if tally is not None:
                setattr(tally, total, row["n"])
                setattr(tally, moved, row["moved"])
    return {t.unit: t for t in tallies.values()}


def tally_unit(unit, on):
    """The tally of one unit's whole subtree."""
    return tally_level(unit, unit.depth, on).get(unit, Tally(unit))
