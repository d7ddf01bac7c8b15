from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from citywatch.web import static_files


class Command(BaseCommand):
    help = _("Create the data folder and the database (or bring it up to date). Safe to re-run.")

    def handle(self, *args, **options) -> None:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        static_files.collect()
        database = settings.DATABASES["default"]
        where = database["NAME"] if "sqlite" in database["ENGINE"] else database.get("HOST", "")
        self.stdout.write(_("Database ready: %(where)s") % {"where": where})
