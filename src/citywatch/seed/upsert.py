"""The one way the demo loaders write a record: find it, change only what differs, count."""

from __future__ import annotations

from collections import Counter

from django.db import models

from citywatch.atlas import services as atlas_services
from citywatch.teams import permissions


def upsert(
    model: type[models.Model],
    lookup: dict,
    values: dict,
    counts: Counter[str],
    *,
    validate: bool = True,
) -> models.Model:
    """The record of ``model`` matching ``lookup``, created or updated to ``values``.

    Saves only when something changed, so loading the demo twice writes nothing the second
    time; counts ``<model>_created`` and ``<model>_updated`` in ``counts``. With ``validate``,
    the record is checked with ``full_clean`` first (constraints are left to the database).
    A deployment, its parts, claims and their citations are written by their one owner,
    ``atlas.services.save_record``, as a system write (``permissions.INTERNAL``: loading the
    demo is the operator's command).

    Raises:
        ValidationError: with ``validate``, when the values are not valid for the model.
    """
    record = model._default_manager.filter(**lookup).first()
    if record is None:
        record = model(**lookup, **values)
        counts[f"{model._meta.model_name}_created"] += 1
    else:
        changed = {k: v for k, v in values.items() if getattr(record, k) != v}
        if not changed:
            return record
        for key, value in changed.items():
            setattr(record, key, value)
        counts[f"{model._meta.model_name}_updated"] += 1
    if validate:
        record.full_clean(validate_constraints=False)
    if atlas_services.is_deployment_record(record):
        atlas_services.save_record(record, by=permissions.INTERNAL, validate=False)
    else:
        record.save()
    return record
