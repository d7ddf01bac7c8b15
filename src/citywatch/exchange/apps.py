from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "citywatch.exchange"
    verbose_name = _("Exchange")

    def ready(self) -> None:
        from citywatch.exchange import queries

        queries.track_public_reads()
