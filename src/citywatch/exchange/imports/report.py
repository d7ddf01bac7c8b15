"""What an import did, or would do: counts, one line per change, every problem with its line."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Problem:
    """One problem (or warning) with where it is: the line, and the CSV column or the JSON
    path (e.g. "deployments[2].components[0].quantity")."""

    line: int | None
    message: str
    record: str = ""  # where in a JSON file, e.g. "deployments[2].parties[0]"
    column: str = ""  # the CSV column, e.g. "latitude"

    def where(self) -> str:
        where = _("line %(line)s") % {"line": self.line} if self.line else _("file")
        if self.column:
            where = _("%(where)s, column %(column)s") % {"where": where, "column": self.column}
        if self.record:
            where = f"{where} ({self.record})"
        return where

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}"


@dataclass(frozen=True)
class ApproximatePlace:
    """A place the list does not know, put at its region or country."""

    line: int | None
    name: str
    level: str  # "region" or "country"
    placed_at: str  # the region's code or name, or the country's code
    record: str = ""

    def __str__(self) -> str:
        where = _("line %(line)s") % {"line": self.line} if self.line else _("file")
        if self.record:
            where = f"{where} ({self.record})"
        if self.level == "region":
            text = _("%(name)s is not in the place list: placed at its region, %(region)s")
        else:
            text = _("%(name)s is not in the place list: placed at its country, %(region)s")
        return f"{where}: " + text % {"name": self.name, "region": self.placed_at}


@dataclass(frozen=True)
class Change:
    line: int | None
    # "create", "update", "propose" (a change waiting for review), or "use": a place a web
    # importer's row uses, whether the atlas had it or not (``Importer.use_place``)
    action: str
    kind: str  # e.g. "deployment"
    label: str

    def describe(self, would: bool = False) -> str:
        where = _("line %(line)s") % {"line": self.line} if self.line else _("file")
        if self.action == "create":
            action = _("would create") if would else _("create")
        elif self.action == "use":
            return _("%(where)s: place %(label)s") % {"where": where, "label": self.label}
        elif self.action == "propose":
            action = _("would propose a change to") if would else _("propose a change to")
        else:
            action = _("would update") if would else _("update")
        return f"{where}: {action} {self.kind} {self.label}"

    def __str__(self) -> str:
        return self.describe()

    @property
    def would(self) -> str:
        return self.describe(would=True)


class RowRejected(Exception):
    """A row cannot be imported; the message says why (and ``column`` where, in a CSV)."""

    def __init__(self, message: str, column: str = "") -> None:
        super().__init__(message)
        self.column = column


class RowProblems(Exception):
    """Every problem of one row, found before anything was written: (column or path, message)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(message for _where, message in problems))
        self.problems = problems


@dataclass
class ImportReport:
    filename: str = ""
    format: str = ""
    dry_run: bool = False
    rows: int = 0
    changes: list[Change] = field(default_factory=list)
    unchanged: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    approximate: list[ApproximatePlace] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def applied(self) -> bool:
        """True when the changes were saved (no problem, not a dry run)."""
        return self.ok and not self.dry_run

    @property
    def record_changes(self) -> list[Change]:
        """What the import creates, updates or proposes (not the places its rows name)."""
        return [change for change in self.changes if change.action != "use"]

    @property
    def places_named(self) -> list[Change]:
        """The places a web importer's rows name ("place Novi Sad"), whether the atlas had
        them or not: not changes, so listed apart from them."""
        return [change for change in self.changes if change.action == "use"]

    @property
    def created(self) -> int:
        return sum(1 for change in self.changes if change.action == "create")

    @property
    def updated(self) -> int:
        return sum(1 for change in self.changes if change.action == "update")

    @property
    def proposed(self) -> int:
        """Changes a contributor's import proposes for review."""
        return sum(1 for change in self.changes if change.action == "propose")

    @property
    def rejected(self) -> int:
        return len({(p.line, p.record) for p in self.problems})

    def counts_by_kind(self) -> dict[str, Counter[str]]:
        counts: dict[str, Counter[str]] = {}
        for change in self.changes:
            counts.setdefault(change.kind, Counter())[change.action] += 1
        for kind, number in self.unchanged.items():
            counts.setdefault(kind, Counter())["unchanged"] += number
        return dict(sorted(counts.items()))

    def problem(self, line: int | None, message: str, record: str = "", column: str = "") -> None:
        self.problems.append(Problem(line, message, record, column))

    def warn(self, line: int | None, message: str, record: str = "", column: str = "") -> None:
        self.warnings.append(Problem(line, message, record, column))

    def lines(self) -> list[str]:
        """The whole report as lines of text, as the command prints it and the page shows it."""
        would = self.dry_run or not self.ok
        lines = [change.describe(would=would) for change in self.changes]
        lines += [_("approximate: %(place)s") % {"place": place} for place in self.approximate]
        lines += [_("warning: %(warning)s") % {"warning": w} for w in self.warnings]
        lines += [_("rejected: %(problem)s") % {"problem": p} for p in self.problems]
        lines.append(self.summary())
        return lines

    def summary(self) -> str:
        numbers = {
            "created": self.created,
            "updated": self.updated,
            "unchanged": sum(self.unchanged.values()),
            "rejected": self.rejected,
        }
        if not self.ok:
            return (
                _(
                    "Nothing imported: %(rejected)s rows rejected (%(created)s records would "
                    "have been created, %(updated)s updated)."
                )
                % numbers
            )
        if self.dry_run:
            return (
                _(
                    "Dry run: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
                    "%(rejected)s rejected. Nothing was saved."
                )
                % numbers
            )
        summary = (
            _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged, 0 rejected.")
            % numbers
        )
        if self.proposed:
            summary += " " + ngettext(
                "%(count)d change proposed for review.",
                "%(count)d changes proposed for review.",
                self.proposed,
            ) % {"count": self.proposed}
        return summary
