"""Assessment pages: weekly league table and monthly ranking with each part's score, publishing
(office only), published versions, the scheme, and the warnings page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from assessment.exports import assessment_export
from assessment.forms import SchemeForm, part_formset
from assessment.models import Publication, Scheme
from assessment.publishing import NothingChanged, publish
from assessment.scheme import default_parts, scheme_for
from assessment.scoring import campaign_months, campaign_weeks, monthly_table, weekly_table
from assessment.warnings import bottom_streaks, campaign_history, red_streaks
from campaigns.access import get_campaign
from campaigns.progress import default_as_of
from duban import confirm, periods, stale
from duban.punctuation import bracketed
from duban.table_export import wants_xlsx, xlsx_response
from org.scoping import require_office, scope_for
from reports import entry

NOTE_MAX = 200


def _error(request, campaign, message, status=400):
    return render(request, "assessment/error.html", {"campaign": campaign, "message": message}, status=status)


def pick_week(campaign, label):
    """The campaign's week named by `label` (default: the current one); ValueError with a message."""
    first, last = periods.week_of(campaign.start), periods.week_of(campaign.end)
    if not label:
        return min(max(periods.week_of(default_as_of(campaign)), first), last)
    try:
        week = periods.parse_week(label)
    except ValueError:
        raise ValueError(_("The week must be written as YYYY-Www, e.g. 2021-W23.")) from None
    if not first <= week <= last:
        raise ValueError(_("Week %(week)s is outside the campaign.") % {"week": label})
    if week > periods.current_week():
        raise ValueError(_("Week %(week)s has not begun yet.") % {"week": label})
    return week


def offered_months(campaign):
    """The campaign's months a picker offers: those begun by today."""
    return periods.offered_periods(campaign_months(campaign)) or campaign_months(campaign)[:1]


def pick_month(campaign, key):
    """The campaign's month named by `key` (default: the last month over); ValueError with a
    message."""
    months = offered_months(campaign)
    if not key:
        return periods.last_closed(months)
    try:
        month = periods.parse_period("month", key)
    except ValueError:
        raise ValueError(_("The month must be written as YYYY-MM, e.g. 2021-05.")) from None
    if month not in campaign_months(campaign):
        raise ValueError(_("The campaign has no week closing in %(month)s.") % {"month": key})
    if month not in months:
        raise ValueError(_("Month %(month)s has not begun yet.") % {"month": key})
    return month


def _versions(campaign, kind, key):
    return Publication.objects.filter(campaign=campaign, kind=kind, period_key=key).order_by("-version")


def _page(request, campaign, table, extra):
    data = table.as_data()
    if wants_xlsx(request):
        title = f"{campaign.name} {extra['title']} {extra['period_label']}"
        return xlsx_response(assessment_export(data, title), f"{campaign.name}-{table.key}")
    versions = list(_versions(campaign, table.kind, table.key))
    return render(
        request,
        "assessment/table.html",
        {
            "campaign": campaign,
            "data": data,
            "table": table,
            "versions": versions,
            "differs": bool(versions) and versions[0].data != data,
            "chart": {
                "categories": [r["unit"] for r in data["rows"]],
                "series": [
                    {"name": pgettext("assessment", "Total score"), "data": [float(r["total"]) for r in data["rows"]]}
                ],
            },
            **extra,
        },
    )


@login_required
def week_view(request, campaign_id):
    campaign = get_campaign(request, campaign_id)
    try:
        week = pick_week(campaign, request.GET.get("week"))
    except ValueError as error:
        return _error(request, campaign, str(error))
    table = weekly_table(campaign, week)
    weeks = periods.offered_weeks(campaign_weeks(campaign)) or campaign_weeks(campaign)[:1]
    return _page(
        request,
        campaign,
        table,
        {
            "title": pgettext("assessment", "Weekly league table"),
            "period_label": bracketed(week.label, f"{week.start:%m-%d}–{week.end:%m-%d}"),
            "choices": [(w.label, bracketed(w.label, f"{w.end:%m-%d}")) for w in reversed(weeks)],
            "param": "week",
            "prev": week.prev().label if week > weeks[0] else None,
            "next": week.next().label if week < weeks[-1] else None,
        },
    )


