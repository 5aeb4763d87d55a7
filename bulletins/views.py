"""Bulletin pages: the archive of what was issued (every unit of the campaign may download it),
previews and the issue button (the office of the campaign's owner only)."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from assessment.scoring import campaign_months, campaign_weeks
from bulletins import archive, charts, documents
from bulletins import preview as drafts
from bulletins.content import default_issuer
from bulletins.models import Bulletin, BulletinFile
from campaigns.access import get_campaign
from campaigns.progress import default_as_of
from duban import confirm, periods
from duban.gongwen import pdf
from org.scoping import require_office, scope_for
from reports import entry

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
ISSUER_MAX = 100


def _rollup_choices(campaign):
    choices = []
    for kind in ("month", "quarter", "half", "year"):
        seen = []
        for week in periods.offered_weeks(campaign_weeks(campaign)) or campaign_weeks(campaign)[:1]:
            key = periods.period_of(kind, week.end).key
            if key not in seen:
                seen.append(key)
        choices.append((kind, Bulletin.Kind(kind).label, seen))
    return choices


@login_required
def bulletin_list(request, campaign_id):
    campaign = get_campaign(request, campaign_id)
    issued = campaign.bulletins.select_related("issued_by").prefetch_related("files").order_by("-issued_at", "-pk")
    weeks = periods.offered_weeks(campaign_weeks(campaign)) or campaign_weeks(campaign)[:1]
    current = min(max(periods.week_of(default_as_of(campaign)), weeks[0]), weeks[-1])
    return render(
        request,
        "bulletins/list.html",
        {
            "campaign": campaign,
            "issued": issued,
            "weeks": list(reversed(weeks)),
            "current_week": current,
            "rollups": _rollup_choices(campaign),
            "months": periods.offered_periods(campaign_months(campaign)) or campaign_months(campaign)[:1],
            "issuer": default_issuer(campaign),
            "can_issue": scope_for(request).office_for(campaign.owner),
            "font_note": pdf.font_note(),
            "fonts_missing": pdf.fonts_missing(),
            "chart_font_problem": charts.font_problem(),
        },
    )


def _parse(campaign, data):
    """(kind, period, as_of, issuer) from a form; ValueError with the user's message."""
    kind = data.get("kind", "")
    key = (data.get("key") or "").strip()
    if not key:
        raise ValueError(_("Say which week or period the document is for."))
    kind, period = documents.parse_request(campaign, kind, key)
    as_of = None
    raw = (data.get("as_of") or "").strip()
    if raw and kind == Bulletin.Kind.WEEK:
        try:
            as_of = date.fromisoformat(raw)
        except ValueError:
            raise ValueError(_("The date must be written as YYYY-MM-DD.")) from None
        if not period.contains(as_of) or not campaign.start <= as_of <= campaign.end:
            raise ValueError(_("The figures' date must be a day of week %(week)s within the campaign.") % {"week": key})
    issuer = (data.get("issuer") or "").strip()
    if len(issuer) > ISSUER_MAX:
        raise ValueError(_("The issuing office's name is too long (at most %(n)d characters).") % {"n": ISSUER_MAX})
    return kind, period, as_of, issuer or None


def _download(data, filename, fmt):
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _with(query, **changes):
    query = query.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@login_required
def preview(request, campaign_id):
    """A draft, not archived and not numbered for good (office only): on the page as it will
    print, or its Word or Excel file."""
    campaign = get_campaign(request, campaign_id)
    require_office(request, campaign.owner)
    try:
        kind, period, as_of, issuer = _parse(campaign, request.GET)
    except ValueError as error:
        messages.error(request, str(error))
        return redirect(reverse("bulletins", args=[campaign.pk]))
    fmt = request.GET.get("format") or "html"
    if fmt not in ("html", "docx", "xlsx"):
        raise Http404
    doc = documents.build(campaign, kind, period, as_of=as_of, issuer=issuer)
    if fmt == "html":  # on the page as it will print: the blocks the .docx was written from
        query = request.GET.copy()
        return render(
            request,
            "bulletins/preview.html",
            {
                "campaign": campaign,
                "doc": doc,
                "items": drafts.items(doc),
                "has_data": drafts.has_data(doc),
                "kind_label": Bulletin.Kind(kind).label,
                "downloads": {f: _with(query, format=f) for f in ("docx", "xlsx")},
                "issue_fields": [(k, query.get(k, "")) for k in ("kind", "key", "as_of", "issuer")],
                "chart_font_problem": charts.font_problem(),
                **drafts.heading_context(doc),
            },
        )
    draft = pgettext("bulletins", "Draft")
    name = f"{draft}-{doc.heading.masthead}-{doc.period_key}.{fmt}"
    return _download(doc.docx if fmt == "docx" else doc.xlsx, name, fmt)


