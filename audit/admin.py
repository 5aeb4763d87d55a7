from django.contrib import admin

from audit.models import Entry


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    """Read-only: the trail can be looked at, never added to, changed or deleted here."""

    list_display = ["at", "username", "address", "action", "model", "object_id", "object_repr"]
    list_filter = ["action", "model"]
    search_fields = ["username", "object_id", "object_repr", "note"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in Entry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