@login_required
def month_view(request, campaign_id):
    campaign = get_campaign(request, campaign_id)
    try:
        month = pick_month(campaign, request.GET.get("month"))
    except ValueError as error:
        return _error(request, campaign, str(error))
    table = monthly_table(campaign, month)
    months = offered_months(campaign)
    n = months.index(month)
    return _page(
        request,
        campaign,
        table,
        {
            "title": pgettext("assessment", "Monthly ranking"),
            "period_label": _("%(year)s-%(month)02d, figures to week %(week)s")
            % {"year": month.start.year, "month": month.start.month, "week": table.week.label},
            "choices": [(m.key, m.key) for m in reversed(months)],
            "param": "month",
            "prev": months[n - 1].key if n > 0 else None,
            "next": months[n + 1].key if n + 1 < len(months) else None,
        },
    )


@login_required
@require_POST
def publish_view(request, campaign_id):
    campaign = get_campaign(request, campaign_id)
    require_office(request, campaign.owner)
    kind, key = request.POST.get("kind"), request.POST.get("key", "")
    note = request.POST.get("note", "").strip()
    if kind == Publication.Kind.WEEK:
        back = reverse("assessment_week", args=[campaign.pk])
        try:
            week = pick_week(campaign, key)
        except ValueError as error:
            messages.error(request, str(error))
            return redirect(back)
        back += f"?week={week.label}"
        compute = lambda: weekly_table(campaign, week)  # noqa: E731
    elif kind == Publication.Kind.MONTH:
        back = reverse("assessment_month", args=[campaign.pk])
        try:
            month = pick_month(campaign, key)
        except ValueError as error:
            messages.error(request, str(error))
            return redirect(back)
        back += f"?month={month.key}"
        compute = lambda: monthly_table(campaign, month)  # noqa: E731
    else:
        messages.error(request, _("Choose a weekly league table or a monthly ranking to publish."))
        return redirect(reverse("assessment_week", args=[campaign.pk]))
    if not key:
        messages.error(request, _("Say which week or month to publish."))
        return redirect(back)
    if len(note) > NOTE_MAX:
        messages.error(request, _("The note is too long (at most %(n)d characters).") % {"n": NOTE_MAX})
        return redirect(back)
    if not confirm.confirmed(request):
        return _ask_publish(request, campaign, kind, week if kind == Publication.Kind.WEEK else month, back)
    try:
        publication = publish(compute(), request.user, note)
    except NothingChanged:
        messages.warning(request, _("The numbers are the same as in the latest published version: nothing published."))
        return redirect(back)
    messages.success(
        request,
        _("Published %(key)s, version %(version)d.") % {"key": publication.period_key, "version": publication.version},
    )
    return redirect(reverse("assessment_publication", args=[campaign.pk, publication.pk]))


def _ask_publish(request, campaign, kind, period, back):
    """What publishing freezes, which version it will be, and who has not reported yet."""
    from org.models import OrgUnit

    key = period.label if kind == Publication.Kind.WEEK else period.key
    last = Publication.objects.filter(campaign=campaign, kind=kind, period_key=key).order_by("-version").first()
    _week, missing = entry.missing_units(OrgUnit.objects.filter(targets__campaign=campaign).distinct(), period)
    happens = [
        _("The %(table)s for %(key)s is frozen as it stands now: later corrections of the data do not change it.")
        % {"table": Publication.Kind(kind).label, "key": key},
        _("It will be version %(n)d; version %(last)d stays on record.") % {"n": last.version + 1, "last": last.version}
        if last
        else _("It will be version 1."),
    ]
    return confirm.ask(
        request,
        title=_("Publish %(table)s %(key)s?") % {"table": Publication.Kind(kind).label, "key": key},
        action=reverse("assessment_publish", args=[campaign.pk]),
        cancel=back,
        happens=happens,
        missing=missing,
        button=_("Publish (freeze) this table"),
    )


@login_required
def publication_view(request, campaign_id, publication_id):
    campaign = get_campaign(request, campaign_id)
    try:
        publication = Publication.objects.get(pk=publication_id, campaign=campaign)
    except Publication.DoesNotExist:
        raise Http404 from None
    if wants_xlsx(request):
        title = f"{campaign.name} {publication.get_kind_display()} {publication.period_key}"
        title += " " + _("version %(n)s") % {"n": publication.version}
        name = f"{campaign.name}-{publication.period_key}-v{publication.version}"
        return xlsx_response(assessment_export(publication.data, title), name)
    return render(
        request,
        "assessment/publication.html",
        {
            "campaign": campaign,
            "publication": publication,
            "data": publication.data,
            "versions": _versions(campaign, publication.kind, publication.period_key),
        },
    )


