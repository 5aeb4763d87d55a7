"""Land figures, read from the records (never typed twice):

- a village's land is what the requisition ledger records for its households (土地面积, 亩);
  a batch may not ask for more than its villages hold (land.forms);
- a village set is 征迁到位 (fully relocated) when every household of it has delivered its land
  (交地 dated in the ledger);
- a parcel is "拿地即可开工" when its villages are fully relocated (a parcel of no village —
  existing state-owned land — has nothing to relocate) and 清表 and the 七通一平 are all dated;
- a project's land: 亩 planned (parcels assigned to it), 亩 supplied (those with a supply
  date), and whether the households of its batches' villages are all relocated.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from land.models import READINESS, READINESS_FIELDS, BatchStatus, LandBatch, Parcel
from requisition.models import Household

ZERO = Decimal(0)


def village_land(village_ids):
    """The 亩 of land the ledger records for the households of these villages."""
    if not village_ids:
        return ZERO
    return Household.objects.filter(village_id__in=list(village_ids)).aggregate(s=Sum("land_area"))["s"] or ZERO


def land_by_village(village_ids):
    """{village_id: 亩 the ledger records} (one grouped query)."""
    rows = Household.objects.filter(village_id__in=list(village_ids)).values("village_id").annotate(s=Sum("land_area"))
    return {row["village_id"]: row["s"] or ZERO for row in rows}


@dataclass
class Relocation:
    households: int = 0
    delivered: int = 0

    @property
    def complete(self):
        return self.delivered == self.households

    @property
    def left(self):
        return self.households - self.delivered


def relocation_by_village(village_ids):
    """{village_id: Relocation} from the ledger (one grouped query)."""
    found = defaultdict(Relocation)
    rows = (
        Household.objects.filter(village_id__in=list(village_ids))
        .values("village_id")
        .annotate(n=Count("pk"), done=Count("pk", filter=Q(delivered_on__isnull=False)))
    )
    for row in rows:
        found[row["village_id"]] = Relocation(row["n"], row["done"])
    return found


def relocation(village_ids, by_village=None):
    by_village = relocation_by_village(village_ids) if by_village is None else by_village
    total = Relocation()
    for vid in set(village_ids):
        r = by_village.get(vid, Relocation())
        total.households += r.households
        total.delivered += r.delivered
    return total


@dataclass
class ParcelState:
    parcel: Parcel
    village_ids: list
    relocation: Relocation

    @property
    def requisition_done(self):
        return self.relocation.complete

    @property
    def missing(self):
        """Labels of the items not yet in (征迁 first)."""
        items = [] if self.requisition_done else [str(REQUISITION_LABEL)]
        return items + [str(label) for name, label in READINESS if not getattr(self.parcel, name)]

    @property
    def ready(self):
        """拿地即可开工."""
        return self.requisition_done and self.parcel.site_ready

    @property
    def items_done(self):
        return sum(1 for name in READINESS_FIELDS if getattr(self.parcel, name)) + (1 if self.requisition_done else 0)


ITEM_COUNT = len(READINESS_FIELDS) + 1  # the dated items and 征迁


REQUISITION_LABEL = _("Requisition complete (征迁)")


def parcel_states(parcels):
    """[ParcelState] of the parcels, with their villages' relocation (two queries)."""
    parcels = list(parcels)
    through = Parcel.villages.through.objects.filter(parcel_id__in=[p.pk for p in parcels])
    villages = defaultdict(list)
    for parcel_id, village_id in through.values_list("parcel_id", "orgunit_id"):
        villages[parcel_id].append(village_id)
    by_village = relocation_by_village({v for vs in villages.values() for v in vs})
    return [ParcelState(p, villages[p.pk], relocation(villages[p.pk], by_village)) for p in parcels]


