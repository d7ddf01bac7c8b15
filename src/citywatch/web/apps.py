from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "citywatch.web"
    verbose_name = _("Web")

    def ready(self) -> None:
        from citywatch.web import checks  # noqa: F401 (registers the checks)
        from citywatch.web.accounts import connect_signals

        connect_signals()
