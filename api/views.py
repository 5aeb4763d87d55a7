"""The REST API. Every endpoint reads through org.scoping (the same helper as the pages): what a
page would show a user as a 404 is a 404 here, what it would refuse is a 403. Lists are paged;
the project list takes the web list's filters (projects/filters.py)."""

from datetime import date

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers as s
from campaigns.access import get_campaign
from campaigns.models import Campaign, Target
from campaigns.progress import campaign_progress, clamp_to_campaign
from duban import periods, punctuation
from duban.params import int_param
from org.scoping import get_unit, scope_for
from problems.filters import by_colour, filter_problems, with_colours
from problems.models import Problem
from projects import filters
from projects.models import MonthlyInvestment, Project
from ranking.league import OVERALL, league_table
from reports import entry
from reports.models import HeldFigure, ReportValue, WeeklyReport
from requisition import search
from requisition.models import Household


def _int_param(request, name):
    return int_param(request.query_params, name)


def _week_param(request, name="week", default=None):
    raw = request.query_params.get(name)
    if not raw:
        return default
    try:
        return periods.parse_week(raw)
    except ValueError:
        raise ValidationError({name: _("Enter a week as YYYY-Www, e.g. 2026-W47.")}) from None


UNIT = OpenApiParameter("unit", int, description="org unit id")
WEEK = OpenApiParameter("week", str, description="ISO week label YYYY-Www")


class UnitList(generics.ListAPIView):
    """Org units the caller may read."""

    serializer_class = s.UnitSerializer

    def get_queryset(self):
        units = scope_for(self.request).units().order_by("path")
        if (kind := self.request.query_params.get("kind")) is not None:
            units = units.filter(kind=kind)
        return units


class UnitDetail(generics.RetrieveAPIView):
    serializer_class = s.UnitSerializer

    def get_object(self):
        return get_unit(self.request, self.kwargs["pk"])


class CampaignList(generics.ListAPIView):
    serializer_class = s.CampaignSerializer

    def get_queryset(self):
        return Campaign.objects.visible_to(scope_for(self.request)).order_by("-start", "pk")


class CampaignDetail(generics.RetrieveAPIView):
    serializer_class = s.CampaignSerializer

    def get_object(self):
        return get_campaign(self.request, self.kwargs["pk"])


class TargetList(generics.ListAPIView):
    """Targets of the campaigns the caller may open (?campaign=, ?unit=)."""

    serializer_class = s.TargetSerializer

    @extend_schema(parameters=[OpenApiParameter("campaign", int), UNIT])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        targets = Target.objects.filter(
            campaign__in=Campaign.objects.visible_to(scope_for(self.request))
        ).select_related("unit", "indicator")
        if (campaign := _int_param(self.request, "campaign")) is not None:
            targets = targets.filter(campaign_id=campaign)
        if (unit := _int_param(self.request, "unit")) is not None:
            targets = targets.filter(unit_id=unit)
        return targets.order_by("campaign_id", "unit__path", "indicator__sort_order")


class CampaignProgress(APIView):
    """Target, done, done %, time elapsed %, gap and status per unit and in total."""

    @extend_schema(
        parameters=[OpenApiParameter("at", OpenApiTypes.DATE, description="as of this date (default: today)")],
        responses=s.ProgressSerializer,
    )
    def get(self, request, pk):
        campaign = get_campaign(request, pk)
        at = None
        if raw := request.query_params.get("at"):
            try:
                at = clamp_to_campaign(campaign, date.fromisoformat(raw))
            except ValueError:
                raise ValidationError({"at": _("Enter a date as YYYY-MM-DD.")}) from None
        progress = campaign_progress(campaign, as_of=at)
        data = {
            "campaign": campaign.pk,
            "as_of": progress.as_of,
            "week": progress.week.label,
            "elapsed_pct": progress.elapsed_pct,
            "rows": [row.as_dict() for row in progress.rows.values()],
            "totals": [row.as_dict() for row in progress.totals.values()],
        }
        return Response(s.ProgressSerializer(data).data)


class CampaignLeague(APIView):
    """The weekly league table, with each unit's rank change."""

    @extend_schema(
        parameters=[WEEK, OpenApiParameter("indicator", str, description="indicator code or 'overall'")],
        responses=s.LeagueSerializer,
    )
    def get(self, request, pk):
        campaign = get_campaign(request, pk)
        week = _week_param(request) or periods.week_of(clamp_to_campaign(campaign, timezone.localdate()))
        code = request.query_params.get("indicator") or OVERALL
        if code != OVERALL and not campaign.targets.filter(indicator__code=code).exists():
            raise ValidationError({"indicator": _("This campaign has no target for that indicator.")})
        table = league_table(campaign, week, code)
        data = {
            "campaign": campaign.pk,
            "week": week.label,
            "indicator": code,
            "entries": [
                {
                    "rank": e.rank,
                    "prev_rank": e.prev_rank,
                    "change": e.change,
                    "unit_id": e.unit.pk,
                    "unit": e.unit.name,
                    "done_pct": e.done_pct,
                    "status": e.status.value if e.status else None,
                }
                for e in table.entries
            ],
        }
        return Response(s.LeagueSerializer(data).data)


