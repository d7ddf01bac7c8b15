from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResearchConfig(AppConfig):
    """Full-text search, fact suggestions and the pages for reading, citing and filing sources.

    The search index's table (``SearchEntry``) stays in ``citywatch.evidence``, where its
    migrations and full-text tables were made; this app fills and reads it.
    """

    name = "citywatch.research"
    verbose_name = _("Research")

    def ready(self) -> None:
        from citywatch.atlas import filters
        from citywatch.research import operations, search, signals

        signals.connect()
        operations.register()
        filters.register_text_matcher(search.matching_ids)
