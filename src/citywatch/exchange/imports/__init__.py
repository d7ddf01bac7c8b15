"""Imports: `citywatch import FILE` and the upload page share ``run_import``.

The whole file is imported in one transaction. Each row runs in its own savepoint so that every
problem in the file is found and reported with its line; if there is any problem (or on a dry
run) everything is rolled back at the end, so a bad file changes nothing.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from citywatch.core.change_reasons import IMPORTED
from citywatch.exchange.imports.citywatch_csv import CsvImporter, is_our_csv
from citywatch.exchange.imports.citywatch_json import JsonImporter
from citywatch.exchange.imports.eff_atlas import AtlasImporter, is_atlas_csv
from citywatch.exchange.imports.reading import decode, read_csv
from citywatch.exchange.imports.report import ImportReport

IMPORTERS = {
    "citywatch-json": JsonImporter,
    "citywatch-csv": CsvImporter,
    "eff-atlas": AtlasImporter,
}
FORMAT_CHOICES = [
    ("citywatch-json", _("CityWatch dataset (citywatch.json)")),
    ("citywatch-csv", _("CityWatch deployments CSV (deployments.csv layout)")),
    ("eff-atlas", _("EFF Atlas of Surveillance CSV")),
]


def detect_format(filename: str, text: str) -> str:
    """Guess the format from the file's name and first line."""
    stripped = text.lstrip()
    if filename.lower().endswith(".json") or stripped.startswith(("{", "[")):
        return "citywatch-json"
    header, _rows, _problems = read_csv(stripped.split("\n", 1)[0] + "\n")
    if is_atlas_csv(header):
        return "eff-atlas"
    if is_our_csv(header):
        return "citywatch-csv"
    return ""


def run_import(
    data: bytes,
    filename: str = "",
    format_name: str = "",
    dry_run: bool = False,
    scheme: str = "external",
) -> ImportReport:
    report = ImportReport(filename=filename, dry_run=dry_run)
    text, problems = decode(data)
    if problems:
        report.problems += problems
        return report
    format_name = format_name or detect_format(filename, text)
    if format_name not in IMPORTERS:
        report.problem(
            1,
            _("cannot tell the file's format: use one of %(formats)s")
            % {"formats": ", ".join(IMPORTERS)},
        )
        return report
    report.format = format_name
    reason = IMPORTED  # never the file name: file names often name people
    options = {"scheme": scheme} if format_name == "citywatch-csv" else {}
    importer = IMPORTERS[format_name](report, change_reason=reason, **options)
    with transaction.atomic():
        importer.run(text)
        if not report.ok or dry_run:
            transaction.set_rollback(True)
    return report


__all__ = ["FORMAT_CHOICES", "IMPORTERS", "ImportReport", "detect_format", "run_import"]
