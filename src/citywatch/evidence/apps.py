from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "citywatch.evidence"
    verbose_name = _("Evidence")

    def ready(self) -> None:
        from django.core import checks

        from citywatch.evidence import cleaning

        checks.register(cleaning.check_mat2)
