from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ImmutableError(Exception):
    """An audit entry cannot be changed or deleted."""


class EntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableError("audit entries cannot be changed")

    def delete(self):
        raise ImmutableError("audit entries cannot be deleted")

    def visible_to(self, scope):
        """The entries an office reads: those about its subtrees' records and people (an entry
        about no unit, such as a change of an indicator, is a superuser's)."""
        return self.filter(scope.office_q("unit_path"))


class Entry(models.Model):
    """One line of the audit trail. Written once, never changed or deleted by the application."""

    class Action(models.TextChoices):
        CREATE = "create", pgettext_lazy("audit action", "Created")
        UPDATE = "update", pgettext_lazy("audit action", "Changed")
        DELETE = "delete", pgettext_lazy("audit action", "Deleted")
        IMPORT = "import", pgettext_lazy("audit action", "Imported")
        LOGIN = "login", pgettext_lazy("audit action", "Logged in")
        LOGIN_FAILED = "login_failed", pgettext_lazy("audit action", "Failed log-in")
        LOGOUT = "logout", pgettext_lazy("audit action", "Logged out")
        EXPORT = "export", pgettext_lazy("audit action", "Download")
        REVEAL = "reveal", pgettext_lazy("audit action", "Personal data shown")
        SECURITY = "security", pgettext_lazy("audit action", "Account security")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # No database constraint and no cascade: deleting a person never touches the trail.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    model = models.CharField(_("record type"), max_length=100, blank=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    object_repr = models.CharField(_("record"), max_length=200, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    path = models.CharField(_("page"), max_length=300, blank=True)
    # The org unit the entry is about (its record's unit, else the person's): whose office reads it.
    unit_path = models.CharField(max_length=255, blank=True, db_index=True, editable=False)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["model", "object_id"], name="audit_model_object"),
            models.Index(fields=["username", "at"], name="audit_username_at"),
            models.Index(fields=["action", "at"], name="audit_action_at"),
        ]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.action} {self.model} {self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("audit entries cannot be deleted")
