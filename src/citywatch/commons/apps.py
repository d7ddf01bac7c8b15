from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonsConfig(AppConfig):
    name = "citywatch.commons"
    verbose_name = _("Commons")

    def ready(self) -> None:
        from citywatch.commons import (  # noqa: F401  (signals: audit receivers)
            deal_writes,
            evidence_writes,
            signals,
        )

        evidence_writes.register()
        deal_writes.register()
