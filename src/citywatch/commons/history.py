"""A record's history as readable entries with field-by-field differences."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from citywatch.core import change_reasons
from citywatch.core.privacy import credited_name

HIDDEN_FIELDS = {"updated_at", "created_at", "search_text", "first_year", "last_year"}


@dataclass
class HistoryEntry:
    history_id: int
    date: Any
    kind: str
    who: str
    reason: str
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)


def history_entries(record: Any, show_all_names: bool = False) -> list[HistoryEntry]:
    versions = list(record.history.select_related("history_user").order_by("-history_date"))
    kinds = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
    entries = []
    for index, version in enumerate(versions):
        entry = HistoryEntry(
            history_id=version.history_id,
            date=version.history_date,
            kind=kinds.get(version.history_type, version.history_type),
            who=credited_name(version.history_user, show_all_names),
            reason=change_reasons.shown(version.history_change_reason or ""),
        )
        previous = versions[index + 1] if index + 1 < len(versions) else None
        if previous is not None:
            delta = version.diff_against(previous)
            for change in delta.changes:
                if change.field in HIDDEN_FIELDS:
                    continue
                field = record._meta.get_field(change.field)
                choices = dict(field.flatchoices)
                entry.changes.append(
                    (
                        str(field.verbose_name),
                        choices.get(change.old, change.old),
                        choices.get(change.new, change.new),
                    )
                )
        entries.append(entry)
    return entries
