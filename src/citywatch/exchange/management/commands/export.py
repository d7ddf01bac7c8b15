"""`citywatch export --format csv|geojson|json|ocds|datapackage|<table> [--output FILE]`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from citywatch.exchange import exports, tables


class Command(BaseCommand):
    help = "Export the public dataset in an open format (CC BY 4.0)."

    def add_arguments(self, parser: Any) -> None:
        choices = [*exports.FORMATS, *tables.TABLE_COLUMNS]
        parser.add_argument(
            "--format",
            required=True,
            choices=choices,
            help="csv, geojson, json (citywatch.json), ocds, datapackage, or a table name "
            "such as sources or citations.",
        )
        parser.add_argument(
            "--output",
            "-o",
            default="",
            help="File to write (default: the format's file name in the current folder); "
            "'-' writes to standard output.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["format"]
        filename = exports.FORMATS.get(name, f"{name}.csv")
        made = exports.export(filename)
        output = options["output"] or filename
        if output == "-":
            # Written as it is made (the same blocks the web streams).
            made.write_to(sys.stdout.buffer)
            sys.stdout.flush()
            return
        try:
            size = exports.write_file(Path(output), made)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error}") from error
        self.stderr.write(f"Wrote {output} ({size:,} bytes, CC BY 4.0).")
