import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from campaigns.models import Campaign
from campaigns.progress import campaign_progress, clamp_to_campaign, default_as_of
from duban.schedule import q2


class Command(BaseCommand):
    help = "Print a campaign's progress per unit and in total as of a date."

    def add_arguments(self, parser):
        parser.add_argument("campaign_id", type=int)
        parser.add_argument("--at", help="YYYY-MM-DD (default: today, within the campaign)")
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, campaign_id, at=None, format="table", **options):
        try:
            campaign = Campaign.objects.get(pk=campaign_id)
        except Campaign.DoesNotExist:
            raise CommandError(f"没有编号为 {campaign_id} 的攻坚行动") from None
        if at:
            try:
                as_of = date.fromisoformat(at)
            except ValueError:
                raise CommandError(f"日期格式应为 YYYY-MM-DD:{at}") from None
            if not campaign.start <= as_of <= campaign.end:
                raise CommandError(f"{at} 不在攻坚行动期间（{campaign.start} 至 {campaign.end}）")
        else:
            as_of = default_as_of(campaign)
        progress = campaign_progress(campaign, as_of=clamp_to_campaign(campaign, as_of))
        data = {
            "campaign": {
                "id": campaign.pk,
                "name": campaign.name,
                "start": str(campaign.start),
                "end": str(campaign.end),
            },
            "at": str(progress.as_of),
            "week": progress.week.label,
            "elapsed_pct": str(q2(progress.elapsed_pct)),
            "indicators": [
                {
                    "code": i.code,
                    "name": i.name,
                    "unit_of_measure": i.unit_of_measure,
                    "units": [r.as_dict() for r in progress.rows_for(i)],
                    "total": progress.totals[i.pk].as_dict() if i.pk in progress.totals else None,
                }
                for i in progress.indicators
            ],
        }
        if format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{campaign.name}  截至 {data['at']}  时序进度 {data['elapsed_pct']}%")
        for ind in data["indicators"]:
            self.stdout.write(f"\n{ind['name']}({ind['unit_of_measure']})")
            rows = ind["units"] + ([ind["total"]] if ind["total"] else [])
            for r in rows:
                self.stdout.write(
                    f"  {r['unit']:<12}\t目标 {r['target']:>14}\t完成 {r['done']:>14}\t完成率 {r['done_pct']:>7}%"
                    f"\t差距 {r['gap']:>8}\t{r['status']}"
                )
