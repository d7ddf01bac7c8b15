"""citywatch archive [--missing] [SOURCE_ID ...]: keep a copy of sources' web addresses."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from citywatch.evidence import archiving, services
from citywatch.evidence.models import Source


class Command(BaseCommand):
    help = "Fetch and store a copy of sources' web addresses (safely: public addresses only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source_ids", nargs="*", type=int, help="Sources to archive now.")
        parser.add_argument(
            "--missing", action="store_true", help="Archive every source that has no copy yet."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["missing"]:
            sources = list(services.sources_without_snapshot())
        elif options["source_ids"]:
            sources = list(Source.objects.filter(pk__in=options["source_ids"]).order_by("pk"))
        else:
            raise CommandError("Name source ids, or use --missing.")
        failed = 0
        for source in sources:
            try:
                snapshot = services.archive_source(source)
            except archiving.ArchiveError as error:
                failed += 1
                self.stderr.write(f"#{source.pk} {source.url}: not archived: {error}")
                continue
            self.stdout.write(
                f"#{source.pk} {source.url}: archived, {snapshot.stored_file.size} bytes, "
                f"SHA-256 {snapshot.stored_file.sha256}"
            )
        archived = len(sources) - failed
        self.stdout.write(
            _("%(archived)s, %(failed)s.")
            % {
                "archived": ngettext("%(count)d archived", "%(count)d archived", archived)
                % {"count": archived},
                "failed": ngettext("%(count)d failed", "%(count)d failed", failed)
                % {"count": failed},
            }
        )
        if failed:
            raise CommandError(
                ngettext(
                    "%(count)d source could not be archived.",
                    "%(count)d sources could not be archived.",
                    failed,
                )
                % {"count": failed},
                returncode=1,
            )
