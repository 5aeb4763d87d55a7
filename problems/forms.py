from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.models import Membership, OrgUnit
from problems.flow import department_choices
from problems.models import Meeting, Problem


def leader_choices():
    return (
        get_user_model()
        .objects.filter(memberships__role__in=[Membership.Role.LEADER, Membership.Role.OFFICE])
        .distinct()
        .order_by("first_name", "username")
    )


class LeaderField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class ProblemForm(forms.ModelForm):
    """Raising a problem. The raising unit is one of the user's own units (any unit for the office)."""

    leader = LeaderField(queryset=leader_choices(), required=False, label=_("coordinating leader"))

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
        units = scope.units() if scope.is_office else scope.own_units()
        self.fields["raised_by_unit"].queryset = units.exclude(kind=OrgUnit.Kind.DEPARTMENT)
        self.fields["campaign"].queryset = scope.campaigns()
        self.fields["village"].queryset = scope.units().filter(kind=OrgUnit.Kind.VILLAGE)
        self.fields["responsible"].queryset = department_choices()
        self.fields["responsible"].label = _("responsible department (proposed)")
        self.fields["leader"].queryset = leader_choices()
        self.fields["description"].required = True

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        if deadline and deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline cannot be in the past."))
        return deadline


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["title", "held_on", "chaired_by", "place", "campaign", "notes"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
