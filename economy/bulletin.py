"""The economic indicators a bulletin or roll-up carries, where the office chose them
(ReportSelection on the campaign's owner unit or the nearest unit above it): the latest month
with figures up to the document's date, 1-N月累计 with 比增. bulletins/content.py calls section()."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from economy import growth
from economy.models import MonthlyFigure, ReportSelection


@dataclass
class EconomySection:
    unit: object
    year: int
    month: int
    readings: list

    @property
    def months_label(self):
        return f"{self.year}年1月" if self.month == 1 else f"{self.year}年1-{self.month}月"

    def sentence(self):
        parts = []
        for r in self.readings:
            name = r.indicator.short_name or r.indicator.name
            text = f"{name}{r.value_text}{r.indicator.unit_of_measure}"
            if r.growth is not None:
                text += _(", 比增%(g)s%%") % {"g": r.growth_rounded}
            parts.append(text)
        return _("%(months)s, %(unit)s: %(figures)s.") % {
            "months": self.months_label,
            "unit": self.unit.name,
            "figures": "；".join(parts),
        }

    def rows(self):
        return [
            [
                r.indicator.name,
                r.indicator.unit_of_measure,
                r.value_text,
                growth.figure_text(r.last_cumulative),
                str(r.growth_rounded) if r.growth is not None else r.growth_note,
            ]
            for r in self.readings
        ]

    @staticmethod
    def headers():
        return [_("Indicator"), _("Unit of measure"), _("Cumulative"), _("Same period last year"), _("比增 (%)")]


def section(unit, as_of):
    """An EconomySection, or None when no selection is set above `unit` or no figure is stored."""
    path = unit.path
    selections = ReportSelection.objects.select_related("unit").prefetch_related("indicators")
    chosen = sorted((s for s in selections if path.startswith(s.unit.path)), key=lambda s: -len(s.unit.path))
    if not chosen or not chosen[0].indicators.all():
        return None
    selection = chosen[0]
    indicators = list(selection.indicators.all())
    up_to = Q(year__lt=as_of.year) | Q(year=as_of.year, month__lte=as_of.month)
    last = (
        MonthlyFigure.objects.filter(up_to, unit=selection.unit, indicator__in=indicators)
        .order_by("-year", "-month")
        .values_list("year", "month")
    )
    found = list(last[:1])
    if not found:
        return None
    year, month = found[0]
    readings = [r for r in growth.readings(selection.unit, year, month, indicators) if r.cumulative is not None]
    return EconomySection(selection.unit, year, month, readings) if readings else None
