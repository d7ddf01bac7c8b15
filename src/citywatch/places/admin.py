from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from citywatch.evidence.admin import CitationInline
from citywatch.places.models import Country, LegalCardEntry, LocalHoliday, Locality


class LegalCardEntryInline(admin.StackedInline):
    model = LegalCardEntry
    extra = 0
    fields = ["topic", "status", "name", "in_force_since", "as_of", "summary", "url"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "english_name", "alpha3", "numeric"]
    search_fields = ["code", "english_name", "alpha3"]
    readonly_fields = ["code", "alpha3", "numeric", "english_name"]
    fields = ["code", "alpha3", "numeric", "english_name", "latitude", "longitude"]
    inlines = [LegalCardEntryInline]

    def has_add_permission(self, request):  # countries are reference data
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LegalCardEntry)
class LegalCardEntryAdmin(SimpleHistoryAdmin):
    list_display = ["country", "topic", "status", "name", "in_force_since", "as_of"]
    list_filter = ["topic", "status", "country"]
    search_fields = ["name", "summary", "country__english_name"]
    autocomplete_fields = ["country"]
    inlines = [CitationInline]


class LocalityForm(forms.ModelForm):
    class Meta:
        model = Locality
        fields = [
            "name",
            "country",
            "subdivision_code",
            "latitude",
            "longitude",
            "geonames_id",
            "approximate",
        ]
        help_texts = {
            "name": _("Type a city name such as Kampala: coordinates come from the city list."),
        }


@admin.register(Locality)
class LocalityAdmin(SimpleHistoryAdmin):
    form = LocalityForm
    list_display = [
        "name",
        "country",
        "subdivision_code",
        "latitude",
        "longitude",
        "geonames_id",
        "approximate",
    ]
    list_filter = ["approximate", "country"]
    search_fields = ["name", "country__english_name", "subdivision_code"]
    autocomplete_fields = ["country"]
    inlines = [CitationInline]


@admin.register(LocalHoliday)
class LocalHolidayAdmin(SimpleHistoryAdmin):
    """Municipal holidays for FOI deadlines, entered per municipality and year with a source.

    Open requests keep their stored due dates until ``citywatch foi-sync-laws
    --recompute-all`` runs (see docs/foi-deadlines.md).
    """

    list_display = ["municipality", "date", "name", "source_title"]
    list_filter = ["municipality__country"]
    date_hierarchy = "date"
    search_fields = ["name", "municipality__name", "source_title"]
    autocomplete_fields = ["municipality"]
    fields = ["municipality", "date", "name", "source_url", "source_title"]
