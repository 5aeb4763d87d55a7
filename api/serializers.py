"""What the API sends and accepts. Money and quantities are decimal strings (never floats);
ID numbers and phones are always masked."""

from rest_framework import serializers

from campaigns.models import Campaign, Target
from duban import personal
from org.models import OrgUnit
from problems.models import Problem
from projects.models import MonthlyInvestment, Project
from reports.models import HeldFigure, ReportValue, WeeklyReport
from requisition.models import Household


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "name", "short_name", "kind", "parent", "leader", "leader_title", "sort_order"]


class TargetSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Target
        fields = ["id", "campaign", "unit", "unit_name", "indicator", "amount"]


class CampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = ["id", "name", "slogan", "owner", "start", "end", "goals", "yellow_gap", "red_gap"]


class ProgressRowSerializer(serializers.Serializer):
    """A row of campaign_progress (campaigns/progress.py)."""

    unit_id = serializers.IntegerField(allow_null=True)
    unit = serializers.CharField()
    indicator = serializers.CharField()
    target = serializers.DecimalField(max_digits=20, decimal_places=2)
    done = serializers.DecimalField(max_digits=20, decimal_places=2)
    done_pct = serializers.DecimalField(max_digits=20, decimal_places=2)
    elapsed_pct = serializers.DecimalField(max_digits=20, decimal_places=2)
    gap = serializers.DecimalField(max_digits=20, decimal_places=2)
    status = serializers.CharField()
    projected_finish = serializers.DateField(allow_null=True)
    needed_per_week = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)


class ProgressSerializer(serializers.Serializer):
    campaign = serializers.IntegerField()
    as_of = serializers.DateField()
    week = serializers.CharField()
    elapsed_pct = serializers.DecimalField(max_digits=20, decimal_places=2)
    rows = ProgressRowSerializer(many=True)
    totals = ProgressRowSerializer(many=True)


class LeagueEntrySerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    prev_rank = serializers.IntegerField(allow_null=True)
    change = serializers.IntegerField(allow_null=True)
    unit_id = serializers.IntegerField()
    unit = serializers.CharField()
    done_pct = serializers.DecimalField(max_digits=20, decimal_places=2)
    status = serializers.CharField(allow_null=True)


class LeagueSerializer(serializers.Serializer):
    campaign = serializers.IntegerField()
    week = serializers.CharField()
    indicator = serializers.CharField()
    entries = LeagueEntrySerializer(many=True)


class ReportValueSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ReportValue
        fields = ["indicator", "amount"]


class HeldFigureSerializer(serializers.ModelSerializer):
    """A figure held back as implausible: counted nowhere until the reporter confirms it."""

    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    confirmed = serializers.SerializerMethodField()

    class Meta:
        model = HeldFigure
        fields = ["indicator", "amount", "bound", "confirmed"]

    def get_confirmed(self, obj) -> bool:
        return obj.confirmed_at is not None


class ReportSerializer(serializers.ModelSerializer):
    week = serializers.CharField(source="week.label", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    values = ReportValueSerializer(many=True, read_only=True)
    held = HeldFigureSerializer(many=True, read_only=True)

    class Meta:
        model = WeeklyReport
        fields = [
            "id",
            "unit",
            "unit_name",
            "week",
            "week_end",
            "status",
            "progress_text",
            "experience_text",
            "problems_text",
            "submitted_at",
            "returned_reason",
            "updated_at",
            "version",
            "values",
            "held",
        ]


class SubmitSerializer(serializers.Serializer):
    """A weekly report, submitted for one of the caller's own units."""

    unit = serializers.IntegerField()
    week = serializers.RegexField(r"^\d{4}-W\d{2}$", help_text="ISO week label, e.g. 2026-W47")
    values = serializers.DictField(
        child=serializers.CharField(allow_blank=True), help_text="{indicator code: amount as a decimal string}"
    )
    progress_text = serializers.CharField(allow_blank=True, max_length=5000)
    experience_text = serializers.CharField(allow_blank=True, max_length=5000, required=False, default="")
    problems_text = serializers.CharField(allow_blank=True, max_length=5000, required=False, default="")
    version = serializers.IntegerField(
        required=False, min_value=0, help_text="the report's version you read (0: none yet); a newer one refuses"
    )


class ProjectSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "name",
            "level",
            "category",
            "stage",
            "unit",
            "unit_name",
            "leader",
            "location",
            "total_investment",
            "progress_text",
            "problems_text",
            "updated_at",
        ]


class InvestmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = MonthlyInvestment
        fields = ["month", "amount"]


class HouseholdSerializer(serializers.ModelSerializer):
    """A ledger household with its ID number and phone masked, for every role: a full number in
    the API would be a reveal without the reveal log."""

    id_number = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()

    class Meta:
        model = Household
        fields = [
            "id",
            "village",
            "number",
            "head_name",
            "id_number",
            "phone",
            "members",
            "use",
            "legal_area",
            "unlicensed_area",
            "land_area",
            "compensation",
            "stage",
            "visited_on",
            "measured_on",
            "assessed_on",
            "signed_on",
            "vacated_on",
            "demolished_on",
            "delivered_on",
        ]

    def get_id_number(self, household) -> str:
        return personal.mask_id(household.id_number)

    def get_phone(self, household) -> str:
        return personal.mask_phone(household.phone)


class ProblemSerializer(serializers.ModelSerializer):
    raised_by_unit_name = serializers.CharField(source="raised_by_unit.name", read_only=True)
    responsible_name = serializers.CharField(source="responsible.name", read_only=True, allow_null=True)
    colour = serializers.CharField(
        read_only=True, help_text="red: overdue; blue: due within 3 days; yellow: past half its time with no progress"
    )

    class Meta:
        model = Problem
        fields = [
            "id",
            "title",
            "description",
            "category",
            "source",
            "status",
            "colour",
            "campaign",
            "raised_by_unit",
            "raised_by_unit_name",
            "responsible",
            "responsible_name",
            "project",
            "village",
            "deadline",
            "created_at",
            "assigned_at",
            "solved_at",
        ]


class TokenRequestSerializer(serializers.Serializer):
    """Asking for an API token with a user name and password (and the second factor's code)."""

    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False, style={"input_type": "password"})
    code = serializers.CharField(
        max_length=10,
        required=False,
        allow_blank=True,
        help_text="the authenticator app's current code: required for an account with a second factor",
    )
    name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="what the token is for (default: API)"
    )
    days = serializers.IntegerField(
        required=False, min_value=1, help_text="lifetime in days (default and upper bound: the site's settings)"
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="the key, shown only now: send it as `Authorization: Token <key>`")
    name = serializers.CharField()
    expires_at = serializers.DateTimeField()
