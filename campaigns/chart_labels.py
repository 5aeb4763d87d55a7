"""Chart legend labels, translated, handed to charts.js inside each chart's JSON."""

from django.utils.translation import gettext as _


def chart_labels():
    return {
        "done": _("Done %"),
        "elapsed": _("Time elapsed"),
        "week": _("This week"),
        "cumulative": _("Cumulative"),
        "target": _("Target"),
    }
