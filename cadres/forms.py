"""The office's forms. Unit fields accept any unit so that one from outside the zone gets our own
message (and not a bare "invalid choice"), but offer only the zone's units."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.models import HOME_KINDS, POSTED_KINDS, Assignment, Cadre, Commendation, EligibilityRule, Pairing
from cadres.roster import assignment_errors, dates_error, in_zone
from campaigns.models import Campaign
from org.models import OrgUnit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def zone_units(field, zone, kinds):
    field.queryset = OrgUnit.objects.filter(kind__in=kinds)
    field.widget.choices = [("", "---------")] + [
        (u.pk, u.name)
        for u in OrgUnit.objects.filter(zone.within_q(), kind__in=kinds).order_by("kind", "sort_order", "path")
    ]


def outside_error(zone, unit):
    return _("“%(unit)s” is not in %(zone)s.") % {"unit": unit.name, "zone": zone.name}


class CadreForm(forms.ModelForm):
    class Meta:
        model = Cadre
        fields = ["name", "gender", "department", "post", "rank", "phone", "note"]

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        zone_units(self.fields["department"], zone, HOME_KINDS)

    def clean_department(self):
        unit = self.cleaned_data["department"]
        if not in_zone(self.zone, unit):
            raise forms.ValidationError(outside_error(self.zone, unit))
        return unit


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ["cadre", "department", "unit", "role", "team", "start", "end"]
        widgets = {"start": DATE, "end": DATE}

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.fields["cadre"].queryset = Cadre.objects.filter(zone=zone).select_related("department")
        self.fields["department"].required = False
        self.fields["department"].help_text = _("Empty: the cadre's own home unit.")
        zone_units(self.fields["department"], zone, HOME_KINDS)
        zone_units(self.fields["unit"], zone, POSTED_KINDS)

    def clean(self):
        data = super().clean()
        cadre, unit = data.get("cadre"), data.get("unit")
        if cadre is None or unit is None or not data.get("start"):
            return data
        data["department"] = data.get("department") or cadre.department
        for message in assignment_errors(
            self.zone, cadre, data["department"], unit, data["start"], data.get("end"), exclude_pk=self.instance.pk
        ):
            raise forms.ValidationError(message)
        return data


class PairingForm(forms.ModelForm):
    class Meta:
        model = Pairing
        fields = ["first", "second", "first_gives", "second_gives", "start", "end"]
        widgets = {
            "start": DATE,
            "end": DATE,
            "first_gives": forms.Textarea(attrs={"rows": 3}),
            "second_gives": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"first_gives": gettext_lazy("One item a line: funds, people, projects.")}

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        kinds = (*HOME_KINDS, *POSTED_KINDS, OrgUnit.Kind.VILLAGE)
        zone_units(self.fields["first"], zone, kinds)
        zone_units(self.fields["second"], zone, kinds)

    def clean(self):
        data = super().clean()
        for key in ("first", "second"):
            unit = data.get(key)
            if unit is not None and not in_zone(self.zone, unit):
                raise forms.ValidationError(outside_error(self.zone, unit))
        if data.get("first") and data.get("first") == data.get("second"):
            raise forms.ValidationError(_("A unit cannot be paired with itself."))
        if dates_error(data.get("start"), data.get("end")):
            raise forms.ValidationError(dates_error(data.get("start"), data.get("end")))
        return data


class RuleForm(forms.ModelForm):
    bottom_n = forms.IntegerField(label=gettext_lazy("bottom places (N)"))
    streak = forms.IntegerField(label=gettext_lazy("periods in a row (K)"))

    class Meta:
        model = EligibilityRule
        fields = ["campaign", "year", "kind", "bottom_n", "streak"]

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.fields["campaign"].queryset = Campaign.objects.filter(owner__path__startswith=zone.path)
        self.initial.setdefault("year", timezone.localdate().year)

    def _get_validation_exclusions(self):
        """Saving the rule of a campaign, year and kind that has one replaces it (the view): the
        unique constraint on them is not a form error."""
        return {*super()._get_validation_exclusions(), "campaign", "year", "kind"}

    def _positive(self, key, label):
        value = self.cleaned_data[key]
        if value is None or value <= 0:
            raise forms.ValidationError(_("%(what)s must be 1 or more.") % {"what": label})
        return value

    def clean_bottom_n(self):
        return self._positive("bottom_n", _("N (bottom places)"))

    def clean_streak(self):
        return self._positive("streak", _("K (periods in a row)"))

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("The year must be written in full, e.g. 2021."))
        return year


class CommendationForm(forms.ModelForm):
    class Meta:
        model = Commendation
        fields = ["cadre", "unit", "title", "day", "reason"]
        widgets = {"day": DATE, "reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.fields["cadre"].queryset = Cadre.objects.filter(zone=zone)
        zone_units(self.fields["unit"], zone, (*HOME_KINDS, *POSTED_KINDS))

    def clean(self):
        data = super().clean()
        unit = data.get("unit")
        if unit is not None and not in_zone(self.zone, unit):
            raise forms.ValidationError(outside_error(self.zone, unit))
        if not data.get("cadre") and not unit:
            raise forms.ValidationError(_("Choose the cadre or the unit commended."))
        return data


class NominationForm(forms.Form):
    cadre = forms.ModelChoiceField(queryset=Cadre.objects.none(), label=gettext_lazy("cadre"))
    day = forms.DateField(label=gettext_lazy("date"), widget=DATE)
    reason = forms.CharField(label=gettext_lazy("reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = Cadre.objects.filter(zone=zone)
