from django.contrib import admin, messages
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from dashboard.models import KioskToken


@admin.register(KioskToken)
class KioskTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "campaign", "hint", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    fields = ["name", "unit", "campaign", "hint", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["hint", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if not change:
            raw = obj.new_key()
            obj.created_by = request.user
            url = request.build_absolute_uri(reverse("screen") + "?" + urlencode({"kiosk": raw}))
            messages.warning(request, _("The screen's address (shown only now): %(url)s") % {"url": url})
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Revoke the selected kiosk tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            token.revoke()
