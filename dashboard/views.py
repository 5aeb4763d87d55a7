import json
import time

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.http import http_date, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.models import Campaign
from dashboard import freshness, screen_data
from dashboard.access import BadToken, scope_key, screen_scope
from dashboard.forms import KioskForm
from dashboard.models import KioskToken
from duban import db_router, figure_cache
from org.scoping import require_office, scope_for

MIN_REFRESH, MAX_REFRESH = 5, 3600


def default_refresh():
    """Seconds between refreshes: settings.DUBAN_SCREEN_REFRESH_SECONDS, else 60."""
    return int(getattr(settings, "DUBAN_SCREEN_REFRESH_SECONDS", 60))


class BadParameter(Exception):
    pass


def _focus(request, scope, token):
    """The pinned campaign (?campaign=ID, else the token's), or None to rotate."""
    raw = request.GET.get("campaign")
    if raw in (None, ""):
        if token is not None and token.campaign_id:
            return Campaign.objects.visible_to(scope).filter(pk=token.campaign_id).first()
        return None
    try:
        campaign_id = int(raw)
    except ValueError:
        raise BadParameter(_("“%(value)s” is not a campaign number.") % {"value": raw[:20]}) from None
    campaign = Campaign.objects.visible_to(scope).filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404
    return campaign


def _refresh(request):
    raw = request.GET.get("refresh")
    if raw in (None, ""):
        return default_refresh()
    try:
        seconds = int(raw)
    except ValueError:
        seconds = 0
    if not MIN_REFRESH <= seconds <= MAX_REFRESH:
        raise BadParameter(
            _("The refresh interval must be a whole number of seconds from %(min)s to %(max)s.")
            % {"min": MIN_REFRESH, "max": MAX_REFRESH}
        )
    return seconds


def _json_error(message, status):
    return JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})


def _refused(request, message, status):
    return render(request, "dashboard/refused.html", {"message": message}, status=status)


def screen(request):
    """The wall: 1920×1080, dark; its figures come from data.json and refresh by themselves."""
    try:
        scope, token = screen_scope(request)
    except BadToken:
        return _refused(request, _("This screen key is not valid or has been revoked."), 403)
    if scope is None:
        return redirect_to_login(request.get_full_path())
    try:
        focus = _focus(request, scope, token)
        refresh = _refresh(request)
    except BadParameter as error:
        return _refused(request, str(error), 400)
    params = {}
    if token is not None:
        params["kiosk"] = request.GET["kiosk"]
    config = {
        "dataUrl": reverse("screen_data") + ("?" + urlencode(params) if params else ""),
        "refreshSeconds": refresh,
        "pinned": focus.pk if focus else None,
        "timeZone": settings.TIME_ZONE,
    }
    return render(request, "dashboard/screen.html", {"config": config, "labels": _labels()})


def _labels():
    """The words the screen's script writes: legends, tooltips, the weekday."""
    return {
        "done": _("Done %"),
        "elapsed": _("Time elapsed"),
        "time": _("Time elapsed"),
        "tasks_done": _("Done"),
        "tasks_open": _("Open"),
        "tasks_overdue": _("Overdue"),
        "days_left": _("%s days left"),
        "red_count": _("%s units in red"),
        "no_red": _("No unit is in red."),
        "no_campaign": _("No campaign is running."),
        "weekdays": [_("Sunday"), _("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday")],
    }


def screen_data_view(request):
    """The screen's figures as JSON, with ETag and Last-Modified: an unchanged wall gets a 304."""
    try:
        scope, token = screen_scope(request)
    except BadToken:
        return _json_error(_("This screen key is not valid or has been revoked."), 403)
    if scope is None:
        return redirect_to_login(request.get_full_path())
    try:
        focus = _focus(request, scope, token)
    except BadParameter as error:
        return _json_error(str(error), 400)
    today = timezone.localdate()
    etag, last_modified, body = _screen_answer(request, scope, focus, today)
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    response = HttpResponse(body(), content_type="application/json") if not_modified is None else not_modified
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _screen_answer(request, scope, focus, today):
    """(ETag, Last-Modified, a function giving the body) of the screen's data.

    The body is built once per validator across every process and server (the figure cache):
    after a write, one build serves every wall of the reach. With DUBAN_SCREEN_SETTLE_SECONDS (a
    province's deployment), the walls are also given the reach's latest body while it is younger
    than that, whatever was written since — at most one build per reach in that time however
    fast reports arrive — unless the reader has just written (the primary pin cookie): their
    own write shows at once."""
    focus_id = focus.pk if focus else "rotate"
    language = get_language()
    settle = settings.DUBAN_SCREEN_SETTLE_SECONDS
    latest_key = f"screen-latest:{scope_key(scope)}|{focus_id}|{language}|{today}"
    if settle and db_router.PIN_COOKIE not in request.COOKIES:
        latest = figure_cache.get(latest_key, "latest")
        if latest is not None and time.time() - latest[0] < settle:
            _built_at, etag, last_modified, body = latest
            return etag, last_modified, lambda: body
    fresh = freshness.current(today)
    etag = quote_etag(freshness.etag_for(fresh.value, scope_key(scope), focus_id))
    last_modified = int(fresh.changed_at.timestamp())

    def make():
        return figure_cache.get_or_make(
            f"screen-json:{etag}:{language}", fresh.value, lambda: _screen_body(scope, focus, today, fresh)
        )

    if not settle:
        return etag, last_modified, make
    body = make()  # the latest body is what the next walls are given: make it now
    figure_cache.put(latest_key, "latest", (time.time(), etag, last_modified, body))
    return etag, last_modified, lambda: body


def _screen_body(scope, focus, today, fresh):
    data = screen_data.build(scope, focus, today, fresh.value, fresh.headline)
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).encode()


def kiosks(request):
    """The office's list of kiosk tokens: make one (its key is shown once), revoke one."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require_office(request)
    scope = scope_for(request)
    new_url = None
    form = KioskForm(scope, request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.save(commit=False)
        raw = token.new_key()
        token.created_by = request.user
        token.save()
        new_url = request.build_absolute_uri(reverse("screen") + "?" + urlencode({"kiosk": raw}))
        form = KioskForm(scope)
    return render(
        request,
        "dashboard/kiosks.html",
        {
            "form": form,
            "tokens": KioskToken.objects.visible_to(scope).select_related("unit", "campaign"),
            "new_url": new_url,
        },
        status=400 if form.errors else 200,
    )


@require_POST
def revoke_kiosk(request, token_id):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("kiosks"))
    require_office(request)
    token = KioskToken.objects.visible_to(scope_for(request)).filter(pk=token_id).first()
    if token is None:
        raise Http404
    token.revoke()
    return redirect("kiosks")
