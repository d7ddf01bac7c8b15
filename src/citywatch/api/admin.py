from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from citywatch.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens can be seen and revoked here; they are created on the account page only."""

    list_display = ["name", "user", "scope", "hint", "created_at", "revoked_at"]
    list_filter = ["scope", "revoked_at"]
    search_fields = ["name", "user__username"]
    readonly_fields = ["user", "name", "scope", "hint", "created_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset) -> None:
        for token in queryset:
            token.revoke()
