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


@admin.register(ResettlementChoice)
class ResettlementChoiceAdmin(admin.ModelAdmin):
    """The resettlement flat a property-swap household chose (选房), recorded by the office; its
    area sets the price difference on the household's compensation sheet. Households are picked
    by number (raw id), so no ID number or phone is shown here."""

    list_display = ["household", "village", "flat", "area"]
    list_select_related = ["household__village"]
    search_fields = ["household__number", "household__head_name", "flat"]
    raw_id_fields = ["household"]

    @admin.display(description=_("village"))
    def village(self, choice):
        return choice.household.village
