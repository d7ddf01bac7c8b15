from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _


def pending_migrations() -> int:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


class Command(BaseCommand):
    help = _("Serve CityWatch with waitress, a production-grade WSGI server.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help=_("Address to listen on."))
        parser.add_argument("--port", type=int, default=8000, help=_("Port to listen on."))
        parser.add_argument("--threads", type=int, default=8, help=_("Worker threads."))

    def handle(self, *args, host: str, port: int, threads: int, **options) -> None:
        if pending_migrations():
            raise CommandError(
                _("The database is not set up or out of date: run `citywatch init`.")
            )
        from waitress import serve

        from citywatch.wsgi import application

        self.stdout.write(
            _("Serving CityWatch on http://%(host)s:%(port)s/") % {"host": host, "port": port}
        )
        self.stdout.flush()
        # Keep request bodies up to 12 MB in memory: uploaded tips must never touch the disk
        # before their metadata is stripped.
        serve(
            application,
            host=host,
            port=port,
            threads=threads,
            ident="CityWatch",
            inbuf_overflow=12 * 1024 * 1024,
        )
