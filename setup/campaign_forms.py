from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign, Indicator
from setup.people_forms import UnitChoice


class CampaignForm(forms.ModelForm):
    owner = UnitChoice(label=gettext_lazy("Owning unit"), queryset=None)

    class Meta:
        model = Campaign
        fields = ["name", "slogan", "owner", "start", "end", "goals", "yellow_gap", "red_gap", "hold_factor"]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "goals": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = units
        self.fields["owner"].error_messages["invalid_choice"] = _("Choose one of your own units.")
        # The thresholds have defaults: a form left blank keeps them (the campaign's, or the model's)
        for name in self.OPTIONAL:
            self.fields[name].required = False

    OPTIONAL = ("yellow_gap", "red_gap", "hold_factor")

    def clean(self):
        data = super().clean()
        for name in self.OPTIONAL:
            if data.get(name) is None and name not in self.errors:
                data[name] = getattr(self.instance, name) or Campaign._meta.get_field(name).default
        return data


class IndicatorChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class IndicatorsForm(forms.Form):
    indicators = IndicatorChoice(
        label=gettext_lazy("Indicators"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    new_name = forms.CharField(label=gettext_lazy("New indicator: name"), max_length=100, required=False)
    new_unit = forms.CharField(
        label=gettext_lazy("Its unit of measure (亩, 户, m², 万元 …)"), max_length=20, required=False
    )
    new_kind = forms.ChoiceField(
        label=gettext_lazy("Its kind"),
        choices=[(k, v) for k, v in Indicator.Kind.choices if k != Indicator.Kind.RATIO],
        initial=Indicator.Kind.FLOW,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].queryset = Indicator.objects.exclude(kind=Indicator.Kind.RATIO).order_by(
            "sort_order", "code"
        )

    def clean(self):
        data = super().clean()
        name, unit = (data.get("new_name") or "").strip(), (data.get("new_unit") or "").strip()
        if name and not unit:
            self.add_error("new_unit", _("A new indicator needs its unit of measure."))
        if name and Indicator.objects.filter(name=name, unit_of_measure=unit).exists():
            self.add_error("new_name", _("This indicator exists already: tick it in the list above."))
        if not name and not data.get("indicators"):
            raise forms.ValidationError(_("Choose at least one indicator, or add a new one."))
        data["new_name"], data["new_unit"] = name, unit
        return data


def new_indicator_code(name):
    """A unique code for a new indicator (its name's ASCII part, else “indicator”, and a number)."""
    base = slugify(name)[:30] or "indicator"
    code, n = base, 1
    while Indicator.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


class UnitsForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Units taking part"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
        self.fields["units"].label_from_instance = lambda u: u.name
        self.fields["units"].error_messages["invalid_choice"] = _(
            "Unit #%(value)s is not in this campaign's unit tree."
        )


class TargetFileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("目标任务分解表 (Excel)"))
