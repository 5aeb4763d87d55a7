from django.contrib import admin

from projects.models import AnnualPlan, Approval, Milestone, MonthlyInvestment, Project, PromotionProject


class AnnualPlanInline(admin.TabularInline):
    model = AnnualPlan
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class ApprovalInline(admin.TabularInline):
    model = Approval
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "category", "stage", "unit", "leader"]
    list_filter = ["level", "category", "stage"]
    search_fields = ["code", "name", "leader"]
    autocomplete_fields = ["unit"]
    filter_horizontal = ["campaigns"]
    inlines = [AnnualPlanInline, MilestoneInline, ApprovalInline]


@admin.register(MonthlyInvestment)
class MonthlyInvestmentAdmin(admin.ModelAdmin):
    list_display = ["project", "month", "amount"]
    date_hierarchy = "month"
    search_fields = ["project__name", "project__code"]


@admin.register(PromotionProject)
class PromotionProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "investor", "unit", "amount", "stage", "signed_on"]
    list_filter = ["stage"]
    search_fields = ["name", "investor"]
