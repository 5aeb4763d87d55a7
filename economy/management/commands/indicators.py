"""python manage.py indicators --unit 福州高新区 --period 2021-Q1 --format json|text

A unit's economic indicators for a period (1-N月累计 to the period's last month) with their 比增
computed from the stored figures of both years."""

import json

from django.core.management.base import BaseCommand, CommandError

from economy import growth
from org.models import OrgUnit


def unit_of(text):
    units = OrgUnit.objects.filter(pk=int(text)) if text.isdigit() else OrgUnit.objects.filter(name=text)
    units = list(units[:2])
    if len(units) != 1:
        raise CommandError(f"unit {text!r}: {'not found' if not units else 'ambiguous, give its id'}")
    return units[0]


def as_dict(unit, period, readings):
    return {
        "unit": unit.name,
        "period": period.key,
        "months": f"1-{period.end.month}月",
        "indicators": [
            {
                "code": r.indicator.code,
                "name": r.indicator.short_name or r.indicator.name,
                "unit": r.indicator.unit_of_measure,
                "value": None if r.cumulative is None else str(r.cumulative.normalize()),
                "last_year": None if r.last_cumulative is None else str(r.last_cumulative.normalize()),
                "growth_pct": None if r.growth is None else str(r.growth_rounded),
                "note": r.growth_note,
            }
            for r in readings
        ],
    }


class Command(BaseCommand):
    help = "Print a unit's economic indicators for a period with their year-on-year growth (比增)."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="unit name or id")
        parser.add_argument("--period", required=True, help="2021-03, 2021-Q1, 2021-H1 or 2021")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, **options):
        unit = unit_of(options["unit"])
        try:
            period = growth.period_from_key(options["period"])
        except ValueError:
            raise CommandError(f"period {options['period']!r}: write 2021-03, 2021-Q1, 2021-H1 or 2021") from None
        readings = growth.readings(unit, period.end.year, period.end.month)
        data = as_dict(unit, period, readings)
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{unit.name} {period.end.year}年{data['months']}")
        for r in readings:
            name = r.indicator.short_name or r.indicator.name
            value = "—" if r.cumulative is None else f"{r.value_text}{r.indicator.unit_of_measure}"
            tail = f"比增{r.growth_rounded}%" if r.growth is not None else r.growth_note
            self.stdout.write(f"{name} {value}，{tail}")
