"""The `citywatch` command: CityWatch's own commands plus every Django management command.

    citywatch init                  create the data folder and database
    citywatch demo                  init, load the demo data, serve on http://127.0.0.1:8000
    citywatch serve                 serve an existing database (waitress, production-grade)
    citywatch load-demo             load or refresh the demo data only
    citywatch createadmin           create an administrator account
    citywatch <django command>      e.g. citywatch migrate, citywatch shell

Hyphens and underscores are interchangeable in command names.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citywatch.settings")
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments and not arguments[0].startswith("-"):
        arguments[0] = arguments[0].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["citywatch", *arguments])


if __name__ == "__main__":
    main()
