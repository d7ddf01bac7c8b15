"""Reviewers, team admins and staff must set up two-factor authentication before anything else."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from citywatch.teams.permissions import needs_two_factor

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/favicon.ico")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            not request.path.startswith(EXEMPT_PREFIXES)
            and needs_two_factor(user)
            and not is_mfa_enabled(user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)
