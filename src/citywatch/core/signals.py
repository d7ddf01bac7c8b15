"""Signals every app may send or receive (core is the bottom layer), and the safety net under
every input door.

``deployment_changed`` (sent by ``citywatch.atlas.services`` with ``deployment_ids``, a
frozenset of ids) says that records of these deployments changed: the deployment itself, a
part, a claim, a citation, or an organisation or place they name (a deleted deployment's id
is included). Derived fields and the search index listen to it; nothing else sends it.

The safety net: no record of CityWatch's apps is saved with a
control character in its text (see ``citywatch.core.text``).

Forms, the admin, the API, imports, tips, proposals and e-mail all end in ``Model.save()``; a
``pre_save`` receiver for every model of CityWatch's apps (their history models included)
removes control characters from every CharField (keeping tab and line feed), TextField
(keeping carriage return too) and from every string inside a JSONField. Writes that bypass
``save()`` (``QuerySet.update``, ``bulk_create``) only copy or derive text already saved.
"""

from __future__ import annotations

import functools
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import Signal

from citywatch.core.text import (
    MULTI_LINE_KEEPS,
    SINGLE_LINE_KEEPS,
    strip_controls,
    strip_controls_deep,
)

# kwargs: deployment_ids (frozenset[int]); derived_current (frozenset[int], may be absent):
# those of them whose search text and years were written already, computed from the records.
deployment_changed = Signal()
# Sent by ``core.bulk.create_with_history`` after new records of one model (``sender``) were
# inserted without ``save()``: kwargs records (the saved instances). The search index listens.
records_created = Signal()
# Sent by ``citywatch.atlas.services.move_organisation`` when a hidden organisation gives its
# slug to a new one; kwargs: organisation (with its new slug), former_slug (str). Records that
# name organisations by slug (pending proposals) follow it.
organisation_moved = Signal()

# Text extracted from documents separates pages with form feeds (citywatch.evidence.extraction).
PAGE_BREAK_FIELDS = frozenset({("evidence", "storedfile", "text")})
PAGE_BREAK = "\f"


def is_citywatch_model(model: type[models.Model]) -> bool:
    return model._meta.app_config is not None and model._meta.app_config.name.startswith(
        "citywatch."
    )


def keeps_for(model: type[models.Model], field: models.Field) -> str:
    if isinstance(field, models.TextField):
        key = (model._meta.app_label, model._meta.model_name, field.name)
        return MULTI_LINE_KEEPS + (PAGE_BREAK if key in PAGE_BREAK_FIELDS else "")
    return SINGLE_LINE_KEEPS


@functools.cache
def text_fields(model: type[models.Model]) -> tuple[tuple[str, str | None], ...]:
    """The fields of ``model`` whose text loses its control characters: (attribute, the
    control characters kept), None for a JSON field (every string inside it)."""
    found: list[tuple[str, str | None]] = []
    for field in model._meta.concrete_fields:
        if isinstance(field, models.JSONField):
            found.append((field.attname, None))
        elif isinstance(field, (models.CharField, models.TextField)):
            found.append((field.attname, keeps_for(model, field)))
    return tuple(found)


def remove_control_characters(
    sender: type[models.Model],
    instance: Any,
    fields: tuple[tuple[str, str | None], ...] | None = None,
    **kwargs: Any,
) -> None:
    """Strip control characters from the instance's text fields, in place, before saving
    (``fields``: ``text_fields(sender)``, given when known)."""
    for attname, keep in text_fields(sender) if fields is None else fields:
        value = getattr(instance, attname)
        if keep is None:
            if value is not None:
                setattr(instance, attname, strip_controls_deep(value))
        elif isinstance(value, str):
            setattr(instance, attname, strip_controls(value, keep))


def connect() -> None:
    for model in apps.get_models(include_auto_created=True):
        if is_citywatch_model(model):
            pre_save.connect(
                remove_control_characters,
                sender=model,
                dispatch_uid=f"citywatch-controls-{model._meta.label_lower}",
            )
