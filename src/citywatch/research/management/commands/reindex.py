"""citywatch reindex: rebuild the full-text search index from the records."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from citywatch.research.search import rebuild_index

COUNTED = {
    "deployment": lambda n: ngettext("%(count)d deployment", "%(count)d deployments", n),
    "organisation": lambda n: ngettext("%(count)d organisation", "%(count)d organisations", n),
    "country": lambda n: ngettext("%(count)d country", "%(count)d countries", n),
    "place": lambda n: ngettext("%(count)d place", "%(count)d places", n),
    "source": lambda n: ngettext("%(count)d source", "%(count)d sources", n),
    "document": lambda n: ngettext("%(count)d document", "%(count)d documents", n),
    "foi_request": lambda n: ngettext("%(count)d FOI request", "%(count)d FOI requests", n),
}


class Command(BaseCommand):
    help = (
        "Rebuild the search index (deployments, organisations, places, sources, document "
        "texts, FOI requests)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = rebuild_index()
        summary = ", ".join(COUNTED[kind](n) % {"count": n} for kind, n in counts.items())
        self.stdout.write(_("Indexed %(summary)s.") % {"summary": summary})
