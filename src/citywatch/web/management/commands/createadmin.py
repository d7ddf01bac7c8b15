import os

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = _(
        "Create an administrator. Asks for a password, or reads CITYWATCH_ADMIN_PASSWORD "
        "when --no-input is given."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="")
        parser.add_argument("--no-input", action="store_true", dest="no_input")

    def handle(self, *args, username: str, email: str, no_input: bool, **options) -> None:
        if not no_input:
            call_command("createsuperuser", username=username, email=email or None)
            return
        password = os.environ.get("CITYWATCH_ADMIN_PASSWORD")
        if not password:
            raise CommandError(_("Set CITYWATCH_ADMIN_PASSWORD to use --no-input."))
        user_model = get_user_model()
        if user_model.objects.filter(username=username).exists():
            raise CommandError(_("A user named %(name)s already exists.") % {"name": username})
        user_model.objects.create_superuser(username=username, email=email, password=password)
        self.stdout.write(_("Administrator %(name)s created.") % {"name": username})
