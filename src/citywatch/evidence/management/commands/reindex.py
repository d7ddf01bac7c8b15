"""citywatch reindex: rebuild the full-text search index from the records."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from citywatch.evidence.search import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the search index (deployments, organisations, sources, document texts)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = rebuild_index()
        summary = ", ".join(f"{count} {kind}(s)" for kind, count in counts.items())
        self.stdout.write(f"Indexed {summary}.")
