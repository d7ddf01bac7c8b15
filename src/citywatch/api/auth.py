"""Bearer-token authentication for the API's write endpoints (and the token check)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security.http import HttpBearer

from citywatch.api.models import ApiToken, TokenScope, hash_token


def find_token(text: str) -> ApiToken | None:
    """An active token of an active user, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(text.strip()), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token


class TokenAuth(HttpBearer):
    """``Authorization: Bearer cw_...``; write endpoints need a token with the write scope."""

    def __init__(self, scope: str = TokenScope.READ) -> None:
        super().__init__()
        self.scope = scope

    def __call__(self, request: HttpRequest) -> Any:
        # Unlike the parent class, never logs the header it was given.
        value = request.headers.get(self.header, "")
        scheme, _space, token = value.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return self.authenticate(request, token)

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        """The token, if valid; its user becomes the request's user, so history and the audit
        log name who acted (to staff). What the user may change is decided per record by
        citywatch.teams.permissions in the endpoint, never here.

        Raises:
            HttpError: 403 when a read-only token is used where this scheme requires a write token.
        """
        found = find_token(token)
        if found is None:
            return None
        if self.scope == TokenScope.WRITE and not found.can_write:
            raise HttpError(403, _("This token may only read."))
        request.user = found.user
        return found


read_token = TokenAuth(TokenScope.READ)
write_token = TokenAuth(TokenScope.WRITE)
