from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "citywatch.teams"
    verbose_name = _("Teams")

    def ready(self) -> None:
        from citywatch.teams import policies

        policies.register_lower_layers()
