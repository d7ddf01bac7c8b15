from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "citywatch.teams"
    verbose_name = _("Teams")

    def ready(self) -> None:
        from django.db.models.signals import pre_delete, pre_save

        from citywatch.teams import permissions, policies

        policies.register_lower_layers()
        # An organisation losing its last name while hidden stays hidden (permissions).
        pre_save.connect(permissions.before_naming_save, dispatch_uid="naming-save")
        pre_delete.connect(permissions.before_naming_delete, dispatch_uid="naming-delete")
