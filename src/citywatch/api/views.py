"""The account page where people create and revoke their personal API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from citywatch.api import services
from citywatch.api.forms import TokenForm
from citywatch.teams import permissions


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None, can_write=permissions.can_contribute(request.user))
    new_token = ""
    if request.method == "POST" and form.is_valid():
        _token, new_token = services.create_token(
            request.user, form.cleaned_data["name"], form.cleaned_data["scope"]
        )
        form = TokenForm(can_write=permissions.can_contribute(request.user))
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": request.user.api_tokens.all(),
        },
    )


@login_required
@require_POST
def revoke(request: HttpRequest, token_id: str) -> HttpResponse:
    if services.revoke_token(request.user, token_id):
        messages.success(request, _("The token was revoked; it no longer works."))
    return redirect("api_tokens")
