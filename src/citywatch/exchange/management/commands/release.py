"""`citywatch release [--name V] [--notes TEXT]`: a dated, versioned dataset snapshot.

(The option is --name because Django's commands already use --version for their own.)
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from citywatch.exchange.releases import CHANGE_KINDS, cut_release, releases_dir


class Command(BaseCommand):
    help = (
        "Cut a dataset release: every export format written to the data folder's releases/ "
        "with a changelog of what was added and changed since the previous release (records "
        "no longer public are counted, never named)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--name",
            dest="release_version",
            default="",
            help="The release's version (default: today's date, e.g. 2026.11.27).",
        )
        parser.add_argument("--notes", default="", help="A note shown with the release.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            release = cut_release(options["release_version"], options["notes"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        counts = release.counts()
        self.stdout.write(
            f"Release {release.version}: "
            + ", ".join(f"{counts[kind]} {kind}" for kind in CHANGE_KINDS)
            + f", {counts['removed']} no longer public"
        )
        for kind in CHANGE_KINDS:
            by_type = Counter(entry["type"] for entry in release.changelog[kind])
            for record_type, number in sorted(by_type.items()):
                self.stdout.write(f"  {record_type}: {number} {kind}")
            for entry in release.changelog[kind]:
                if entry["type"] == "deployment":
                    self.stdout.write(f"    {kind}: {entry['label']}")
        self.stdout.write(f"Files: {releases_dir() / release.version}")
