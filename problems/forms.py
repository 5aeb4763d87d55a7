from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from org.models import OrgUnit
from problems.flow import department_choices, leader_choices
from problems.models import Meeting, Problem


class LeaderField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class ProblemForm(forms.ModelForm):
    """Raising a problem. The raising unit is one of the user's own units (any unit for the office)."""

    leader = LeaderField(queryset=get_user_model().objects.none(), required=False, label=_("coordinating leader"))

    class Meta:
        model = Problem
        fields = [
            "title",
            "description",
            "category",
            "raised_by_unit",
            "campaign",
            "village",
            "responsible",
            "leader",
            "deadline",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        units = scope.office_units() | scope.own_units()
        self.fields["raised_by_unit"].queryset = units.exclude(kind=OrgUnit.Kind.DEPARTMENT)
        self.fields["campaign"].queryset = Campaign.objects.visible_to(scope)
        self.fields["village"].queryset = scope.units().filter(kind=OrgUnit.Kind.VILLAGE)
        tops = scope.top_units()
        self.fields["responsible"].queryset = department_choices(*tops)
        self.fields["responsible"].label = _("responsible department (proposed)")
        self.fields["leader"].queryset = leader_choices(*tops)
        self.fields["description"].required = True

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        if deadline and deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline cannot be in the past."))
        return deadline


class MeetingForm(forms.ModelForm):
    """A meeting is held by one of the office's own units (its zone, or a command post in it)."""

    class Meta:
        model = Meeting
        fields = ["unit", "title", "held_on", "chaired_by", "place", "attendees", "campaign", "notes"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        units = scope.office_units().exclude(kind__in=[OrgUnit.Kind.VILLAGE, OrgUnit.Kind.DEPARTMENT])
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = None
        roots = scope.office_roots()
        self.only_root = roots[0] if len(roots) == 1 else None
        if self.only_root is not None:  # the usual office, of one zone: its meetings are its zone's
            self.fields["unit"].required = False
            self.fields["unit"].widget = forms.HiddenInput()
            self.initial.setdefault("unit", self.only_root.pk)
        self.fields["campaign"].queryset = Campaign.objects.visible_to(scope)

    def clean_unit(self):
        return self.cleaned_data.get("unit") or self.only_root
