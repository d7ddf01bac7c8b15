from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def sync_laws_after_migrate(sender: AppConfig, **kwargs: object) -> None:
    """Keep the FOI law table equal to the shipped catalogue (idempotent)."""
    from citywatch.foi.services import sync_laws

    sync_laws(using=str(kwargs.get("using", "default")))


class FoiConfig(AppConfig):
    name = "citywatch.foi"
    verbose_name = _("FOI desk")

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from citywatch.commons.signals import visibility_changed
        from citywatch.foi import policies
        from citywatch.foi.models import FoiRequest

        policies.register()
        pre_save.connect(visibility_changed, sender=FoiRequest, dispatch_uid="audit-foi-visibility")
        post_migrate.connect(sync_laws_after_migrate, sender=self)
