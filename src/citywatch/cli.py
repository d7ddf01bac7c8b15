"""The `citywatch` command: CityWatch's own commands plus every Django management command.

    citywatch init                  create the data folder and database
    citywatch demo [--admin]        init, load the demo data, serve on http://127.0.0.1:8000
    citywatch serve                 serve an existing database (waitress, production-grade)
    citywatch load-demo             load or refresh the demo data only
    citywatch createadmin --email   create an administrator account
    citywatch <django command>      e.g. citywatch migrate, citywatch shell

Command names are written with hyphens (`foi-check`); the underscore spelling Django uses
for the module (`foi_check`) is accepted too. `citywatch --help` lists CityWatch's own
commands first, each with the first sentence of its help.
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict

from django.core.management import ManagementUtility, get_commands, load_command_class

HELP_FLAGS = {"-h", "--help", "help"}


def shown_name(name: str) -> str:
    """The one spelling users see and type: hyphens (`foi-check`)."""
    return name.replace("_", "-")


def module_name(name: str) -> str:
    """The management command's module name (`foi_check`) for any spelling."""
    return name.replace("-", "_")


def first_sentence(text: str) -> str:
    text = " ".join(str(text).split())
    head, dot, _rest = text.partition(". ")
    return head + ("." if dot else "")


class CityWatchUtility(ManagementUtility):
    """Django's ManagementUtility with CityWatch's commands first and hyphenated names."""

    def main_help_text(self, commands_only: bool = False) -> str:
        commands = get_commands()
        if commands_only:
            return "\n".join(sorted(shown_name(name) for name in commands))
        from django.utils.translation import gettext as _

        own = sorted(name for name, app in commands.items() if app.startswith("citywatch."))
        lines = [
            _("Usage: citywatch <command> [options]"),
            _("Type 'citywatch help <command>' for help on a command."),
            "",
            _("CityWatch commands:"),
        ]
        width = max(len(shown_name(name)) for name in own) + 2
        for name in own:
            description = first_sentence(load_command_class(commands[name], name).help)
            lines.append(f"  {shown_name(name).ljust(width)}{description}")
        others: dict[str, list[str]] = defaultdict(list)
        for name, app in commands.items():
            if not app.startswith("citywatch."):
                label = "django" if app == "django.core" else app.rpartition(".")[-1]
                others[label].append(shown_name(name))
        lines += ["", _("Django and library commands:")]
        for label in sorted(others):
            lines.append(f"  [{label}] " + ", ".join(sorted(others[label])))
        return "\n".join(lines)

    def fetch_command(self, subcommand: str):
        return super().fetch_command(module_name(subcommand))


def normalise(arguments: list[str]) -> list[str]:
    """Write the command name (and the name after `help`) in its one spelling."""
    arguments = list(arguments)
    if arguments and not arguments[0].startswith("-"):
        arguments[0] = shown_name(arguments[0])
        if arguments[0] == "help" and len(arguments) > 1 and not arguments[1].startswith("-"):
            arguments[1] = shown_name(arguments[1])
    return arguments


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citywatch.settings")
    arguments = normalise(sys.argv[1:] if argv is None else argv)
    CityWatchUtility(["citywatch", *arguments]).execute()


if __name__ == "__main__":
    main()
