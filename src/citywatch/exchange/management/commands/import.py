"""`citywatch import FILE [--dry-run] [--format ...] [--scheme NAME]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from citywatch.exchange.imports import IMPORTERS, run_import


class Command(BaseCommand):
    help = (
        "Import a CityWatch dataset (JSON), a deployments CSV or an EFF Atlas of Surveillance "
        "CSV. Records are matched by id, so a second run changes nothing; a file with any "
        "problem changes nothing."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="The file to import.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say what would be created, updated and rejected, and save nothing.",
        )
        parser.add_argument(
            "--format",
            default="",
            choices=["", *IMPORTERS],
            help="The file's format (default: recognised from the file).",
        )
        parser.add_argument(
            "--scheme",
            default="external",
            help="Whose ids the external_id column holds (CSV only), e.g. your organisation.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        report = run_import(
            data,
            filename=path.name,
            format_name=options["format"],
            dry_run=options["dry_run"],
            scheme=options["scheme"],
        )
        # The same report on a dry run and a real one (a dry run says "would").
        for line in report.lines()[:-1]:
            if line.startswith(("rejected:", "warning:")):
                self.stderr.write(line)
            elif options["verbosity"] > 0:
                self.stdout.write(line)
        for kind, counts in report.counts_by_kind().items():
            numbers = ", ".join(f"{n} {action}" for action, n in sorted(counts.items()))
            self.stdout.write(f"  {kind}: {numbers}")
        self.stdout.write(report.summary())
        if not report.ok:
            raise CommandError("The file was not imported; fix the problems above.")
