"""`citywatch check`: Django's system checks, then what this installation uses."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.commands.check import Command as DjangoCheck
from django.utils.translation import gettext as _

from citywatch.core.mail import delivery_summary


def database_summary() -> str:
    database = settings.DATABASES["default"]
    if "sqlite" in database["ENGINE"]:
        return f"SQLite ({database['NAME']})"
    return f"PostgreSQL ({database.get('NAME')} on {database.get('HOST') or 'localhost'})"


class Command(DjangoCheck):
    help = _(
        "Run the system checks, then say which database, data folder and mail delivery "
        "this installation uses."
    )

    def handle(self, *app_labels: Any, **options: Any) -> None:
        super().handle(*app_labels, **options)
        lines = [
            (_("Site name"), settings.CITYWATCH_SITE_NAME),
            (_("Database"), database_summary()),
            (_("Data folder"), str(settings.DATA_DIR)),
            (_("Outgoing mail"), delivery_summary()),
        ]
        for label, value in lines:
            self.stdout.write(f"{label}: {value}")
