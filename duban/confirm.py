"""The confirm step of an irreversible action (locking a week, publishing a frozen table, issuing
a bulletin): the first POST shows what will happen and what is missing and asks; the same form
sent again with confirm=1 does it. A confirm page is a page of its own, not a JS alert."""

from django.shortcuts import render
from django.utils.translation import gettext as _

SKIP = {"csrfmiddlewaretoken", "confirm"}


def confirmed(request):
    return request.POST.get("confirm") == "1"


def missing_line(missing):
    if not missing:
        return _("Every unit has submitted.")
    return _("%(n)d units have not submitted yet: %(names)s") % {
        "n": len(missing),
        "names": "、".join(u.name for u in missing[:20]) + ("…" if len(missing) > 20 else ""),
    }


def ask(request, *, title, action, cancel, happens, missing=None, button, choices=None, status=200):
    """The confirm page: `happens` lines say what the action does; `missing` the units without
    a report (None: not asked); `choices` (name, [(value, label, checked)]) a question to answer
    in the same step. Every field of the first POST goes back with the confirmation."""
    fields = [(k, v) for k, values in request.POST.lists() if k not in SKIP for v in values]
    if choices:
        fields = [(k, v) for k, v in fields if k != choices[0]]
    context = {
        "title": title,
        "action": action,
        "cancel": cancel,
        "happens": happens,
        "missing": missing,
        "missing_text": missing_line(missing) if missing is not None else "",
        "button": button,
        "choices": choices,
        "fields": fields,
    }
    return render(request, "confirm.html", context, status=status)
