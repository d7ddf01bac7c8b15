from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "citywatch.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.core import checks as django_checks

        from citywatch.core import checks, data_cache, signals

        signals.connect()
        data_cache.connect()
        django_checks.register(checks.check_proxy)
