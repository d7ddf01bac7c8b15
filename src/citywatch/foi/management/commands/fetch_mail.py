"""citywatch fetch-mail: file the mail waiting in an IMAP mailbox (``CITYWATCH_IMAP_URL``).

Run it from cron or a systemd timer (every minute is fine): each message is filed once and
moved to the processed folder only after it is committed; a second run files nothing.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from citywatch.foi.mail import imap
from citywatch.foi.mail.config import setting


class Command(BaseCommand):
    help = _("File the e-mails waiting in the IMAP mailbox on their FOI requests.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url", default="", help=_("The mailbox (default: CITYWATCH_IMAP_URL).")
        )
        parser.add_argument(
            "--processed",
            default="",
            help=_("Folder for filed mail (default: CITYWATCH_IMAP_PROCESSED or Processed)."),
        )
        parser.add_argument("--limit", type=int, default=None, help=_("At most this many."))

    def handle(self, *args, url: str, processed: str, limit: int | None, **options) -> None:
        try:
            mailbox = imap.parse_url(url or setting("CITYWATCH_IMAP_URL"), processed)
            report = imap.fetch(mailbox, limit=limit)
        except imap.MailboxError as error:
            raise CommandError(str(error)) from error
        for outcome in report.outcomes:
            self.stdout.write(outcome.describe())
        self.stdout.write(
            _("%(filed)d filed, %(unmatched)d unmatched, %(duplicate)d received before.")
            % {
                "filed": report.count("filed"),
                "unmatched": report.count("unmatched"),
                "duplicate": report.count("duplicate"),
            }
        )
        for failure in report.failures:
            self.stderr.write(failure)
        if report.failures:
            raise CommandError(
                _("%(count)d message(s) could not be filed and stay in the mailbox.")
                % {"count": len(report.failures)}
            )