@login_required
def scheme_view(request, campaign_id):
    campaign = get_campaign(request, campaign_id)
    scope = scope_for(request)
    scheme, parts, is_default = scheme_for(campaign)
    posted_stamp = request.POST.get(stale.FIELD) if request.method == "POST" else None
    if request.method == "POST":
        require_office(request, campaign.owner)
        if request.POST.get("action") == "reset":
            with transaction.atomic():
                if stale.is_stale(posted_stamp, *_scheme_state(campaign, lock=True)):
                    messages.error(request, _stale_scheme_message())
                    return redirect(reverse("assessment_scheme", args=[campaign.pk]))
                Scheme.objects.filter(campaign=campaign).delete()
            messages.success(request, _("The campaign is assessed with the default scheme again."))
            return redirect(reverse("assessment_scheme", args=[campaign.pk]))
    if not scope.office_for(campaign.owner):
        return render(
            request,
            "assessment/scheme.html",
            {"campaign": campaign, "scheme": scheme, "parts": parts, "is_default": is_default},
        )
    saved = Scheme.objects.filter(campaign=campaign).first()
    instance = saved or Scheme(campaign=campaign)
    initial = [] if saved and saved.parts.exists() else [_part_initial(p) for p in default_parts(campaign)]
    FormSet = part_formset(extra=len(initial) or 1)
    seen = posted_stamp if posted_stamp is not None else stale.stamp(*_scheme_state(campaign))
    if request.method == "POST":
        form = SchemeForm(request.POST, instance=instance)
        formset = FormSet(request.POST, instance=instance, prefix="parts", form_kwargs={"campaign": campaign})
        if form.is_valid() and formset.is_valid():
            with transaction.atomic():
                conflict = stale.is_stale(posted_stamp, *_scheme_state(campaign, lock=True))
                if not conflict:
                    scheme = form.save(commit=False)
                    scheme.campaign = campaign
                    scheme.updated_by = request.user
                    scheme.save()
                    formset.instance = scheme
                    formset.save()
            if not conflict:
                messages.success(request, _("Scoring scheme saved."))
                return redirect(reverse("assessment_scheme", args=[campaign.pk]))
            messages.error(request, _stale_scheme_message())
            seen = stale.stamp(*_scheme_state(campaign))  # the entries stay; saving again overwrites knowingly
        else:
            messages.error(request, _("The scheme was not saved: correct the fields marked below."))
    else:
        form = SchemeForm(instance=instance)
        formset = FormSet(instance=instance, prefix="parts", initial=initial, form_kwargs={"campaign": campaign})
    return render(
        request,
        "assessment/scheme.html",
        {
            "campaign": campaign,
            "form": form,
            "formset": formset,
            "is_default": is_default,
            "parts": parts,
            "seen_field": stale.FIELD,
            "seen": seen,
        },
        status=400 if request.method == "POST" else 200,
    )


def _scheme_state(campaign, lock=False):
    """What the scheme form writes over (duban/stale.py): the saved scheme, if any, as of its last
    save (every save through the form raises updated_at; its parts are saved with it)."""
    schemes = Scheme.objects.filter(campaign=campaign)
    if lock:
        schemes = schemes.select_for_update()
    scheme = schemes.first()
    if scheme is None:
        return (None,)
    return scheme.pk, scheme.updated_at, list(scheme.parts.order_by("pk").values_list("pk", flat=True))


def _stale_scheme_message():
    return _(
        "Someone else saved this scoring scheme after you opened it; your changes were not saved. "
        "Your entries are still in the form: check the scheme, then save again."
    )


def _part_initial(part):
    return {
        "kind": part.kind,
        "indicator": part.indicator_id,
        "weight": part.weight,
        "capped": part.capped,
        "green_from": part.green_from,
        "yellow_from": part.yellow_from,
        "sort_order": part.sort_order,
    }


@login_required
def warnings_view(request, campaign_id):
    campaign = get_campaign(request, campaign_id)
    if not scope_for(request).oversees(campaign.owner):
        raise PermissionDenied
    try:
        week = pick_week(campaign, request.GET.get("week"))
    except ValueError as error:
        return _error(request, campaign, str(error))
    scheme, _parts, _default = scheme_for(campaign)
    weekly, monthly, published = campaign_history(campaign, week)
    return render(
        request,
        "assessment/warnings.html",
        {
            "campaign": campaign,
            "week": week,
            "scheme": scheme,
            "weekly_bottom": bottom_streaks(weekly, scheme.bottom_n, scheme.streak),
            "monthly_bottom": bottom_streaks(monthly, scheme.bottom_n, scheme.streak),
            "red": red_streaks(weekly, scheme.red_weeks),
            "computed": [key for key, was in published.items() if not was],
            "weeks": [(w.label, bracketed(w.label, f"{w.end:%m-%d}")) for w in reversed(campaign_weeks(campaign))],
        },
    )
