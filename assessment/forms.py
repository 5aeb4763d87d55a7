from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from assessment.models import Part, Scheme
from assessment.scheme import campaign_indicators

PART_FIELDS = ["kind", "indicator", "weight", "capped", "green_from", "yellow_from", "sort_order"]


class SchemeForm(forms.ModelForm):
    class Meta:
        model = Scheme
        fields = ["tie_rule", "green_from", "yellow_from", "bottom_n", "streak", "red_weeks"]


class PartForm(forms.ModelForm):
    class Meta:
        model = Part
        fields = PART_FIELDS

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        if campaign is not None:
            ids = [i.pk for i in campaign_indicators(campaign)]
            self.fields["indicator"].queryset = self.fields["indicator"].queryset.filter(pk__in=ids)


class BasePartFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not kept:
            raise forms.ValidationError(_("A scheme needs at least one part."))
        seen = set()
        for form in kept:
            key = (form.cleaned_data["kind"], form.cleaned_data.get("indicator"))
            if key in seen:
                raise forms.ValidationError(_("Each part may appear only once."))
            seen.add(key)


def part_formset(extra):
    return inlineformset_factory(
        Scheme, Part, form=PartForm, formset=BasePartFormSet, fields=PART_FIELDS, extra=extra, can_delete=True
    )
