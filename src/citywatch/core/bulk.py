"""Many new records at once (imports of large files): what ``save()`` does for one record,
done for a batch.

``create_with_history`` inserts new records of one model with their history rows (the
change reason given, the account as simple-history records it for a save), after removing
control characters from their text (``core.signals``, the ``pre_save`` safety net that
``bulk_create`` skips), then sends ``records_created`` once (the search index listens) and
changes the page cache's generation once (``core.data_cache.data_changed``).
"""

from __future__ import annotations

from django.db import models, transaction
from simple_history.utils import bulk_create_with_history

from citywatch.core.data_cache import data_changed
from citywatch.core.signals import records_created, remove_control_characters

BATCH = 500
# The longest change reason a history row keeps.
REASON_LENGTH = 100


def relation_names(model: type[models.Model]) -> list[str]:
    """The fields of ``model`` that name another record (foreign keys)."""
    return [field.name for field in model._meta.concrete_fields if field.is_relation]


def check_new(record: models.Model) -> None:
    """Validate a new record by the rules of ``full_clean`` (each field, then the model's
    ``clean``) without asking the database: the caller has settled, for many records at once,
    that the records it names exist and that nothing unique is taken. A related record that
    ``clean`` reads must be set as an instance, not an id.

    Raises:
        ValidationError: the record is not valid (``full_clean``'s messages).
    """
    record.full_clean(
        exclude=relation_names(type(record)), validate_unique=False, validate_constraints=False
    )


def create_with_history(
    model: type[models.Model], records: list[models.Model], *, reason: str = ""
) -> list[models.Model]:
    """Insert new records of ``model`` and their history rows, ``BATCH`` rows per insert;
    returns them with their ids. A related record set as an instance that was saved since
    (a part's new deployment) is named by its id.

    Raises:
        DatabaseError: the database refuses a row (a unique value taken after all).
    """
    if not records:
        return records
    for record in records:
        remove_control_characters(model, record)
        for field in model._meta.concrete_fields:
            if field.is_relation and field.is_cached(record):
                related = field.get_cached_value(record)
                if related is not None and related.pk is not None:
                    setattr(record, field.attname, related.pk)
    with transaction.atomic():
        bulk_create_with_history(
            records, model, batch_size=BATCH, default_change_reason=reason[:REASON_LENGTH]
        )
    records_created.send(sender=model, records=records)
    data_changed()
    return records
