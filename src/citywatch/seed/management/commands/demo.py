from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = _("Create the database if missing, load the demo data and serve it.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help=_("Address to listen on."))
        parser.add_argument("--port", type=int, default=8000, help=_("Port to listen on."))
        parser.add_argument(
            "--no-serve", action="store_true", help=_("Set up and load only; do not serve.")
        )

    def handle(self, *args, host: str, port: int, no_serve: bool, **options) -> None:
        call_command("load_demo", stdout=self.stdout)
        if not no_serve:
            call_command("serve", host=host, port=port, stdout=self.stdout)
