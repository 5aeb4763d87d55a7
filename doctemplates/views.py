"""The office's template page: each kind of document with its placeholders, the template in use
(the office's own or the default) to download, an upload form and a reset to the default.

Reach: the office and the leaders of a zone read the page and download; only the office uploads
and resets (403 for a leader); anyone else, and the office of another zone, gets a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doctemplates import kinds, store
from doctemplates.models import DocumentTemplate
from duban import confirm
from duban.gongwen import template
from org.scoping import get_unit, require_office, scope_for

EXAMPLES = {"text": "{{ 标题 }}", "block": "{{p 正文 }}", "if_open": "{%p if 抄送 %}", "if_close": "{%p endif %}"}
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _zone(request, zone_id):
    """The zone, 404 out of reach or when the unit is not a zone's top, 403 for a reader who is
    neither its office nor a leader."""
    zone = get_unit(request, zone_id)
    if store.zone_of(zone).pk != zone.pk:
        raise Http404
    if not scope_for(request).oversees(zone):
        raise PermissionDenied
    return zone


def _kind(code):
    kind = kinds.get(code)
    if kind is None:
        raise Http404
    return kind


@login_required
def templates_home(request):
    """The templates of the user's zone (the first, for someone in several)."""
    scope = scope_for(request)
    roots = scope.office_roots() or [u for u in scope.top_units() if scope.oversees(u)]
    if not roots:
        raise PermissionDenied
    return redirect("doc_templates", store.zone_of(roots[0]).pk)


def _page(request, zone, error=None, error_kind=None, status=200):
    scope = scope_for(request)
    rows = []
    for kind in kinds.all_kinds():
        history = list(DocumentTemplate.objects.filter(zone=zone, kind=kind.code).select_related("uploaded_by")[:5])
        rows.append(
            {
                "kind": kind,
                "current": next((t for t in history if t.active), None),
                "history": history,
                "error": error if error_kind == kind.code else None,
            }
        )
    return render(
        request,
        "doctemplates/templates.html",
        {
            "zone": zone,
            "rows": rows,
            "can_edit": scope.office_for(zone),
            "examples": EXAMPLES,
        },
        status=status,
    )


@login_required
def zone_templates(request, zone_id):
    return _page(request, _zone(request, zone_id))


@login_required
def template_download(request, zone_id, code):
    zone = _zone(request, zone_id)
    kind = _kind(code)
    data, uploaded = store.template_bytes(zone, code)
    name = _("Template %(kind)s %(which)s.docx") % {
        "kind": kind.label,
        "which": zone.name if uploaded else _("(default)"),
    }
    response = HttpResponse(data, content_type=DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@require_POST
@login_required
def template_upload(request, zone_id, code):
    zone = _zone(request, zone_id)
    require_office(request, zone)
    kind = _kind(code)
    upload = request.FILES.get("file")
    if upload is None:
        return _page(request, zone, _("Choose a Word file (.docx) to upload."), code, status=400)
    name = upload.name or ""
    if name.lower().endswith(".docm"):
        error = _("The template contains macros; save it as a plain Word document (.docx), not .docm.")
        return _page(request, zone, error, code, status=400)
    if not name.lower().endswith(".docx"):
        error = _("This is not a Word document (.docx). Save the template in Word or WPS as .docx.")
        return _page(request, zone, error, code, status=400)
    if upload.size > template.MAX_BYTES:
        error = _("The template is larger than %(mb)d MB.") % {"mb": template.MAX_BYTES // 2**20}
        return _page(request, zone, error, code, status=400)
    try:
        store.upload(zone, code, upload.read(), name, request.user)
    except template.Refused as refused:
        return _page(request, zone, str(refused), code, status=400)
    messages.success(request, _("The template of %(kind)s is in use from now on.") % {"kind": kind.label})
    return redirect(reverse("doc_templates", args=[zone.pk]) + f"#kind-{code}")


@require_POST
@login_required
def template_reset(request, zone_id, code):
    zone = _zone(request, zone_id)
    require_office(request, zone)
    kind = _kind(code)
    back = reverse("doc_templates", args=[zone.pk])
    if not confirm.confirmed(request):
        return confirm.ask(
            request,
            title=_("Use the default template of %(kind)s again?") % {"kind": kind.label},
            action=reverse("doc_template_reset", args=[zone.pk, code]),
            cancel=back,
            happens=[
                _("Documents of this kind are written from duban's default template from now on."),
                _("The office's uploaded templates stay on record and may be uploaded again."),
            ],
            button=_("Use the default"),
        )
    store.reset(zone, code)
    messages.success(request, _("%(kind)s is written from the default template again.") % {"kind": kind.label})
    return redirect(back + f"#kind-{code}")
