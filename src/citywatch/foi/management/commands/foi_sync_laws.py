"""citywatch foi-sync-laws [--recompute-all]: load the shipped FOI laws and recompute due dates."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from citywatch.foi.services import recompute_open_requests, sync_laws


class Command(BaseCommand):
    help = _(
        "Update the FOI laws from the shipped catalogue and recompute the due dates of open "
        "requests whose law or holiday calendar changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--recompute-all",
            action="store_true",
            help=_("Recompute every open request, changed or not."),
        )

    def handle(self, *args, recompute_all: bool, **options) -> None:
        counts = sync_laws()
        changed = counts.get("foirequest_recomputed", 0)
        if recompute_all:
            changed += recompute_open_requests(force=True)
        self.stdout.write(
            _("Laws: %(created)d added, %(updated)d updated. Due dates changed: %(changed)d.")
            % {
                "created": counts.get("foilaw_created", 0),
                "updated": counts.get("foilaw_updated", 0),
                "changed": changed,
            }
        )
