from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from citywatch.atlas.models import (
    Component,
    Deployment,
    Event,
    Money,
    Party,
    Technology,
    VendorClaim,
)
from citywatch.evidence.admin import CitationInline


class PartyInline(admin.TabularInline):
    model = Party
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role", "started_on", "ended_on", "certainty", "note"]
    show_change_link = True


class ComponentInline(admin.StackedInline):
    model = Component
    extra = 0
    autocomplete_fields = ["supplier"]
    fields = [
        ("technology", "certainty"),
        ("quantity_qualifier", "quantity", "planned_quantity", "unit"),
        ("facial_recognition", "plate_recognition"),
        "supplier",
        "product_models",
        "description",
    ]
    show_change_link = True


class MoneyInline(admin.StackedInline):
    model = Money
    extra = 0
    autocomplete_fields = ["lender"]
    fields = [
        ("amount_qualifier", "amount", "amount_max", "currency"),
        ("dated", "financing", "certainty"),
        ("lender", "interest_rate", "maturity_months", "grace_period_months"),
        "note",
    ]
    show_change_link = True


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    fields = ["date", "kind", "title", "certainty", "description"]
    show_change_link = True


class VendorClaimInline(admin.TabularInline):
    model = VendorClaim
    extra = 0
    fk_name = "deployment"
    autocomplete_fields = ["vendor"]
    fields = ["vendor", "claimed_on", "statement"]
    show_change_link = True


@admin.register(Deployment)
class DeploymentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "country", "locality", "status", "certainty", "visibility"]
    list_filter = ["status", "certainty", "visibility", "country", "components__technology"]
    search_fields = ["title", "summary", "slug", "locality__name", "parties__organisation__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["country", "locality", "owner_team"]
    date_hierarchy = None
    inlines = [
        PartyInline,
        ComponentInline,
        MoneyInline,
        EventInline,
        VendorClaimInline,
        CitationInline,
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", ("country", "locality")]}),
        (None, {"fields": [("status", "certainty")]}),
        (None, {"fields": [("visibility", "embargo_until", "owner_team")]}),
    ]


class RecordWithCitationsAdmin(SimpleHistoryAdmin):
    inlines = [CitationInline]


@admin.register(Party)
class PartyAdmin(RecordWithCitationsAdmin):
    list_display = ["deployment", "organisation", "role", "certainty"]
    list_filter = ["role", "certainty"]
    search_fields = ["deployment__title", "organisation__name"]
    autocomplete_fields = ["deployment", "organisation"]


@admin.register(Component)
class ComponentAdmin(RecordWithCitationsAdmin):
    list_display = ["deployment", "technology", "quantity", "unit", "facial_recognition"]
    list_filter = ["technology", "facial_recognition", "plate_recognition", "certainty"]
    search_fields = ["deployment__title", "product_models", "description"]
    autocomplete_fields = ["deployment", "supplier"]


@admin.register(Money)
class MoneyAdmin(RecordWithCitationsAdmin):
    list_display = ["deployment", "amount", "currency", "dated", "financing"]
    list_filter = ["financing", "currency"]
    search_fields = ["deployment__title", "note"]
    autocomplete_fields = ["deployment", "lender"]


@admin.register(Event)
class EventAdmin(RecordWithCitationsAdmin):
    list_display = ["deployment", "date", "kind", "title", "certainty"]
    list_filter = ["kind", "certainty"]
    search_fields = ["title", "description", "deployment__title"]
    autocomplete_fields = ["deployment"]


@admin.register(VendorClaim)
class VendorClaimAdmin(RecordWithCitationsAdmin):
    list_display = ["vendor", "deployment", "claimed_on"]
    list_filter = ["vendor"]
    search_fields = ["statement", "vendor__name"]
    autocomplete_fields = ["vendor", "deployment"]


@admin.register(Technology)
class TechnologyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    search_fields = ["name", "slug"]
    readonly_fields = ["slug"]
