from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "citywatch.api"
    verbose_name = _("API")

    def ready(self) -> None:
        # Its proposal operation and its receiver of moved organisations, also in processes
        # that serve no page (the command line).
        from citywatch.api import services  # noqa: F401