def batch_villages(batches):
    """{batch_id: [village_id]} (one query)."""
    found = defaultdict(list)
    through = LandBatch.villages.through.objects.filter(landbatch_id__in=[b.pk for b in batches])
    for batch_id, village_id in through.values_list("landbatch_id", "orgunit_id"):
        found[batch_id].append(village_id)
    return found


@dataclass
class BatchTotals:
    count: int = 0
    area: Decimal = ZERO
    by_status: dict = field(default_factory=dict)  # status -> (count, area)


def batch_totals(batches):
    totals = BatchTotals(by_status={s: [0, ZERO] for s in BatchStatus})
    for b in batches:
        totals.count += 1
        totals.area += b.area
        totals.by_status[b.status][0] += 1
        totals.by_status[b.status][1] += b.area
    return totals


@dataclass
class PhaseFigures:
    phase: str
    parcels: int = 0
    area: Decimal = ZERO
    ready: int = 0
    ready_area: Decimal = ZERO
    requisition_done_area: Decimal = ZERO
    cleared_area: Decimal = ZERO
    levelled_area: Decimal = ZERO
    services_area: Decimal = ZERO  # 七通 all in

    @property
    def all_ready(self):
        return self.parcels > 0 and self.ready == self.parcels


SERVICES = ["water_on", "drainage_on", "power_on", "telecom_on", "road_on", "gas_on", "heat_on"]


def phase_figures(states):
    """{phase: PhaseFigures} of parcel states, in the order phases first appear."""
    found = {}
    for s in states:
        f = found.setdefault(s.parcel.phase, PhaseFigures(s.parcel.phase))
        p = s.parcel
        f.parcels += 1
        f.area += p.area
        if s.ready:
            f.ready += 1
            f.ready_area += p.area
        if s.requisition_done:
            f.requisition_done_area += p.area
        if p.cleared_on:
            f.cleared_area += p.area
        if p.levelled_on:
            f.levelled_area += p.area
        if all(getattr(p, n) for n in SERVICES):
            f.services_area += p.area
    return found


@dataclass
class ProjectLand:
    planned: Decimal = ZERO  # 亩 of the parcels assigned to the project
    supplied: Decimal = ZERO  # of which supplied (dated)
    parcels: list = field(default_factory=list)  # ParcelState
    batches: list = field(default_factory=list)
    relocation: Relocation = field(default_factory=Relocation)

    @property
    def all_relocated(self):
        """项目用地全部征迁到位: the households of its batches' and parcels' villages have all
        delivered their land (and there is some land to speak of)."""
        return bool(self.batches or self.parcels) and self.relocation.complete

    @property
    def all_supplied(self):
        return bool(self.parcels) and self.supplied == self.planned


def project_land(project):
    states = parcel_states(Parcel.objects.filter(project=project).order_by("code"))
    batches = list(project.land_batches.order_by("approved_on", "name"))
    villages = {v for vs in batch_villages(batches).values() for v in vs} | {v for s in states for v in s.village_ids}
    figures = ProjectLand(parcels=states, batches=batches, relocation=relocation(villages))
    for s in states:
        figures.planned += s.parcel.area
        if s.parcel.supplied_on:
            figures.supplied += s.parcel.area
    return figures


def summary(unit):
    """What land_summary prints for a unit's subtree: the batches by status, the phases."""
    batches = list(LandBatch.objects.filter(unit.within_q("unit__path")).order_by("approved_on", "name"))
    totals = batch_totals(batches)
    states = parcel_states(Parcel.objects.filter(unit.within_q("unit__path")).order_by("phase", "code"))
    phases = phase_figures(states)
    approved = [b for b in batches if b.status == BatchStatus.APPROVED]
    supplied = sum((s.parcel.area for s in states if s.parcel.supplied_on), ZERO)
    return {
        "unit": unit,
        "batches": batches,
        "totals": totals,
        "approved": approved,
        "approved_area": sum((b.area for b in approved), ZERO),
        "supplied_area": supplied,
        "phases": phases,
        "states": states,
    }
