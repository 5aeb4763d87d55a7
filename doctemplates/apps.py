from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DoctemplatesConfig(AppConfig):
    name = "doctemplates"
    verbose_name = _("Document templates")
