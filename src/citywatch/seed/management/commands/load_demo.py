from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from citywatch.seed.loader import load_demo


class Command(BaseCommand):
    help = _("Load or refresh the demo data (the report's cases). Loading twice adds nothing.")

    def handle(self, *args, **options) -> None:
        call_command("init")
        counts = load_demo()
        created = sum(n for key, n in counts.items() if key.endswith("_created"))
        updated = sum(n for key, n in counts.items() if key.endswith("_updated"))
        self.stdout.write(
            _("Demo data loaded: %(created)s, %(updated)s.")
            % {
                "created": ngettext(
                    "%(count)d record created", "%(count)d records created", created
                )
                % {"count": created},
                "updated": ngettext("%(count)d updated", "%(count)d updated", updated)
                % {"count": updated},
            }
        )
