"""Stable ids and other keys: every exported record carries one, and imports find records by them.

A record's stable id is a UUID kept in ``RecordKey`` (scheme ``citywatch``); it is minted the
first time the record is exported, or taken from the file when the record is imported, so a
dataset exported here, imported elsewhere and exported again names its records the same way.
Other schemes hold keys given by someone else (``eff-atlas`` row numbers, a partner's
``external`` ids).

A key (in a scheme) may name several records of a kind, each row of ``RecordKey`` being one
record's *claim* on it: when an import names a record the importer may not see, the record it
creates claims the same key (as it would claim an unknown one), without taking the key from the
hidden record, so that nothing answers differently for a hidden record than for an unknown one
(see ``exchange.imports.access``). Who reads a key decides which claim counts:

- an import matches the records it may see (``named``, then ``Importer.find_key``);
- an export names each record by the oldest stable id it claims that no older claim of a record
  in the export's *scope* (the records that export may show) precedes (``owned_claims``), so
  one file never gives two records of a kind the same id, ids already unique never change, and
  a record whose only claim is preceded within the scope gets a new id minted
  (``stable_ids``). A scope that cannot see the older claimant names the record by the key
  it was imported with, exactly as for a key unknown here.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import Count

from citywatch.core import bulk
from citywatch.exchange.models import CITYWATCH_SCHEME, RecordKey


def preceded_claims(model: type[models.Model], scope: models.QuerySet | None = None) -> list[int]:
    """The claims (``RecordKey`` primary keys) on stable ids of ``model`` records that an older
    claim (lower primary key) on the same id by another record in ``scope`` precedes; ``scope``
    is a queryset of ``model``, the records a reader may see (None: every record).

    Only ids claimed by more than one record are looked at (rare: one query finds them, and a
    second reads which of their claimants are in ``scope``)."""
    content_type = ContentType.objects.get_for_model(model)
    mine = RecordKey.objects.filter(scheme=CITYWATCH_SCHEME, content_type=content_type)
    contested = (
        mine.order_by()
        .values("key")
        .annotate(claimants=Count("object_id", distinct=True))
        .filter(claimants__gt=1)
        .values("key")
    )
    claims = list(
        mine.filter(key__in=contested).order_by("pk").values_list("pk", "key", "object_id")
    )
    if not claims:
        return []
    scope = model._default_manager.all() if scope is None else scope
    in_scope = set(
        scope.order_by()
        .filter(pk__in={object_id for _pk, _key, object_id in claims})
        .values_list("pk", flat=True)
    )
    holder: dict[str, int] = {}  # id -> the record in scope with the oldest claim on it
    preceded = []
    for pk, key, object_id in claims:
        if key not in holder:
            if object_id in in_scope:
                holder[key] = object_id
        elif holder[key] != object_id:
            preceded.append(pk)
    return preceded


def owned_claims(
    model: type[models.Model],
    scope: models.QuerySet | None = None,
    preceded: Iterable[int] | None = None,
) -> models.QuerySet:
    """The claims on stable ids of ``model`` records that count within ``scope`` (see
    ``preceded_claims``, which ``preceded`` gives when the caller has it already): a record is
    named by the oldest of them. Returns a ``RecordKey`` queryset (usable as a subquery)."""
    content_type = ContentType.objects.get_for_model(model)
    preceded = preceded_claims(model, scope) if preceded is None else list(preceded)
    claims = RecordKey.objects.filter(scheme=CITYWATCH_SCHEME, content_type=content_type)
    return claims.exclude(pk__in=preceded) if preceded else claims


def stable_ids(
    model: type[models.Model], pks: Iterable[int], scope: models.QuerySet | None = None
) -> dict[int, str]:
    """The stable id of each record (by primary key) as read within ``scope`` (a queryset of
    ``model``: the records the reader may see, e.g. the public ones for an export; None: every
    record, as the operator sees them), minting ids for records that own none there.

    Each record gets the oldest id it claims that no older claim of another record in
    ``scope`` precedes (``owned_claims``): no two records of the kind in ``scope`` get the same
    id, and a record that already had an id of its own keeps it. Minted ids are new UUIDs, so
    they are the record's own in every scope."""
    pks = sorted(set(pks))
    if not pks:
        return {}
    content_type = ContentType.objects.get_for_model(model)
    found: dict[int, str] = {}
    rows = owned_claims(model, scope).filter(object_id__in=pks).order_by("pk")
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
        except IntegrityError:  # should two ids ever collide: read again, minting afresh
            return stable_ids(model, pks, scope)
        found.update({key.object_id: key.key for key in new})
    return found


def named(model: type[models.Model], key: str, scheme: str = CITYWATCH_SCHEME) -> list[int]:
    """The primary keys of the existing ``model`` records that claim ``key`` in ``scheme``,
    oldest claim first (empty when none). Who may see which is for the caller to decide
    (``exchange.imports.base.Importer.find_key``)."""
    content_type = ContentType.objects.get_for_model(model)
    claims = list(
        RecordKey.objects.filter(scheme=scheme, key=key, content_type=content_type)
        .order_by("pk")
        .values_list("object_id", flat=True)
    )
    if not claims:
        return []
    existing = set(
        model._default_manager.filter(pk__in=claims).values_list("pk", flat=True).order_by()
    )
    return [pk for pk in dict.fromkeys(claims) if pk in existing]


def find(model: type[models.Model], key: str, scheme: str = CITYWATCH_SCHEME) -> int | None:
    """The primary key of the oldest existing record of this model that claims ``key``, if
    any: the operator's view; an import asks ``Importer.find_key``, which sees only what the
    importer may see."""
    found = named(model, key, scheme)
    return found[0] if found else None


def remember(
    record: models.Model,
    key: str,
    scheme: str = CITYWATCH_SCHEME,
    rivals: Callable[[list[int]], list[int]] | None = None,
) -> bool:
    """Let ``record`` claim ``key`` (in ``scheme``); returns True when the claim is new.

    ``rivals`` receives the primary keys of the other existing records of its kind that claim
    the key and returns those that stand in the way (an import: those the importer may see);
    None: all of them. The claims of records that stand aside, or that no longer exist, are
    left as they are: the key then names several records, each reader seeing its own.

    Raises:
        ValueError: when the key already names another record that stands in the way.
    """
    content_type = ContentType.objects.get_for_model(record)
    claims = RecordKey.objects.filter(scheme=scheme, key=key, content_type=content_type)
    if claims.filter(object_id=record.pk).exists():
        return False
    others = [pk for pk in named(record._meta.model, key, scheme) if pk != record.pk]
    in_the_way = others if rivals is None else rivals(others)
    if in_the_way:
        raise ValueError(f"{scheme}:{key} already names another record")
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
    content_types: dict[type[models.Model], int] = {}
    rows = []
    for record, key in pairs:
        if not key:
            continue
        model = type(record)
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(record).pk
        rows.append((scheme, key, content_types[model], record.pk))
    bulk.insert_plain(RecordKey, ("scheme", "key", "content_type_id", "object_id"), rows)
