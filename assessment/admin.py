from django.contrib import admin

from assessment.models import Part, Publication, Scheme


class PartInline(admin.TabularInline):
    model = Part
    extra = 1


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["campaign", "tie_rule", "bottom_n", "streak", "red_weeks", "updated_at"]
    inlines = [PartInline]


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    """Published tables are frozen: the admin shows them, it does not change them."""

    list_display = ["campaign", "kind", "period_key", "version", "published_at", "published_by"]
    list_filter = ["kind", "campaign"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
