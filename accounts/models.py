from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccountSecurity(models.Model):
    """A person's security settings: a password they must change, their second factor."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="security"
    )
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set when somebody else set the password; cleared when the person changes it."),
    )
    totp_secret = models.CharField(_("authenticator key"), max_length=64, blank=True, editable=False)
    totp_enabled_at = models.DateTimeField(_("second factor since"), null=True, blank=True, editable=False)
    totp_last_step = models.BigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("account security")
        verbose_name_plural = _("account security")

    def __str__(self):
        return str(self.user)

    @property
    def totp_enabled(self):
        return bool(self.totp_enabled_at and self.totp_secret)


class PasswordHistory(models.Model):
    """The hashes of a person's recent passwords, so that none of the last few is used again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "created_at"], name="password_history_user")]

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"


class LoginFailure(models.Model):
    """One failed log-in (wrong password, unknown user or wrong second-factor code), kept in the
    database so that every worker process sees the same count."""

    username = models.CharField(max_length=150)
    address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["username", "at"], name="login_failure_username"),
            models.Index(fields=["address", "at"], name="login_failure_address"),
            models.Index(fields=["at"], name="login_failure_at"),
        ]

    def __str__(self):
        return f"{self.username} {self.address} {self.at:%Y-%m-%d %H:%M:%S}"
