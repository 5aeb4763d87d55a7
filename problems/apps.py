from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProblemsConfig(AppConfig):
    name = "problems"
    verbose_name = _("Coordination problems")

    def ready(self):
        from problems import doc_kinds

        doc_kinds.register()  # the minutes' template (doctemplates)
