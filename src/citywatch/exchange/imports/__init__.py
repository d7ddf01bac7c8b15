"""Imports: `citywatch import FILE` and the upload page share ``run_import``.

The whole file is imported in one transaction. Each row runs in its own savepoint so that every
problem in the file is found and reported with its line; if there is any problem (or on a dry
run) everything is rolled back at the end, so a bad file changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from citywatch.atlas.services import deferred_changes
from citywatch.core.bulk import fewer_collections, large_page_cache
from citywatch.exchange.imports.base import CHANGE_REASON
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
    header = [name.strip().lstrip("\ufeff") for name in header]
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
    user: Any | None = None,
) -> ImportReport:
    """Import a file in one transaction; nothing is saved when any row is refused or on a dry
    run, and the report is the same either way.

    ``user`` is who imports through the web page: the import matches and changes only what
    ``access.import_scope`` allows them; None (the command line) may change everything. The
    file name only helps to guess the format: it is never written into the records' history.

    Problems are reported in the returned report, never raised.
    """
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
    options = {"scheme": scheme} if format_name == "citywatch-csv" else {}
    importer = IMPORTERS[format_name](report, user=user, **options)
    # Derived fields and the search index follow once, for every deployment the file touched,
    # after its last row (atlas.services.deferred_changes), not after each saved record.
    with (
        fewer_collections(),
        large_page_cache(),
        transaction.atomic(),
        deferred_changes() as changed,
    ):
        importer.run(text)
        if report.ok and not dry_run:
            propose(importer.proposals, user)
        if not report.ok or dry_run:
            changed.clear()  # rolled back: nothing to derive or index
            transaction.set_rollback(True)
    return report


def propose(proposals: list[tuple[Any, dict[str, Any]]], user: Any) -> None:
    """Turn a contributor's import into change proposals for the owning teams' reviewers."""
    from citywatch.commons.services import propose_change

    for record, changes in proposals:
        values = {name: field_value_of(record, name, value) for name, value in changes.items()}
        propose_change(record, values, user=user, reason=CHANGE_REASON, team=record.owner_team)


def field_value_of(record: Any, name: str, value: Any) -> Any:
    """A proposed value as proposals keep them (dates as ISO text)."""
    return value.isoformat() if hasattr(value, "isoformat") else value


__all__ = ["FORMAT_CHOICES", "IMPORTERS", "ImportReport", "detect_format", "run_import"]
