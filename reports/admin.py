from django.contrib import admin

from reports.models import ReportValue, WeekLock, WeeklyReport


class ReportValueInline(admin.TabularInline):
    model = ReportValue
    extra = 0


@admin.register(WeeklyReport)
class WeeklyReportAdmin(admin.ModelAdmin):
    list_display = ["unit", "week_end", "status", "submitted_at"]
    list_filter = ["status", "week_end"]
    search_fields = ["unit__name"]
    inlines = [ReportValueInline]


@admin.register(WeekLock)
class WeekLockAdmin(admin.ModelAdmin):
    list_display = ["week_end", "locked_at", "locked_by"]
