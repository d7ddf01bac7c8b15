import getpass
import os
import secrets

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from citywatch.web.accounts import create_administrator


def one_time_password() -> str:
    """A random password of 16 URL-safe characters (about 96 bits), shown once."""
    return secrets.token_urlsafe(12)


class Command(BaseCommand):
    help = _(
        "Create a site administrator who logs in with an e-mail address (or give an existing "
        "one a new password). Asks for the password, reads CITYWATCH_ADMIN_PASSWORD with "
        "--no-input, or makes one up and prints it with --generate-password."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--email", required=True, help=_("The address to log in with."))
        parser.add_argument("--username", default="", help=_("Defaults to the e-mail address."))
        parser.add_argument("--no-input", action="store_true", dest="no_input")
        parser.add_argument(
            "--generate-password",
            action="store_true",
            help=_("Make up a password and print it (it is stored only as a hash)."),
        )

    def handle(self, *args, email: str, username: str, no_input: bool, **options) -> None:
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(_("Not an e-mail address: %(email)s") % {"email": email}) from error
        generated = options["generate_password"]
        password = self.password(no_input=no_input, generated=generated)
        try:
            _user, created = create_administrator(email, password, username=username)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if created:
            self.stdout.write(_("Administrator %(email)s created.") % {"email": email})
        else:
            self.stdout.write(_("Administrator %(email)s has a new password.") % {"email": email})
        if generated:
            self.stdout.write(_("Password (shown only now): %(password)s") % {"password": password})

    def password(self, *, no_input: bool, generated: bool) -> str:
        """The administrator's password: made up (``generated``), read from
        CITYWATCH_ADMIN_PASSWORD (``no_input``), or typed twice.

        Raises:
            CommandError: when ``no_input`` is set without CITYWATCH_ADMIN_PASSWORD, or the two
                typed passwords differ.
        """
        if generated:
            return one_time_password()
        if no_input:
            password = os.environ.get("CITYWATCH_ADMIN_PASSWORD")
            if not password:
                raise CommandError(_("Set CITYWATCH_ADMIN_PASSWORD to use --no-input."))
            return password
        first = getpass.getpass(_("Password (12 characters or more): "))
        if first != getpass.getpass(_("The same password again: ")):
            raise CommandError(_("The passwords differ."))
        return first
