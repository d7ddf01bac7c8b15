"""citywatch foi-check: flag every overdue request once and e-mail the requester.

Safe to run from cron at any interval: there is no time window, and a request is flagged
once per due date.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from citywatch.foi.services import check_overdue


class Command(BaseCommand):
    help = _("Flag every FOI request past its due date (once) and e-mail the requester.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", help=_("Check as of this day (YYYY-MM-DD) instead of today.")
        )

    def handle(self, *args, today: str | None, **options) -> None:
        try:
            on = dt.date.fromisoformat(today) if today else None
        except ValueError as error:
            raise CommandError(_("Enter --today as YYYY-MM-DD.")) from error
        flagged = check_overdue(on)
        failures = 0
        for item in flagged:
            if item.error:
                failures += 1
                self.stderr.write(
                    _("Not flagged, reminder failed (%(error)s): %(title)s")
                    % {"error": item.error, "title": item.request.title}
                )
            else:
                self.stdout.write(
                    _("Overdue since %(due)s: %(title)s (reminder to %(to)s)")
                    % {
                        "due": item.request.due_on,
                        "title": item.request.title,
                        "to": item.emailed_to or _("nobody: the organisation has no e-mail"),
                    }
                )
        newly = len(flagged) - failures
        self.stdout.write(
            ngettext("%(count)d request newly flagged.", "%(count)d requests newly flagged.", newly)
            % {"count": newly}
        )
        if failures:
            raise CommandError(
                ngettext(
                    "%(count)d reminder could not be sent.",
                    "%(count)d reminders could not be sent.",
                    failures,
                )
                % {"count": failures}
            )
