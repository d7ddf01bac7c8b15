"""Who may use the Django admin: site administrators (superusers) only.

The admin shows every record whatever its visibility; it is housekeeping for the people who
run the instance. Staff status alone opens nothing: a team's members work in CityWatch's own
pages, where the permission module decides.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin import AdminSite

from citywatch.teams.permissions import is_superuser


def site_administrators_only(site: AdminSite) -> None:
    """Make ``site`` answer only to active superusers."""

    def has_permission(request: Any) -> bool:
        return is_superuser(request.user)

    site.has_permission = has_permission
