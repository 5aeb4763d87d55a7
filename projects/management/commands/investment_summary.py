import json

from django.core.management.base import BaseCommand, CommandError

from duban import numbers
from org.models import OrgUnit
from projects import investment
from projects.models import Project


class Command(BaseCommand):
    help = "Print the key projects' investment totals for a year through a month."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--through-month", type=int, required=True)
        parser.add_argument("--level", choices=Project.Level.values)
        parser.add_argument("--unit", help="a unit's name or id: its subtree's projects only")
        parser.add_argument("--time", choices=investment.TIME_METHODS, default="months")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, year, through_month, level=None, unit=None, time="months", format="text", **options):
        if not 1 <= through_month <= 12:
            raise CommandError("--through-month 应为 1 到 12")
        projects = Project.objects.all()
        if level:
            projects = projects.filter(level=level)
        if unit:
            found = OrgUnit.objects.filter(pk=int(unit)) if unit.isdigit() else OrgUnit.objects.filter(name=unit)
            if len(found[:2]) != 1:
                raise CommandError(f"没有唯一名为“{unit}”的单位")
            projects = projects.filter(found[0].within_q("unit__path"))
        data = investment.total(projects, year, through_month, method=time).as_dict()
        data.update({"year": year, "through_month": through_month, "unit": "yuan"})
        if format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        yi = numbers.yi  # Decimal yuan → 亿元, two decimals, as every surface writes money
        self.stdout.write(
            f"{data['count']}个项目，总投资{yi(data['total'])}亿元，"
            f"年度计划投资{yi(data['annual_plan'])}亿元；"
            f"{year}年1-{through_month}月累计完成投资{yi(data['done'])}亿元，"
            f"完成年计划的{data['done_pct']}%（时序进度{data['elapsed_pct']}%）。"
        )
