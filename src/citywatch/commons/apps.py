from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonsConfig(AppConfig):
    name = "citywatch.commons"
    verbose_name = _("Commons")

    def ready(self) -> None:
        from citywatch.commons import evidence_writes, signals  # noqa: F401  (audit receivers)

        evidence_writes.register()
