"""citywatch verify-archive: re-hash every stored file and report any change or loss."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from citywatch.evidence import services


class Command(BaseCommand):
    help = "Re-hash every stored document and archived copy; report mismatches and missing files."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, problems = services.verify_files()
        for problem in problems:
            stored = problem.stored
            if problem.problem == "missing":
                self.stderr.write(f"MISSING  file #{stored.pk} {stored.file.name}")
            else:
                self.stderr.write(
                    f"CHANGED  file #{stored.pk} {stored.file.name}: "
                    f"recorded {stored.sha256}, now {problem.found_sha256}"
                )
        checked_text = ngettext("%(count)d file checked", "%(count)d files checked", checked)
        problems_text = ngettext("%(count)d problem", "%(count)d problems", len(problems))
        self.stdout.write(
            _("%(checked)s, %(problems)s.")
            % {
                "checked": checked_text % {"count": checked},
                "problems": problems_text % {"count": len(problems)},
            }
        )
        if problems:
            raise CommandError(
                ngettext(
                    "%(count)d stored file failed verification.",
                    "%(count)d stored files failed verification.",
                    len(problems),
                )
                % {"count": len(problems)}
            )
