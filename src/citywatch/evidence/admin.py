from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from citywatch.evidence.models import Citation, Snapshot, Source, StoredFile, citable_field_choices


class CitationInlineFormSet(BaseGenericInlineFormSet):
    """Citations of one record: each form knows its record's kind before it is validated, so a
    new citation is checked as strictly as a saved one (Django sets the kind only on save)."""

    def _construct_form(self, i: int, **kwargs: Any) -> forms.Form:
        form = super()._construct_form(i, **kwargs)
        form.instance.content_type = ContentType.objects.get_for_model(self.instance)
        return form


class CitationInline(GenericTabularInline):
    """Cite sources for a record on its own admin page. The field a source backs is chosen
    among the facts this kind of record shows beside a footnote."""

    model = Citation
    formset = CitationInlineFormSet
    extra = 0
    fields = ["source", "field_name", "stated_value", "quote", "language", "locator", "note"]
    autocomplete_fields = ["source"]

    def formfield_for_dbfield(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if db_field.name == "field_name":
            return FieldNameChoice(self.parent_model)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class FieldNameChoice(forms.ChoiceField):
    """The citable fields of one kind of record. A stored value that is no longer one of them
    stays selectable, so saving the page does not silently turn it into a citation of the
    whole record: the citation's own check then says which fields it may back."""

    def __init__(self, model: Any) -> None:
        self.choices_for = citable_field_choices(model)
        super().__init__(
            choices=self.choices_for,
            required=False,
            label=_("field"),
            help_text=_("The fact this source backs, as shown beside its footnote."),
        )

    def valid_value(self, value: str) -> bool:
        return True  # Citation.clean() names the fields this kind of record may cite

    def widget_choices(self, value: str) -> None:
        known = [name for name, _label in self.choices_for]
        if value and value not in known:
            self.choices = [*self.choices_for, (value, value)]

    def prepare_value(self, value: Any) -> Any:
        self.widget_choices(value or "")
        return value


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
