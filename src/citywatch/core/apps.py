from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "citywatch.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from citywatch.core import signals

        signals.connect()
