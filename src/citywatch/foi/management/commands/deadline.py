"""citywatch deadline --law es-md-10-2019 --sent 2024-04-26 [--extended] [--decision D] [--json]"""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from citywatch.foi.queries import UnknownLaw, deadline_payload, laws


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(
            _("Enter dates as YYYY-MM-DD, not %(text)r.") % {"text": text}
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
            "--json", action="store_true", dest="as_json", help=_("Print JSON like the API.")
        )

    def handle(
        self,
        *args,
        law: str,
        sent: str,
        extended: bool,
        decision: str | None,
        as_json: bool,
        **options,
    ) -> None:
        try:
            payload = deadline_payload(
                law,
                iso_date(sent),
                extended=extended,
                decision=iso_date(decision) if decision else None,
            )
        except UnknownLaw as missing:
            known = ", ".join(laws().values_list("law_id", flat=True))
            raise CommandError(
                _("Unknown law %(law)s. Known laws: %(known)s")
                % {"law": missing.args[0], "known": known}
            ) from missing
        if as_json:
            self.stdout.write(_dumps(payload))
            return
        self.stdout.write(_text(payload))


def _dumps(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2)


def _text(payload: dict) -> str:
    lines = [f"{payload['law']['short_name']} ({payload['law']['id']})"]
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
