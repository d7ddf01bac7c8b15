"""System checks (``citywatch check``) for settings that only fail in front of visitors."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning
from django.utils.translation import gettext as _


def check_proxy(app_configs=None, **kwargs) -> list:
    """Behind a proxy, ``citywatch serve`` must be told which one to trust, or waitress drops
    X-Forwarded-Proto and production mode redirects every request to HTTPS, forever."""
    if not settings.CITYWATCH_BEHIND_PROXY or settings.CITYWATCH_TRUSTED_PROXY:
        return []
    return [
        Warning(
            _(
                "CITYWATCH_BEHIND_PROXY is set but CITYWATCH_TRUSTED_PROXY is not: `citywatch "
                "serve` ignores X-Forwarded-Proto, so every request is redirected to HTTPS."
            ),
            hint=_("Set CITYWATCH_TRUSTED_PROXY to the address of your reverse proxy."),
            id="citywatch.W002",
        )
    ]