class ReportList(generics.ListAPIView):
    """Weekly reports of the units the caller may read (?unit=, ?week=, ?status=)."""

    serializer_class = s.ReportSerializer

    @extend_schema(parameters=[UNIT, WEEK, OpenApiParameter("status", str, enum=WeeklyReport.Status.values)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        reports = WeeklyReport.objects.filter(unit__in=scope_for(self.request).units())
        if (unit := _int_param(self.request, "unit")) is not None:
            reports = reports.filter(unit_id=unit)
        if (week := _week_param(self.request)) is not None:
            reports = reports.filter(week_end=week.end)
        if status_ := self.request.query_params.get("status"):
            reports = reports.filter(status=status_)
        values = Prefetch("values", ReportValue.objects.select_related("indicator"))
        held = Prefetch("held", HeldFigure.objects.select_related("indicator"))
        return reports.select_related("unit").prefetch_related(values, held).order_by("-week_end", "unit__path")


class ReportDetail(generics.RetrieveAPIView):
    serializer_class = s.ReportSerializer

    def get_object(self):
        report = WeeklyReport.objects.select_related("unit").filter(pk=self.kwargs["pk"]).first()
        if report is None:
            raise Http404
        get_unit(self.request, report.unit_id)
        return report


class ReportSubmit(APIView):
    """Submit a weekly report for one of the caller's own units: the same checks as the page."""

    @extend_schema(request=s.SubmitSerializer, responses={201: s.ReportSerializer})
    def post(self, request):
        form = s.SubmitSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            week = periods.parse_week(data["week"])
        except ValueError:
            raise ValidationError({"week": _("Enter a week as YYYY-Www, e.g. 2026-W47.")}) from None
        unit = get_unit(request, data["unit"])
        if not scope_for(request).owns(unit):
            raise PermissionDenied(_("You may read this unit's reports but not submit them."))
        lines = entry.report_lines(unit, week)
        by_code = {line.indicator.code: line for line in lines}
        unknown = sorted(set(data["values"]) - set(by_code))
        if unknown:
            message = _("Not indicators of this report: %(codes)s") % {"codes": punctuation.names(unknown)}
            raise ValidationError({"values": message})
        posted = {by_code[code].field_name: amount for code, amount in data["values"].items()}
        posted.update({name: data[name] for name in ("progress_text", "experience_text", "problems_text")})
        posted["version"] = data.get("version")
        try:
            report, _warnings = entry.save_report(unit, week, request.user, posted, submit=True)
        except entry.ReportError as err:
            detail = {"detail": err.message}
            if err.field_errors:
                names = {line.field_name: line.indicator.code for line in lines}
                detail["fields"] = {names.get(k, k): v for k, v in err.field_errors.items()}
            return Response(detail, status=status.HTTP_400_BAD_REQUEST)
        fresh = WeeklyReport.objects.prefetch_related("values__indicator", "held__indicator").select_related("unit")
        report = fresh.get(pk=report.pk)
        return Response(s.ReportSerializer(report).data, status=status.HTTP_201_CREATED)


class ProjectList(generics.ListAPIView):
    """Key projects, with the web list's filters (year, month, level, category, stage, unit, leader,
    campaign, behind, overdue)."""

    serializer_class = s.ProjectSerializer

    def get_queryset(self):
        f, projects, _figures, _time_pct = filters.for_request(scope_for(self.request), self.request.query_params)
        if f.errors:
            raise ValidationError({"filters": f.errors})
        return projects.select_related("unit").order_by("pk")


class ProjectDetail(generics.RetrieveAPIView):
    serializer_class = s.ProjectSerializer

    def get_object(self):
        project = (
            Project.objects.visible_to(scope_for(self.request))
            .select_related("unit")
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if project is None:
            raise Http404
        return project


class ProjectInvestment(generics.ListAPIView):
    """A project's completed investment by month."""

    serializer_class = s.InvestmentSerializer

    def get_queryset(self):
        if not Project.objects.visible_to(scope_for(self.request)).filter(pk=self.kwargs["pk"]).exists():
            raise Http404
        return MonthlyInvestment.objects.filter(project_id=self.kwargs["pk"]).order_by("month")


class HouseholdList(generics.ListAPIView):
    """Ledger households of the villages the caller may read, masked (?village=, ?stage=, ?q=)."""

    serializer_class = s.HouseholdSerializer
    throttle_classes = [search.HouseholdSearchThrottle]

    @extend_schema(
        parameters=[
            OpenApiParameter("village", int),
            OpenApiParameter("stage", str),
            OpenApiParameter(
                "q",
                str,
                description="part of the name or household number; a whole ID or phone number, or its last 4 "
                "characters",
            ),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        households = Household.objects.visible_to(scope_for(self.request))
        if (village := _int_param(self.request, "village")) is not None:
            households = households.filter(village_id=village)
        if stage := self.request.query_params.get("stage"):
            households = households.filter(stage=stage)
        q = self.request.query_params.get("q")
        return search.find_logged(self.request, households, q).order_by("village_id", "number")

    def throttled(self, request, wait):
        raise Throttled(wait, detail=search.too_many_message())


class ProblemList(generics.ListAPIView):
    """Coordination problems the caller may see, with the web list's filters (status — default
    the open ones, or all —, category, source, responsible, leader, campaign, unit, colour)."""

    serializer_class = s.ProblemSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=["open", "all", *Problem.Status.values]),
            OpenApiParameter("category", str, enum=Problem.Category.values),
            OpenApiParameter("colour", str, enum=["red", "blue", "yellow"]),
            OpenApiParameter("campaign", int),
            OpenApiParameter("responsible", int),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        problems = filter_problems(Problem.objects.visible_to(scope_for(self.request)), self.request.query_params)
        if (colour := self.request.query_params.get("colour")) in ("red", "blue", "yellow"):
            problems = by_colour(problems, colour, timezone.localdate())
        return problems.select_related("raised_by_unit", "responsible").order_by("-created_at", "-pk")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return with_colours(page, timezone.localdate()) if page is not None else page
