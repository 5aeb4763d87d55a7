"""python manage.py land_summary --unit <name or id> [--format json|text]

A unit's land figures from the records: the batches approved and their 亩 (and every batch by
status), the 亩 supplied, and each phase's 亩 with its readiness (征迁, 清表, 场平, 七通, 拿地即可开工).
"""

import json

from django.core.management.base import BaseCommand, CommandError

from duban.numbers import num
from land import figures
from land.models import BatchStatus
from org.models import OrgUnit


def _mu(value):
    return str(value.quantize(figures.ZERO.scaleb(-2)))


def find_unit(text):
    units = OrgUnit.objects.filter(pk=int(text)) if text.isdigit() else OrgUnit.objects.filter(name=text)
    units = list(units[:2])
    if not units:
        raise CommandError(f"没有名为“{text}”的单位。")
    if len(units) > 1:
        raise CommandError(f"有多个名为“{text}”的单位,请用编号指定。")
    return units[0]


def as_data(found):
    totals = found["totals"]
    return {
        "unit": found["unit"].name,
        "batches_approved": len(found["approved"]),
        "mu_approved": _mu(found["approved_area"]),
        "mu_supplied": _mu(found["supplied_area"]),
        "batches_by_status": {
            s.value: {"count": totals.by_status[s][0], "mu": _mu(totals.by_status[s][1])} for s in BatchStatus
        },
        "approved": [
            {"name": b.name, "mu": _mu(b.area), "approved_on": b.approved_on.isoformat()} for b in found["approved"]
        ],
        "phases": [
            {
                "phase": f.phase,
                "parcels": f.parcels,
                "mu": _mu(f.area),
                "mu_requisitioned": _mu(f.requisition_done_area),
                "mu_cleared": _mu(f.cleared_area),
                "mu_levelled": _mu(f.levelled_area),
                "mu_seven_services": _mu(f.services_area),
                "mu_ready_to_build": _mu(f.ready_area),
                "all_ready_to_build": f.all_ready,
            }
            for f in found["phases"].values()
        ],
    }


class Command(BaseCommand):
    help = "A unit's land approval batches and supply, from the records."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="the unit's name or id")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, **options):
        data = as_data(figures.summary(find_unit(options["unit"])))
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        lines = [
            f"{data['unit']}：已有{data['batches_approved']}个批次{num(data['mu_approved'])}亩土地手续获批；"
            f"已供地{num(data['mu_supplied'])}亩。"
        ]
        for b in data["approved"]:
            lines.append(f"  {b['name']} {num(b['mu'])}亩 获批于{b['approved_on']}")
        for f in data["phases"]:
            state = "全部拿地即可开工" if f["all_ready_to_build"] else f"拿地即可开工{num(f['mu_ready_to_build'])}亩"
            lines.append(
                f"{f['phase'] or '未分期'}：{f['parcels']}宗地块{num(f['mu'])}亩，"
                f"征迁到位{num(f['mu_requisitioned'])}亩，清表{num(f['mu_cleared'])}亩，"
                f"场地平整{num(f['mu_levelled'])}亩，七通到位{num(f['mu_seven_services'])}亩；{state}。"
            )
        self.stdout.write("\n".join(lines))
