"""System checks for `citywatch check --deploy`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Warning, register

from citywatch.core.mail import OUTBOX_BACKEND


@register("citywatch", deploy=True)
def mail_is_delivered(app_configs: Any, **kwargs: Any) -> list[Warning]:
    """In production, mail kept in the outbox reaches nobody: say so."""
    if settings.EMAIL_BACKEND != OUTBOX_BACKEND:
        return []
    return [
        Warning(
            "Outgoing mail is kept in the outbox and delivered to nobody.",
            hint="Set CITYWATCH_EMAIL_URL, e.g. smtp://user:password@mail.example.org:587?tls=1",
            id="citywatch.W001",
        )
    ]
