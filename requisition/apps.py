from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequisitionConfig(AppConfig):
    name = "requisition"
    verbose_name = _("Land requisition")
