"""citywatch receive-mail: file one e-mail read on standard input (what an MTA pipes).

    citywatch receive-mail [--recipient ADDRESS] [FILE]

Exit status (sysexits.h, as Postfix and Exim expect from a pipe): 0 when the mail was filed,
queued as unmatched or had been received before; 65 (EX_DATAERR) when the input is not an
e-mail or is too large, so the MTA bounces it; 75 (EX_TEMPFAIL) when it could not be filed
now (the database is unreachable...), so the MTA keeps it and tries again. See
docs/foi-mail.md for a Postfix transport.
"""

from __future__ import annotations

import logging
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _

from citywatch.foi.mail import filing

logger = logging.getLogger(__name__)

EX_DATAERR = 65
EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = _("File one e-mail read on standard input (or from FILE) on its FOI request.")
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", nargs="?", default="-", help=_("An .eml file; - (the default) for stdin.")
        )
        parser.add_argument(
            "--recipient",
            action="append",
            default=[],
            help=_("The envelope recipient the MTA delivers to (repeatable), e.g. ${recipient}."),
        )

    def read(self, path: str, stdin) -> bytes:
        """The message's bytes, from the file at ``path``, or for ``-`` from ``stdin`` (standard
        input when None).

        Raises:
            CommandError: (exit status EX_DATAERR) when the file cannot be read.
        """
        if path != "-":
            try:
                with open(path, "rb") as handle:
                    return handle.read()
            except OSError as error:
                raise CommandError(
                    _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error},
                    returncode=EX_DATAERR,
                ) from error
        source = stdin if stdin is not None else sys.stdin.buffer
        return source.read()

    def handle(self, *args, file: str, recipient: list[str], **options) -> None:
        raw = self.read(file, options.get("stdin"))
        try:
            outcome = filing.receive(raw, envelope_recipients=recipient)
        except (filing.UnreadableMail, filing.MailTooLarge) as error:
            raise CommandError(
                _("Not filed: %(error)s") % {"error": error}, returncode=EX_DATAERR
            ) from error
        except DatabaseError as error:
            logger.exception("Mail not filed: database error")
            raise CommandError(
                _("Not filed now, try again later: %(error)s") % {"error": error},
                returncode=EX_TEMPFAIL,
            ) from error
        self.stdout.write(outcome.describe())
