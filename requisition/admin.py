from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from requisition.models import CompensationScheme, ResettlementChoice


@admin.register(CompensationScheme)
class CompensationSchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "effective_from", "sign_start"]
    list_filter = ["effective_from"]
    search_fields = ["name", "unit__name"]
    autocomplete_fields = ["unit"]
    fieldsets = [
        (None, {"fields": ["name", "unit", "effective_from", "sign_start"]}),
        (
            _("Rates"),
            {
                "fields": [
                    "decoration_rate",
                    ("moving_rate", "moving_minimum"),
                    ("temporary_rate", "temporary_months"),
                    "reward_windows",
                    "stoppage_rate",
                    ("flat_price", "swap_ratio"),
                ]
            },
        ),
    ]


class ResettlementChoiceInline(admin.StackedInline):
    """The chosen resettlement flat (产权调换), for the household admin: `inlines = [ResettlementChoiceInline]`."""

    model = ResettlementChoice
    extra = 0
