"""A record's history as readable entries with field-by-field differences.

A version is named in addresses (the revert button) by ``version_id``, an HMAC of its
history number (``citywatch.core.public_keys.opaque_id``): history numbers are sequential
over every deployment, so they would count the changes made to hidden ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from citywatch.core import change_reasons
from citywatch.core.privacy import credited_name
from citywatch.core.public_keys import opaque_id

HIDDEN_FIELDS = {"updated_at", "created_at", "search_text", "first_year", "last_year"}


def version_id(history_id: int) -> str:
    """The id a historical version shows in addresses: 12 hexadecimal digits that tell
    nothing of its sequential ``history_id``."""
    return opaque_id("history-version", history_id)


def version_number(record: Any, shown_id: str) -> int | None:
    """The ``history_id`` of the version of ``record`` whose ``version_id`` is ``shown_id``,
    or None when no version of this record has it (a number, another record's version)."""
    for history_id in record.history.values_list("history_id", flat=True):
        if version_id(history_id) == shown_id:
            return history_id
    return None


@dataclass
class HistoryEntry:
    history_id: int
    version: str
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
            version=version_id(version.history_id),
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