@login_required
@require_POST
def issue(request, campaign_id):
    campaign = get_campaign(request, campaign_id)
    require_office(request, campaign.owner)
    try:
        kind, period, as_of, issuer = _parse(campaign, request.POST)
    except ValueError as error:
        messages.error(request, str(error))
        return redirect(reverse("bulletins", args=[campaign.pk]))
    key = period.label if isinstance(period, periods.Week) else period.key
    earlier = list(Bulletin.objects.filter(campaign=campaign, kind=kind, period_key=key).order_by("-pk"))
    back = reverse("bulletins", args=[campaign.pk])
    answer = request.POST.get("correction", "")
    if not confirm.confirmed(request) or (earlier and answer not in {"new", *(str(b.pk) for b in earlier)}):
        return _ask_issue(request, campaign, kind, period, key, earlier, back)
    corrects = next((b for b in earlier if str(b.pk) == answer), None)
    bulletin = archive.issue(campaign, kind, period, request.user, as_of=as_of, issuer=issuer, corrects=corrects)
    messages.success(
        request,
        _("Issued %(title)s, %(number)s.") % {"title": bulletin.title, "number": bulletin.number_label},
    )
    if bulletin.pdf_note:
        messages.warning(request, bulletin.pdf_note)
    return redirect(reverse("bulletins", args=[campaign.pk]))


def _ask_issue(request, campaign, kind, period, key, earlier, back):
    """What issuing does, who has not reported yet, and for a period issued before: a correction
    (更正) of which issue, or a new one."""
    from org.models import OrgUnit

    _week, missing = entry.missing_units(OrgUnit.objects.filter(targets__campaign=campaign).distinct(), period)
    happens = [
        _("The %(kind)s for %(period)s is numbered and archived as issued: it cannot be changed or withdrawn.")
        % {"kind": Bulletin.Kind(kind).label, "period": key},
        _("Every unit of the campaign may download it at once."),
    ]
    choices = None
    if earlier:
        happens.append(
            _("%(period)s was issued before (%(numbers)s): say whether this is a correction or a new issue.")
            % {"period": key, "numbers": "、".join(b.number_label for b in earlier)}
        )
        options = [
            (str(b.pk), _("A correction (更正) of %(number)s") % {"number": b.number_label}, False) for b in earlier
        ]
        options.append(("new", _("A new issue, numbered on"), False))
        choices = ("correction", options)
    return confirm.ask(
        request,
        title=_("Issue %(title)s?") % {"title": Bulletin.Kind(kind).label},
        action=reverse("bulletin_issue", args=[campaign.pk]),
        cancel=back,
        happens=happens,
        missing=missing,
        button=_("Issue it"),
        choices=choices,
    )


@login_required
def download(request, campaign_id, bulletin_id, fmt):
    campaign = get_campaign(request, campaign_id)
    try:
        archived = BulletinFile.objects.select_related("bulletin").get(
            bulletin_id=bulletin_id, bulletin__campaign=campaign, format=fmt
        )
    except BulletinFile.DoesNotExist:
        raise Http404 from None
    try:
        data = archive.read(archived)
    except archive.Damaged:
        return render(
            request,
            "bulletins/damaged.html",
            {"campaign": campaign, "bulletin": archived.bulletin},
            status=500,
        )
    b = archived.bulletin
    name = f"{b.get_kind_display()}-{b.year}-{b.number:03d}-{b.period_key}.{fmt}"
    return _download(data, name, fmt)
