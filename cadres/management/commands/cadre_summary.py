import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cadres import roster
from org.models import OrgUnit


class Command(BaseCommand):
    help = "The roster's figures of a zone: departments lending, cadres lent, by command post, pairings, towns' teams."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="the zone's name or id")
        parser.add_argument("--format", choices=("json", "text"), default="text")
        parser.add_argument("--date", help="serving on this day (YYYY-MM-DD; default today)")

    def handle(self, *args, unit, format, date=None, **options):
        zones = OrgUnit.objects.filter(kind=OrgUnit.Kind.ZONE)
        zone = zones.filter(pk=int(unit)).first() if unit.isdigit() else zones.filter(name=unit).first()
        if zone is None:
            raise CommandError(f"没有名为或编号为“{unit}”的区")
        try:
            day = timezone.datetime.fromisoformat(date).date() if date else timezone.localdate()
        except ValueError:
            raise CommandError("日期应写作 YYYY-MM-DD，例如 2020-10-23") from None
        data = roster.summary(zone, day)
        if format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        out = [
            f"{data['zone']} 抽调干部（{data['date']}）",
            f"{data['departments_lending']}个区直单位抽调{data['cadres_lent']}名干部"
            f"（含乡镇工作组共{data['cadres_lent_all']}人）",
            "按指挥部：",
        ]
        out += [f"  {r['unit']}：{r['cadres']}人（挂钩处级领导{r['leaders']}人）" for r in data["by_command_post"]]
        out.append(f"结对：{len(data['pairings'])}对")
        out += [f"  {p['unit']} ⇄ {p['paired_with']}" for p in data["pairings"]]
        out.append("乡镇工作组：")
        out += [f"  {t['town']} → {t['to']} {t['team']}：{t['cadres']}人" for t in data["town_teams"]]
        self.stdout.write("\n".join(out))
