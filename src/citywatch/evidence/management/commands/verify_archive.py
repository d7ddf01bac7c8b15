"""citywatch verify-archive: re-hash every stored file and report any change or loss."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

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
        self.stdout.write(f"{checked} file(s) checked, {len(problems)} problem(s).")
        if problems:
            raise CommandError(f"{len(problems)} stored file(s) failed verification.")
