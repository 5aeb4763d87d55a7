"""Issued bulletins (督查通报) and roll-up documents, archived exactly as issued.

Each issued document keeps its files (Word, Excel, and PDF when LibreOffice could make one)
under MEDIA_ROOT at a path the system chooses, with a SHA-256 checksum; they are served only
through a view that checks the reader's scope and the checksum.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign


class Bulletin(models.Model):
    class Kind(models.TextChoices):
        WEEK = "week", _("Weekly supervision bulletin")
        MONTH = "month", _("Monthly summary")
        QUARTER = "quarter", _("Quarterly statement")
        HALF = "half", _("Half-year review")
        YEAR = "year", _("Annual review")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="bulletins")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    period_key = models.CharField(_("period"), max_length=10)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    as_of = models.DateField(_("figures as of"))
    issuer = models.CharField(_("issuing office"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    pdf_note = models.CharField(_("why there is no PDF"), max_length=200, blank=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        help_text=_("The issue of the same period this one corrects (更正), if it is a correction."),
    )

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind", "year", "number"], name="unique_bulletin_number")
        ]
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")

    def __str__(self):
        return f"{self.title} {self.number_label}"

    @property
    def number_label(self):
        return _("No. %(number)d of %(year)d") % {"number": self.number, "year": self.year}

    def file(self, fmt):
        return next((f for f in self.files.all() if f.format == fmt), None)


def _archive_path(instance, filename):
    # Never a user-chosen name: campaign, year, kind, number and format only.
    b = instance.bulletin
    return f"bulletins/{b.campaign_id}/{b.year}/{b.kind}-{b.number:03d}-{b.pk}.{instance.format}"


class BulletinFile(models.Model):
    class Format(models.TextChoices):
        DOCX = "docx", "Word"
        XLSX = "xlsx", "Excel"
        PDF = "pdf", "PDF"

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="files")
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    file = models.FileField(_("file"), upload_to=_archive_path, max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bulletin", "format"], name="unique_bulletin_format")]
        verbose_name = _("archived file")
        verbose_name_plural = _("archived files")

    def __str__(self):
        return self.file.name
