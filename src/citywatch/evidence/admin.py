from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from simple_history.admin import SimpleHistoryAdmin

from citywatch.evidence.models import Citation, Snapshot, Source, StoredFile


class CitationInline(GenericTabularInline):
    """Cite sources for a record on its own admin page."""

    model = Citation
    extra = 0
    fields = ["source", "field_name", "stated_value", "quote", "language", "locator", "note"]
    autocomplete_fields = ["source"]


class CitationOfSourceInline(admin.TabularInline):
    model = Citation
    extra = 0
    fields = [
        "content_type",
        "object_id",
        "field_name",
        "stated_value",
        "quote",
        "language",
        "locator",
    ]


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "publisher", "published_on", "kind", "language"]
    list_filter = ["kind", "language"]
    search_fields = ["title", "publisher", "url", "notes"]
    raw_id_fields = ["document"]
    inlines = [CitationOfSourceInline]


@admin.register(Citation)
class CitationAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "field_name", "stated_value", "source"]
    list_filter = ["content_type", "source__kind"]
    search_fields = ["quote", "stated_value", "source__title"]
    autocomplete_fields = ["source"]


class SnapshotInline(admin.TabularInline):
    model = Snapshot
    extra = 0
    can_delete = False
    fields = ["source", "url", "retrieved_at", "http_status"]
    readonly_fields = fields


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    """Stored files are evidence: shown, never edited here (their hash must stay true)."""

    list_display = ["__str__", "media_type", "size", "text_status", "created_at"]
    list_filter = ["media_type", "text_status"]
    search_fields = ["sha256", "original_name"]
    readonly_fields = [
        "sha256",
        "size",
        "media_type",
        "file",
        "original_name",
        "created_at",
        "page_count",
        "text_status",
        "text_error",
        "extractor",
        "extracted_at",
        "text",
    ]
    inlines = [SnapshotInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ["source", "url", "retrieved_at", "http_status"]
    search_fields = ["url", "source__title"]
    readonly_fields = [
        "source",
        "stored_file",
        "url",
        "final_url",
        "retrieved_at",
        "http_status",
        "declared_type",
    ]

    def has_add_permission(self, request) -> bool:
        return False
