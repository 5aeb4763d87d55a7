"""API tokens: a named key for a machine, owned by one person, with an expiry.

The key is shown once, when it is made: `<prefix>.<secret>`. The prefix (random, not secret) finds
the row; only the SHA-256 of the secret is stored. SHA-256 without salt or stretching is right here
because the secret is 256 random bits, not a password a person chose: there is nothing to guess.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PREFIX_BYTES = 6  # 12 hex characters
SECRET_BYTES = 32


def hash_secret(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def split_key(raw):
    """(prefix, secret) of a presented key, or None when it has not the shape of one."""
    prefix, dot, secret = (raw or "").partition(".")
    if not dot or len(prefix) != 2 * PREFIX_BYTES or not secret or len(secret) > 100:
        return None
    return prefix, secret


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What uses it, e.g. the county's data exchange."))
    prefix = models.CharField(_("key begins with"), max_length=2 * PREFIX_BYTES, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    last_used_from = models.GenericIPAddressField(_("last used from"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user, name, days=None, created_by=None):
        """A new token and its key (the only time the key can be read). `days` is bounded by
        DUBAN_API_TOKEN_MAX_DAYS; None takes DUBAN_API_TOKEN_DAYS."""
        days = settings.DUBAN_API_TOKEN_DAYS if days is None else days
        days = max(1, min(int(days), settings.DUBAN_API_TOKEN_MAX_DAYS))
        prefix, secret = secrets.token_hex(PREFIX_BYTES), secrets.token_urlsafe(SECRET_BYTES)
        now = timezone.now()
        token = cls.objects.create(
            user=user,
            name=(name or "").strip()[:100],
            prefix=prefix,
            secret_hash=hash_secret(secret),
            created_at=now,
            created_by=created_by or user,
            expires_at=now + timedelta(days=days),
        )
        return token, f"{prefix}.{secret}"

    @classmethod
    def find(cls, raw):
        """The token with this key (whatever its state), or None."""
        parts = split_key(raw)
        if parts is None:
            return None
        token = cls.objects.select_related("user").filter(prefix=parts[0]).first()
        if token is None or not hmac.compare_digest(token.secret_hash, hash_secret(parts[1])):
            return None
        return token

    def is_expired(self, now=None):
        return self.expires_at <= (now or timezone.now())
