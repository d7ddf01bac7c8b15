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
        verbose = options["dry_run"] or options["verbosity"] > 1
        if verbose:
            would = options["dry_run"] or not report.ok
            for change in report.changes:
                self.stdout.write(change.describe(would=would))
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        for problem in report.problems:
            self.stderr.write(f"rejected: {problem}")
        for kind, counts in report.counts_by_kind().items():
            numbers = ", ".join(f"{n} {action}" for action, n in sorted(counts.items()))
            self.stdout.write(f"  {kind}: {numbers}")
        self.stdout.write(report.summary())
        if not report.ok:
            raise CommandError("The file was not imported; fix the problems above.")
