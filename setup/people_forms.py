from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from org.models import Membership

ROLES = [(r, label) for r, label in Membership.Role.choices if r != Membership.Role.ADMIN]


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return "　" * max(obj.depth, 0) + obj.name


class PersonForm(forms.Form):
    username = forms.CharField(
        label=gettext_lazy("User name (for logging in)"), max_length=150, validators=[UnicodeUsernameValidator()]
    )
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    unit = UnitChoice(label=gettext_lazy("Unit"), queryset=None)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=ROLES)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].error_messages["invalid_choice"] = _("Choose one of your own units.")

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This user name is taken; choose another."))
        return username


class DetailsForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)


class MembershipForm(forms.Form):
    unit = UnitChoice(label=gettext_lazy("Unit"), queryset=None)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=ROLES)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].error_messages["invalid_choice"] = _("Choose one of your own units.")
