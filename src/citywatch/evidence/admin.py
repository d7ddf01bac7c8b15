from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from simple_history.admin import SimpleHistoryAdmin

from citywatch.evidence.models import Citation, Source


class CitationInline(GenericTabularInline):
    """Cite sources for a record on its own admin page."""

    model = Citation
    extra = 0
    fields = ["source", "field_name", "stated_value", "quote", "locator", "note"]
    autocomplete_fields = ["source"]


class CitationOfSourceInline(admin.TabularInline):
    model = Citation
    extra = 0
    fields = ["content_type", "object_id", "field_name", "stated_value", "quote", "locator"]


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "publisher", "published_on", "kind", "language"]
    list_filter = ["kind", "language"]
    search_fields = ["title", "publisher", "url", "notes"]
    inlines = [CitationOfSourceInline]


@admin.register(Citation)
class CitationAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "field_name", "stated_value", "source"]
    list_filter = ["content_type", "source__kind"]
    search_fields = ["quote", "stated_value", "source__title"]
    autocomplete_fields = ["source"]
