"""citywatch process-documents: read the text of newly stored files (run it from cron).

citywatch process-documents             process everything waiting, then stop
citywatch process-documents --watch 30  keep going, looking for new files every 30 s
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import ngettext

from citywatch.evidence import services


class Command(BaseCommand):
    help = "Extract the text of stored documents that are waiting for it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=None, help="Process at most N files.")
        parser.add_argument(
            "--watch",
            type=float,
            default=None,
            metavar="SECONDS",
            help="Keep running, checking for new files every SECONDS.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            done = services.process_pending_files(limit=options["limit"])
            if done or options["watch"] is None:
                self.stdout.write(
                    ngettext("%(count)d file processed.", "%(count)d files processed.", done)
                    % {"count": done}
                )
            if options["watch"] is None:
                return
            time.sleep(options["watch"])
