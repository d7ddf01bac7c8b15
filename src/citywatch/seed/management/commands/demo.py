from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from citywatch.core.mail import OUTBOX_BACKEND, delivery_summary

DEMO_ADMIN_EMAIL = "admin@example.org"


def next_steps(*, url: str, admin_created: bool, serving: bool) -> list[str]:
    """What a newcomer does next, as printed lines (the URL, logging in, mail, stopping)."""
    lines = ["", _("Next steps:"), "  " + _("Open %(url)s in your browser.") % {"url": url}]
    login = url + "accounts/login/"
    if admin_created:
        lines.append(
            "  "
            + _("Log in at %(login)s as %(email)s with the password above.")
            % {"login": login, "email": DEMO_ADMIN_EMAIL}
        )
    else:
        lines.append(
            "  "
            + _(
                "To log in, create an administrator first: citywatch demo --admin "
                "(or citywatch createadmin --email you@example.org), then open %(login)s."
            )
            % {"login": login}
        )
    lines.append(
        "  "
        + _(
            "Administrators set up two-factor authentication at first login: have an "
            "authenticator app ready (Aegis, FreeOTP, 2FAS, Google or Microsoft Authenticator, "
            "KeePassXC...)."
        )
    )
    lines.append("  " + _("Outgoing mail: %(where)s.") % {"where": delivery_summary()})
    if settings.EMAIL_BACKEND == OUTBOX_BACKEND:
        lines.append(
            "  " + _("Read it at %(url)s (administrators only).") % {"url": url + "outbox/"}
        )
    if serving:
        lines.append("  " + _("Stop the server with Ctrl+C."))
    else:
        lines.append("  " + _("Serve it with: citywatch serve"))
    return lines


class Command(BaseCommand):
    help = _("Create the database if missing, load the demo data and serve it.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help=_("Address to listen on."))
        parser.add_argument("--port", type=int, default=8000, help=_("Port to listen on."))
        parser.add_argument(
            "--no-serve", action="store_true", help=_("Set up and load only; do not serve.")
        )
        parser.add_argument(
            "--admin",
            action="store_true",
            help=_(
                "Also create the administrator %(email)s with a new password, printed once "
                "(run it again for a new one)."
            )
            % {"email": DEMO_ADMIN_EMAIL},
        )

    def handle(self, *args, host: str, port: int, no_serve: bool, admin: bool, **options):
        call_command("load_demo", stdout=self.stdout)
        if admin:
            call_command(
                "createadmin", email=DEMO_ADMIN_EMAIL, generate_password=True, stdout=self.stdout
            )
        shown_host = f"[{host}]" if ":" in host else host
        url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else shown_host}:{port}/"  # noqa: S104
        for line in next_steps(url=url, admin_created=admin, serving=not no_serve):
            self.stdout.write(line)
        self.stdout.write("")
        if not no_serve:
            call_command("serve", host=host, port=port, stdout=self.stdout)
