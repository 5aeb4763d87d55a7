"""The two ways reminders go out: e-mail through Django's SMTP backend, and a group robot
webhook (DingTalk or WeCom) taking JSON text / markdown messages.

Each channel raises ChannelError on failure; the caller logs it and retries on the next run.
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

WEBHOOK_TIMEOUT = 10
# WeCom's markdown content takes at most 4096 bytes; DingTalk's about 20,000.
MAX_BYTES = {"wecom": 4000, "dingtalk": 18000}


class ChannelError(Exception):
    pass


def email_enabled():
    return bool(settings.EMAIL_HOST)


def webhook_enabled():
    return bool(settings.DUBAN_WEBHOOK_URL)


def open_smtp():
    """One SMTP connection for a run; ChannelError when the server cannot be reached."""
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as err:  # socket errors, SMTP errors, TLS errors …
        raise ChannelError(f"SMTP {settings.EMAIL_HOST}:{settings.EMAIL_PORT}: {err}") from err
    return connection


def send_email(connection, to, subject, body):
    message = EmailMessage(subject=subject, body=body, to=[to], connection=connection)
    try:
        if message.send() != 1:
            raise ChannelError(f"SMTP refused the message to {to}")
    except ChannelError:
        raise
    except Exception as err:
        raise ChannelError(f"SMTP: {err}") from err


def signed_url(url, secret, timestamp_ms=None):
    """DingTalk's signed-URL option: timestamp (ms) and sign = base64(HMAC-SHA256(secret,
    "timestamp\\nsecret")), URL-encoded, added to the webhook URL."""
    timestamp = str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest).decode())
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"


def _clip(text, kind):
    limit = MAX_BYTES[kind]
    data = text.encode()
    if len(data) <= limit:
        return text
    return data[: limit - 10].decode(errors="ignore") + "\n……"


def robot_payload(kind, title, text, markdown=True):
    """The JSON body DingTalk's and WeCom's group robots accept."""
    text = _clip(text, kind)
    if kind == "dingtalk":
        if markdown:
            return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
        return {"msgtype": "text", "text": {"content": text}}
    if markdown:
        return {"msgtype": "markdown", "markdown": {"content": text}}
    return {"msgtype": "text", "text": {"content": text}}


def post_webhook(title, text, markdown=True):
    kind = settings.DUBAN_WEBHOOK_KIND
    url = settings.DUBAN_WEBHOOK_URL
    if kind == "dingtalk" and settings.DUBAN_WEBHOOK_SECRET:
        url = signed_url(url, settings.DUBAN_WEBHOOK_SECRET)
    body = json.dumps(robot_payload(kind, title, text, markdown), ensure_ascii=False).encode()
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:  # noqa: S310 (configured URL)
            raw = response.read()
    except urllib.error.HTTPError as err:
        raise ChannelError(f"webhook HTTP {err.code}") from err
    except (urllib.error.URLError, OSError) as err:
        raise ChannelError(f"webhook: {err}") from err
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        raise ChannelError(f"webhook: not JSON: {raw[:200]!r}") from None
    # Both robots answer {"errcode": 0, "errmsg": "ok"}; anything else is a refusal.
    if answer.get("errcode", 0) != 0:
        raise ChannelError(f"webhook refused: {answer.get('errcode')} {answer.get('errmsg', '')}")
