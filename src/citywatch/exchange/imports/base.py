"""The machinery every import format shares: one savepoint per row, upserts that save only
what changed, and problems reported with their line."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext as _

from citywatch.exchange import keys
from citywatch.exchange.imports.report import Change, ImportReport, RowRejected


def describe_error(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        parts = []
        for name, errors in error.message_dict.items():
            label = "" if name == "__all__" else f"{name}: "
            parts.append(label + " ".join(errors))
        return "; ".join(parts)
    return " ".join(error.messages)


def parse_decimal(text: Any, places: int, label: str) -> Decimal | None:
    """A number from a cell or JSON value, rounded as the database keeps it; None if empty."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    if isinstance(text, bool):
        raise RowRejected(
            _("%(label)s is not a number: %(value)r") % {"label": label, "value": text}
        )
    try:
        number = Decimal(str(text).strip())
    except InvalidOperation as error:
        raise RowRejected(
            _("%(label)s is not a number: %(value)r") % {"label": label, "value": text}
        ) from error
    if not number.is_finite():
        raise RowRejected(
            _("%(label)s is not a number: %(value)r") % {"label": label, "value": text}
        )
    return number.quantize(Decimal(1).scaleb(-places))


def check_coordinates(latitude: Decimal | None, longitude: Decimal | None) -> None:
    if (latitude is None) != (longitude is None):
        raise RowRejected(_("give both latitude and longitude, or neither"))
    if latitude is not None and not Decimal(-90) <= latitude <= Decimal(90):
        raise RowRejected(_("latitude %(value)s is outside -90…90") % {"value": latitude})
    if longitude is not None and not Decimal(-180) <= longitude <= Decimal(180):
        raise RowRejected(_("longitude %(value)s is outside -180…180") % {"value": longitude})


class Importer:
    """Base class: subclasses read a file and call ``row()`` for each record they import."""

    format_name = ""

    def __init__(self, report: ImportReport, change_reason: str = "") -> None:
        self.report = report
        self.change_reason = change_reason
        self.pending: list[Change] = []
        self.pending_unchanged: Counter[str] = Counter()
        self.line: int | None = None

    def row(self, line: int | None, record: str, work: Callable[[], Any]) -> Any:
        """Run one row's work in a savepoint; on failure undo it and report why."""
        self.line = line
        self.pending, self.pending_unchanged = [], Counter()
        try:
            with transaction.atomic():
                result = work()
        except RowRejected as error:
            self.report.problem(line, str(error), record)
            return None
        except ValidationError as error:
            self.report.problem(line, describe_error(error), record)
            return None
        except (DatabaseError, ValueError, LookupError, TypeError, AttributeError) as error:
            # A file shaped unlike any we write: report it like any other bad row.
            self.report.problem(line, str(error) or error.__class__.__name__, record)
            return None
        self.report.changes += self.pending
        self.report.unchanged.update(self.pending_unchanged)
        return result

    def save(
        self,
        model: type[models.Model],
        record: models.Model | None,
        values: dict[str, Any],
        label: str,
    ) -> models.Model:
        """Create the record, or update the fields whose values differ; validate first."""
        kind = str(model._meta.verbose_name)
        if record is None:
            record = model(**values)
            action = "create"
        else:
            changed = {name: v for name, v in values.items() if getattr(record, name) != v}
            if not changed:
                self.pending_unchanged[kind] += 1
                return record
            for name, value in changed.items():
                setattr(record, name, value)
            action = "update"
        record.full_clean()
        if self.change_reason:
            record._change_reason = self.change_reason  # type: ignore[attr-defined]
        record.save()
        self.pending.append(Change(self.line, action, kind, label))
        return record

    def remember(self, record: models.Model, key: str, scheme: str = keys.CITYWATCH_SCHEME) -> None:
        if key:
            try:
                keys.remember(record, key, scheme)
            except ValueError as error:
                raise RowRejected(
                    _("the id %(key)s already belongs to another record") % {"key": key}
                ) from error


def only_one(queryset: models.QuerySet) -> models.Model | None:
    """The single record a natural key finds, or None when it finds none or several."""
    found = list(queryset[:2])
    return found[0] if len(found) == 1 else None
