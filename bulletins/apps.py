from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinsConfig(AppConfig):
    name = "bulletins"
    verbose_name = _("Bulletins")

    def ready(self):
        from bulletins import doc_kinds

        doc_kinds.register()  # the bulletin's and the roll-ups' templates (doctemplates)
