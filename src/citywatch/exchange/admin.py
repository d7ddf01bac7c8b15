from django.contrib import admin

from citywatch.exchange.models import Release


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    """Releases are cut with `citywatch release`; here they can be read and annotated."""

    list_display = ["version", "created_at"]
    readonly_fields = ["version", "created_at", "changelog"]
    exclude = ["records"]

    def has_add_permission(self, request) -> bool:
        return False
