"""citywatch deadline --law es-md-10-2019 --sent 2024-04-26 [--extended] [--decision D]
[--authority SLUG | --subdivision ES-MD [--municipality NAME]] [--json]"""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from citywatch.foi.queries import BadDeadlineInput, UnknownLaw, deadline_payload, laws


def iso_date(text: str, option: str) -> dt.date:
    """A date given as YYYY-MM-DD.

    Raises:
        CommandError: the text is not such a date (the command then exits with status 1).
    """
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(
            _("%(option)s: enter dates as YYYY-MM-DD, not %(text)r.")
            % {"option": option, "text": text}
        ) from error


class Command(BaseCommand):
    help = _("When must the authority answer a FOI request, and until when can you appeal?")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--law", required=True, help=_("Law id, e.g. es-md-10-2019."))
        parser.add_argument(
            "--sent", required=True, help=_("Day the authority received it (YYYY-MM-DD).")
        )
        parser.add_argument("--extended", action="store_true", help=_("Apply the extension."))
        parser.add_argument("--decision", help=_("Day a decision was notified (YYYY-MM-DD)."))
        parser.add_argument(
            "--authority", default="", help=_("Authority slug: its recorded seat counts.")
        )
        parser.add_argument(
            "--subdivision", default="", help=_("Region of the seat, ISO 3166-2 (e.g. DE-BE).")
        )
        parser.add_argument(
            "--municipality", default="", help=_("Municipality of the seat, by name.")
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help=_("Print JSON like the API.")
        )

    def handle(
        self,
        *args,
        law: str,
        sent: str,
        extended: bool,
        decision: str | None,
        authority: str,
        subdivision: str,
        municipality: str,
        as_json: bool,
        **options,
    ) -> None:
        try:
            payload = deadline_payload(
                law,
                iso_date(sent, "--sent"),
                extended=extended,
                decision=iso_date(decision, "--decision") if decision else None,
                authority=authority,
                subdivision=subdivision,
                municipality=municipality,
            )
        except UnknownLaw as missing:
            known = ", ".join(laws().values_list("law_id", flat=True))
            raise CommandError(
                _("Unknown law %(law)s. Known laws: %(known)s")
                % {"law": missing.args[0], "known": known}
            ) from missing
        except BadDeadlineInput as error:
            raise CommandError(f"--{error.field}: {error.message}") from error
        if as_json:
            self.stdout.write(_dumps(payload))
            return
        self.stdout.write(_text(payload))


def _dumps(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2)


def _text(payload: dict) -> str:
    lines = [payload["law"]["short_name"]]
    if payload["due"]:
        lines.append(_("Due: %(day)s") % {"day": payload["due"]})
    elif payload["advisory_date"]:
        lines.append(
            _("No legal deadline; suggested follow-up (advisory): %(day)s")
            % {"day": payload["advisory_date"]}
        )
    lines += ["", *payload["explanation"]]
    for appeal in payload["appeals"]:
        lines += ["", f"{appeal['name']}: {appeal['due'] or '—'}", *appeal["explanation"]]
    return "\n".join(lines)
