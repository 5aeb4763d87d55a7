from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequisitionConfig(AppConfig):
    name = "requisition"
    verbose_name = _("Land requisition")

    def ready(self):
        from requisition import doc_kinds

        doc_kinds.register()  # the compensation sheet's template (doctemplates)
