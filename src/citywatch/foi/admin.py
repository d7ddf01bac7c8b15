from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from citywatch.foi.models import (
    CalendarFeed,
    FailingAddress,
    FoiAttachment,
    FoiClockStop,
    FoiEvent,
    FoiLaw,
    FoiMessage,
    FoiQuestion,
    FoiRequest,
    InboundMail,
)
from citywatch.foi.services import law_fingerprint, recompute_open_requests


@admin.register(FoiLaw)
class FoiLawAdmin(admin.ModelAdmin):
    list_display = ["short_name", "law_id", "country", "subdivision", "has_law", "verified"]
    list_filter = ["verified", "has_law"]
    search_fields = ["law_id", "name", "short_name"]
    readonly_fields = ["fingerprint", "updated_at"]

    def save_model(self, request, obj, form, change):
        obj.fingerprint = law_fingerprint(obj.rules)
        super().save_model(request, obj, form, change)
        recompute_open_requests(laws=[obj])


class QuestionInline(admin.TabularInline):
    model = FoiQuestion
    extra = 0


class MessageInline(admin.StackedInline):
    model = FoiMessage
    extra = 0
    fields = [
        ("direction", "kind", "channel", "on"),
        ("sender", "recipient"),
        "subject",
        "body",
        ("message_id", "automated"),
    ]
    show_change_link = True


class ClockStopInline(admin.TabularInline):
    model = FoiClockStop
    extra = 0


class EventInline(admin.TabularInline):
    """The timeline, read-only: entries are only ever added."""

    model = FoiEvent
    extra = 0
    fields = ["kind", "on", "note", "data", "recorded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(FoiRequest)
class FoiRequestAdmin(admin.ModelAdmin):
    list_display = ["title", "requester", "authority", "law", "status", "resolution", "due_on"]
    list_filter = ["status", "resolution", "visibility", "law"]
    search_fields = ["title", "requester__name", "authority__name"]
    autocomplete_fields = ["requester", "authority", "deployments", "source"]
    readonly_fields = ["due_on", "flagged_due_on", "created_at", "updated_at"]
    inlines = [QuestionInline, ClockStopInline, MessageInline, EventInline]
    fieldsets = [
        (None, {"fields": ["title", "requester", "authority", "law", "deployments", "language"]}),
        (_("Dates"), {"fields": ["sent_on", "sent_via", "extended", "due_on", "date_note"]}),
        (
            _("Where it stands"),
            {
                "fields": [
                    "status",
                    "resolution",
                    "refusal_ground",
                    "refusal_section",
                    "appeal_stage",
                    "appeal_trigger_on",
                    "appeal_due_on",
                ]
            },
        ),
        (_("Letter"), {"fields": ["letter_subject", "letter_body"]}),
        (_("Publication"), {"fields": ["visibility", "embargo_until", "source", "quote"]}),
    ]


@admin.register(FoiAttachment)
class FoiAttachmentAdmin(admin.ModelAdmin):
    list_display = ["filename", "message", "source", "size"]
    autocomplete_fields = ["source"]


@admin.register(FoiEvent)
class FoiEventAdmin(admin.ModelAdmin):
    list_display = ["request", "kind", "on", "recorded_at"]
    list_filter = ["kind"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["organisation", "created_at"]
    readonly_fields = ["token"]


@admin.register(InboundMail)
class InboundMailAdmin(admin.ModelAdmin):
    """The ledger of received e-mail (the queue of unmatched mail is at /foi/mail/)."""

    list_display = ["received_at", "sender", "subject", "state", "automated", "request"]
    list_filter = ["state", "automated"]
    search_fields = ["message_id", "sender", "subject"]
    exclude = ["raw"]
    readonly_fields = [
        "message_id",
        "received_at",
        "sender",
        "recipients",
        "subject",
        "automated",
        "state",
        "size",
        "request",
        "filed_as",
        "handled_at",
    ]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(FailingAddress)
class FailingAddressAdmin(admin.ModelAdmin):
    """Addresses letters bounced from; delete one once it is corrected."""

    list_display = ["address", "failed_on", "diagnostic"]
    search_fields = ["address"]
    readonly_fields = ["message"]
