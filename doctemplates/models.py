"""An office's uploaded template of one kind of document. Every upload is kept (who, when, the
file's checksum); at most one per zone and kind is active, and none active means the default."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from org.models import OrgUnit


def _path(instance, filename):
    # never the uploader's file name: zone, kind and a number the system chooses
    return f"doctemplates/{instance.zone_id}/{instance.kind}-{instance.sha256[:12]}.docx"


class DocumentTemplate(models.Model):
    zone = models.ForeignKey(OrgUnit, verbose_name=_("zone"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind of document"), max_length=20)
    file = models.FileField(_("file"), upload_to=_path, max_length=200)
    original_name = models.CharField(_("uploaded file name"), max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    active = models.BooleanField(_("in use"), default=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "kind"], condition=models.Q(active=True), name="one_active_template_per_kind"
            )
        ]
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")

    def __str__(self):
        return f"{self.zone} {self.kind} {self.uploaded_at:%Y-%m-%d}"
