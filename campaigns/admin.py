from django.contrib import admin

from campaigns.models import Campaign, Indicator, Target, Task


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit_of_measure", "kind", "higher_is_better", "sort_order"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 1
    autocomplete_fields = ["unit", "indicator"]


class TaskInline(admin.TabularInline):
    model = Task
    extra = 1
    autocomplete_fields = ["unit"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "slogan", "owner", "start", "end"]
    search_fields = ["name", "slogan"]
    date_hierarchy = "start"
    inlines = [TargetInline, TaskInline]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "campaign", "unit", "deadline", "status", "done_on"]
    list_filter = ["status", "campaign"]
    search_fields = ["title"]
