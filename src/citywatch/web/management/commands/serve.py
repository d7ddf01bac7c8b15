from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from citywatch.web import static_files

# The forwarded headers honoured from a trusted proxy (waitress's names for them).
PROXY_HEADERS = frozenset({"x-forwarded-proto", "x-forwarded-for", "x-forwarded-host"})


def pending_migrations() -> int:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def proxy_options(trusted_proxy: str, trusted_proxy_count: int) -> dict:
    """waitress's options for a TLS-terminating reverse proxy.

    Only requests from ``trusted_proxy`` (an IP address, or ``*`` for any peer) may set
    X-Forwarded-Proto/-For/-Host; waitress removes those headers from every other request, so
    nobody else can pretend to have come over HTTPS. The forwarded client address is used
    for the request only (the sign-in rate limit keys it by a keyed hash): waitress does not
    log it (``log_untrusted_proxy_headers`` stays off) and CityWatch logs no request.
    """
    if not trusted_proxy:
        return {"clear_untrusted_proxy_headers": True}
    return {
        "trusted_proxy": trusted_proxy,
        "trusted_proxy_count": trusted_proxy_count,
        "trusted_proxy_headers": set(PROXY_HEADERS),
        "clear_untrusted_proxy_headers": True,
        "log_untrusted_proxy_headers": False,
    }


class Command(BaseCommand):
    help = _("Serve CityWatch with waitress, a production-grade WSGI server.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help=_("Address to listen on."))
        parser.add_argument("--port", type=int, default=8000, help=_("Port to listen on."))
        parser.add_argument("--threads", type=int, default=8, help=_("Worker threads."))
        parser.add_argument(
            "--trusted-proxy",
            default=settings.CITYWATCH_TRUSTED_PROXY,
            help=_(
                "IP address of the reverse proxy whose X-Forwarded-Proto, -For and -Host "
                "headers are honoured (default: CITYWATCH_TRUSTED_PROXY; none)."
            ),
        )
        parser.add_argument(
            "--trusted-proxy-count",
            type=int,
            default=settings.CITYWATCH_TRUSTED_PROXY_COUNT,
            help=_("How many proxies in a row forward the request (default 1)."),
        )

    def handle(
        self,
        *args,
        host: str,
        port: int,
        threads: int,
        trusted_proxy: str,
        trusted_proxy_count: int,
        **options,
    ) -> None:
        if pending_migrations():
            raise CommandError(
                _("The database is not set up or out of date: run `citywatch init`.")
            )
        # The static files of this version of CityWatch, hashed and compressed (nothing to do
        # when `citywatch init` or an earlier start collected these very files).
        static_files.collect()
        # Collected now if this process started before the files were: serve them (hashed,
        # compressed) rather than the apps' folders.
        settings.WHITENOISE_USE_FINDERS = False
        from waitress import serve

        from citywatch.wsgi import application

        self.stdout.write(
            _("Serving CityWatch on http://%(host)s:%(port)s/") % {"host": host, "port": port}
        )
        if trusted_proxy:
            self.stdout.write(
                _("Trusting X-Forwarded-Proto, -For and -Host from %(proxy)s only.")
                % {"proxy": trusted_proxy}
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
            **proxy_options(trusted_proxy, trusted_proxy_count),
        )
