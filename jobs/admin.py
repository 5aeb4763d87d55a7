from django.contrib import admin

from jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "owner", "status", "dry_run", "filename", "rows_done", "rows_total", "created_at"]
    list_filter = ["kind", "status"]
    exclude = ["data"]
    readonly_fields = ["kind", "owner", "unit", "status", "dry_run", "filename", "params", "rows_total", "rows_done"]
