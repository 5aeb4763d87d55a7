from django.contrib import admin

from bulletins.models import Bulletin, BulletinFile


class BulletinFileInline(admin.TabularInline):
    model = BulletinFile
    extra = 0
    readonly_fields = ["format", "file", "sha256", "size"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    """Issued documents are archived as they were sent: shown here, never changed."""

    list_display = ["title", "campaign", "kind", "year", "number", "period_key", "issued_at", "issued_by"]
    list_filter = ["kind", "campaign", "year"]
    inlines = [BulletinFileInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
