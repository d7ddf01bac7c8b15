from django.contrib import admin

from citywatch.commons.models import AuditEntry, ChangeProposal, Profile, Tip


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "display_name", "credit_publicly"]
    search_fields = ["user__username", "user__email", "display_name"]


@admin.register(Tip)
class TipAdmin(admin.ModelAdmin):
    list_display = ["what", "place", "vendor", "received_on", "status"]
    list_filter = ["status"]
    search_fields = ["what", "place", "vendor", "details"]
    readonly_fields = ["received_on"]
    # The cleaned file is opened from the reviewer's tip page, never linked from the admin.
    exclude = ["attachment"]


@admin.register(ChangeProposal)
class ChangeProposalAdmin(admin.ModelAdmin):
    list_display = ["__str__", "proposed_by", "proposed_on", "status"]
    list_filter = ["status", "content_type"]
    search_fields = ["reason", "review_note"]
    readonly_fields = ["content_type", "object_id", "proposed_values", "base_values", "proposed_on"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = ["at", "actor", "action", "target"]
    list_filter = ["action"]
    search_fields = ["target"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
