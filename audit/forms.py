from datetime import datetime, time, timedelta

from django import forms
from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit.models import Entry
from audit.trail import is_audited


def model_choices():
    """The record types one can search for: the audited models, by their Chinese names."""
    choices = [
        (m._meta.label_lower, f"{m._meta.app_config.verbose_name} · {m._meta.verbose_name}")
        for m in apps.get_models()
        if is_audited(m)
    ]
    return [("", pgettext_lazy("audit filter", "all"))] + sorted(choices, key=lambda c: c[0])


class EntryFilter(forms.Form):
    who = forms.CharField(label=pgettext_lazy("audit filter", "Who"), required=False, max_length=150)
    model = forms.ChoiceField(label=pgettext_lazy("audit filter", "Record type"), required=False)
    object = forms.CharField(label=pgettext_lazy("audit filter", "Record"), required=False, max_length=200)
    action = forms.ChoiceField(
        label=pgettext_lazy("audit filter", "Action"),
        required=False,
        choices=[("", pgettext_lazy("audit filter", "all")), *Entry.Action.choices],
    )
    start = forms.DateField(
        label=pgettext_lazy("audit filter", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the date as year-month-day, e.g. 2026-03-01.")},
    )
    end = forms.DateField(
        label=pgettext_lazy("audit filter", "To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the date as year-month-day, e.g. 2026-03-01.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = model_choices()
        self.fields["model"].error_messages["invalid_choice"] = _("There is no such record type.")
        self.fields["action"].error_messages["invalid_choice"] = _("There is no such action.")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("who"):
            queryset = queryset.filter(username__icontains=data["who"].strip())
        if data.get("model"):
            queryset = queryset.filter(model=data["model"])
        if data.get("object"):
            text = data["object"].strip()
            queryset = (
                queryset.filter(object_id=text) if text.isdigit() else queryset.filter(object_repr__icontains=text)
            )
        if data.get("action"):
            queryset = queryset.filter(action=data["action"])
        if data.get("start"):
            queryset = queryset.filter(at__gte=_day_start(data["start"]))
        if data.get("end"):
            queryset = queryset.filter(at__lt=_day_start(data["end"] + timedelta(days=1)))
        return queryset


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))
