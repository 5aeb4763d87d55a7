from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.models import AccountSecurity
from audit.models import Entry
from audit.trail import record


@admin.register(AccountSecurity)
class AccountSecurityAdmin(admin.ModelAdmin):
    """The office's levers: force a password change; take away a lost phone's second factor."""

    list_display = ["user", "must_change_password", "totp_enabled_at"]
    list_filter = ["must_change_password"]
    search_fields = ["user__username"]
    readonly_fields = ["totp_enabled_at"]
    actions = ["remove_second_factor"]

    @admin.action(description=_("Remove the authenticator app (lost phone)"))
    def remove_second_factor(self, request, queryset):
        for security in queryset:
            security.totp_secret, security.totp_enabled_at, security.totp_last_step = "", None, 0
            security.save()
            record(Entry.Action.SECURITY, security.user, request=request, note="second factor removed by admin")
