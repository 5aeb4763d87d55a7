"""The project list's filters, shared by the list page and the Excel export."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from duban.params import int_param, month_param, year_param
from org.models import OrgUnit
from projects import investment
from projects.models import Milestone, MonthlyInvestment, Project, YearOpening

BEHIND_POINTS = Decimal(10)  # a project this many points behind time elapsed is behind schedule


@dataclass
class Filters:
    year: int
    month: int
    level: str = ""
    category: str = ""
    stage: str = ""
    unit: OrgUnit | None = None
    leader: str = ""
    campaign: int | None = None
    behind: bool = False
    overdue: bool = False
    method: str = "months"
    errors: list = field(default_factory=list)

    def query(self):
        """The filters as URL parameters (for links that keep them)."""
        params = {"year": self.year, "month": self.month}
        for name in ("level", "category", "stage", "leader"):
            if getattr(self, name):
                params[name] = getattr(self, name)
        if self.unit:
            params["unit"] = self.unit.pk
        if self.campaign:
            params["campaign"] = self.campaign
        if self.behind:
            params["behind"] = "1"
        if self.overdue:
            params["overdue"] = "1"
        if self.method != "months":
            params["time"] = self.method
        return params


def latest_month(projects):
    """The latest month with any investment among the projects (a year's opening through month
    N counts as month N), else the current month."""
    last = (
        MonthlyInvestment.objects.filter(project__in=projects)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    opening = (
        YearOpening.objects.filter(project__in=projects)
        .order_by("-year", "-as_of")
        .values_list("year", "as_of")
        .first()
    )
    if opening is not None:
        opened = date(opening[0], opening[1], 1)
        last = max(last, opened) if last else opened
    return last or timezone.localdate().replace(day=1)


def parse(params, projects, units):
    """Filters from GET parameters; unknown choices are ignored, a number out of its bounds is
    refused (duban.params.BadParameter, a 400)."""
    default = latest_month(projects) if not (params.get("year") and params.get("month")) else timezone.localdate()
    f = Filters(
        year=year_param(params) or default.year,
        month=month_param(params) or default.month,
    )
    for name, choices in (("level", Project.Level), ("category", Project.Category), ("stage", Project.Stage)):
        value = params.get(name, "")
        if value in choices.values:
            setattr(f, name, value)
    if unit_id := int_param(params, "unit"):
        f.unit = units.filter(pk=unit_id).first()
    f.leader = (params.get("leader") or "").strip()[:50]
    f.campaign = int_param(params, "campaign")
    f.behind = params.get("behind") == "1"
    f.overdue = params.get("overdue") == "1"
    f.method = params.get("time") if params.get("time") in ("months", "days") else "months"
    return f


def apply(projects, f, today=None):
    """Filter a project queryset by everything but `behind` (which needs the figures)."""
    today = today or timezone.localdate()
    q = Q()
    if f.level:
        q &= Q(level=f.level)
    if f.category:
        q &= Q(category=f.category)
    if f.stage:
        q &= Q(stage=f.stage)
    if f.unit:
        q &= f.unit.within_q("unit__path")
    if f.leader:
        q &= Q(leader__icontains=f.leader)
    if f.campaign:
        q &= Q(campaigns__id=f.campaign)
    projects = projects.filter(q)
    if f.overdue:
        overdue = Milestone.objects.filter(project=OuterRef("pk"), actual__isnull=True, planned__lt=today)
        projects = projects.filter(Exists(overdue))
    return projects.distinct() if f.campaign else projects


def is_behind(figures, elapsed_pct):
    pct = figures.done_pct
    return pct is not None and pct < elapsed_pct - BEHIND_POINTS


def for_request(scope, params):
    """The list page's (and the export's) projects: the user's visible projects through the
    filters. Returns (filters, projects, {project_id: Figures}, time elapsed %)."""
    visible = Project.objects.visible_to(scope)
    f = parse(params, visible, scope.units())
    projects = apply(visible, f)
    elapsed_pct = investment.elapsed_pct(f.year, f.month, f.method)
    figures = investment.project_figures(projects, f.year, f.month)
    if f.behind:
        projects = projects.filter(pk__in=[pk for pk, fig in figures.items() if is_behind(fig, elapsed_pct)])
    return f, projects, figures, elapsed_pct
