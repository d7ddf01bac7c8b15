"""Stable ids: every exported record carries one, and imports find records by it.

A record's stable id is a UUID kept in ``RecordKey`` (scheme ``citywatch``); it is minted the
first time the record is exported, or taken from the file when the record is imported, so a
dataset exported here, imported elsewhere and exported again names its records the same way.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction

from citywatch.exchange.models import CITYWATCH_SCHEME, RecordKey


def stable_ids(model: type[models.Model], pks: Iterable[int]) -> dict[int, str]:
    """The stable id of each record (by primary key), minting ids for records that have none."""
    pks = sorted(set(pks))
    if not pks:
        return {}
    content_type = ContentType.objects.get_for_model(model)
    found: dict[int, str] = {}
    rows = RecordKey.objects.filter(
        scheme=CITYWATCH_SCHEME, content_type=content_type, object_id__in=pks
    ).order_by("pk")
    for object_id, key in rows.values_list("object_id", "key"):
        found.setdefault(object_id, key)  # the oldest key wins if a record has two
    missing = [pk for pk in pks if pk not in found]
    if missing:
        new = [
            RecordKey(
                scheme=CITYWATCH_SCHEME,
                key=str(uuid.uuid4()),
                content_type=content_type,
                object_id=pk,
            )
            for pk in missing
        ]
        try:
            with transaction.atomic():
                RecordKey.objects.bulk_create(new)
        except IntegrityError:  # another export minted them at the same moment: read again
            return stable_ids(model, pks)
        found.update({key.object_id: key.key for key in new})
    return found


def find(model: type[models.Model], key: str, scheme: str = CITYWATCH_SCHEME) -> int | None:
    """The primary key of the record of this model named by key, if any."""
    content_type = ContentType.objects.get_for_model(model)
    row = (
        RecordKey.objects.filter(scheme=scheme, key=key, content_type=content_type)
        .values_list("object_id", flat=True)
        .first()
    )
    if row is None or not model._default_manager.filter(pk=row).exists():
        return None
    return row


def remember(record: models.Model, key: str, scheme: str = CITYWATCH_SCHEME) -> bool:
    """Attach a key to a record; returns True when the key was new. A key left by a deleted
    record moves to this one.

    Raises:
        ValueError: when the key (in this scheme) already names another record that exists.
    """
    content_type = ContentType.objects.get_for_model(record)
    existing = RecordKey.objects.filter(scheme=scheme, key=key).first()
    if existing is not None:
        if existing.content_type_id == content_type.pk and existing.object_id == record.pk:
            return False
        target = existing.content_type.model_class()
        if target is not None and target._default_manager.filter(pk=existing.object_id).exists():
            raise ValueError(f"{scheme}:{key} already names another record")
        # The key named a record that has since been deleted: point it here.
        existing.content_type = content_type
        existing.object_id = record.pk
        existing.save(update_fields=["content_type", "object_id"])
        return True
    RecordKey.objects.create(scheme=scheme, key=key, content_type=content_type, object_id=record.pk)
    return True


# Many keys at once (imports of large files) ---------------------------------------------------

# Keys asked for per query: SQLite allows 32,766 parameters, older builds 999.
KEY_BATCH = 900


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), KEY_BATCH):
        yield values[start : start + KEY_BATCH]


def taken(keys: Iterable[str], scheme: str = CITYWATCH_SCHEME) -> set[str]:
    """Which of these keys (in ``scheme``) a record key holds already, whatever the kind of
    record it names (one query per ``KEY_BATCH`` keys)."""
    wanted = sorted({key for key in keys if key})
    found: set[str] = set()
    for chunk in _chunks(wanted):
        found.update(
            RecordKey.objects.filter(scheme=scheme, key__in=chunk).values_list("key", flat=True)
        )
    return found


def find_many(
    model: type[models.Model], keys: Iterable[str], scheme: str = CITYWATCH_SCHEME
) -> dict[str, int]:
    """The primary key of the record of this model each key names, for the keys that name
    one that exists: ``find`` for many keys, by the same rule, in a few queries."""
    content_type = ContentType.objects.get_for_model(model)
    wanted = sorted({key for key in keys if key})
    named: dict[str, int] = {}
    for chunk in _chunks(wanted):
        rows = RecordKey.objects.filter(
            scheme=scheme, key__in=chunk, content_type=content_type
        ).order_by("pk")
        for key, object_id in rows.values_list("key", "object_id"):
            named.setdefault(key, object_id)
    existing: set[int] = set()
    pks = sorted(set(named.values()))
    for start in range(0, len(pks), KEY_BATCH):
        existing.update(
            model._default_manager.filter(pk__in=pks[start : start + KEY_BATCH]).values_list(
                "pk", flat=True
            )
        )
    return {key: pk for key, pk in named.items() if pk in existing}


def remember_new(pairs: Iterable[tuple[models.Model, str]], scheme: str = CITYWATCH_SCHEME) -> None:
    """Attach new keys to saved records in a few inserts: (record, key) pairs whose keys no
    record key holds yet (see ``taken``); empty keys are skipped.

    Raises:
        IntegrityError: when a key is taken after all.
    """
    rows = [
        RecordKey(
            scheme=scheme,
            key=key,
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
        )
        for record, key in pairs
        if key
    ]
    RecordKey.objects.bulk_create(rows, batch_size=KEY_BATCH)
