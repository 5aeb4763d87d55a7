from django import forms
from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from duban import stale
from requisition.models import CompensationScheme, ResettlementChoice


class CompensationSchemeForm(forms.ModelForm):
    """The scheme's rates, refused when someone else saved the scheme after this page was opened
    (duban/stale.py): the entries stay, the stamp is renewed, so saving again overwrites knowingly."""

    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CompensationScheme
        fields = [
            "name",
            "unit",
            "effective_from",
            "sign_start",
            "decoration_rate",
            "moving_rate",
            "moving_minimum",
            "temporary_rate",
            "temporary_months",
            "reward_windows",
            "stoppage_rate",
            "flat_price",
            "swap_ratio",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen"].initial = stale.stamp(self.instance.updated_at)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            now = CompensationScheme.objects.filter(pk=self.instance.pk).values_list("updated_at", flat=True).first()
            if stale.is_stale(self.data.get(self.add_prefix("seen")), now):
                self.data = self.data.copy()
                self.data[self.add_prefix("seen")] = stale.stamp(now)
                raise forms.ValidationError(
                    gettext(
                        "Someone else saved this compensation scheme after you opened it; your changes were not "
                        "saved. Your entries are still in the form: check the scheme, then save again."
                    )
                )
        return cleaned


@admin.register(CompensationScheme)
class CompensationSchemeAdmin(admin.ModelAdmin):
    form = CompensationSchemeForm
    list_display = ["name", "unit", "effective_from", "sign_start"]
    list_filter = ["effective_from"]
    search_fields = ["name", "unit__name"]
    autocomplete_fields = ["unit"]
    fieldsets = [
        (None, {"fields": ["name", "unit", "effective_from", "sign_start", "seen"]}),
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
