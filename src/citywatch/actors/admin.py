from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from citywatch.actors.models import Organisation
from citywatch.evidence.admin import CitationInline


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "country", "parent"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "aliases", "slug", "wikidata_id"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "country", "seat_municipality"]
    inlines = [CitationInline]
