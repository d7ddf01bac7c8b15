from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AtlasConfig(AppConfig):
    name = "citywatch.atlas"
    verbose_name = _("Atlas")

    def ready(self) -> None:
        from citywatch.atlas import policies, signals

        policies.register()
        signals.connect()
