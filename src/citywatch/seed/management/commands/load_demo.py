from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from citywatch.seed.loader import load_demo


class Command(BaseCommand):
    help = _("Load or refresh the demo data (the report's cases). Loading twice adds nothing.")

    def handle(self, *args, **options) -> None:
        call_command("init")
        counts = load_demo()
        created = sum(n for key, n in counts.items() if key.endswith("_created"))
        updated = sum(n for key, n in counts.items() if key.endswith("_updated"))
        self.stdout.write(
            _("Demo data loaded: %(created)d records created, %(updated)d updated.")
            % {"created": created, "updated": updated}
        )
