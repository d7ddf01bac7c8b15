"""The evidence writes a contributor proposes: citing a passage, attaching a document to a
source. Applied by a reviewer, each runs the same evidence service a reviewer would have
called directly. (Adding a fact from a suggestion is declared by citywatch.research.operations.)"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citywatch.atlas import services as atlas_services
from citywatch.commons.operations import Operation, register_operation
from citywatch.evidence import documents, services
from citywatch.evidence.models import Source, StoredFile


def _source(payload: dict[str, Any]) -> Source:
    source = Source.objects.filter(key=payload.get("source")).first()
    if source is None:
        raise ValidationError(_("The source no longer exists."))
    return source


def apply_cite(payload: dict[str, Any], reviewer: Any) -> models.Model:
    target = services.citable_target(payload["content_type"], payload["object_id"])
    return atlas_services.cite_passage(
        _source(payload),
        target,
        quote=payload["quote"],
        field_name=payload.get("field_name", ""),
        locator=payload.get("locator", ""),
        stated_value=payload.get("stated_value", ""),
        by=reviewer,
    )


def describe_cite(payload: dict[str, Any]) -> list[tuple[str, str]]:
    source = Source.objects.filter(key=payload.get("source")).first()
    try:
        target = services.citable_target(payload["content_type"], payload["object_id"])
    except (ValidationError, models.ObjectDoesNotExist):
        target = None
    rows = [
        (_("Source"), str(source or _("(removed)"))),
        (_("Fact"), str(target or _("(removed)"))),
        (_("Quote"), payload.get("quote", "")),
    ]
    if payload.get("field_name"):
        rows.append((_("Field"), payload["field_name"]))
    if payload.get("stated_value"):
        rows.append((_("Value stated by this source"), payload["stated_value"]))
    if payload.get("locator"):
        rows.append((_("Page or locator"), payload["locator"]))
    return rows


def apply_attach(payload: dict[str, Any], reviewer: Any) -> models.Model:
    """Attach the proposed stored file (``payload["sha256"]``) to the proposed source
    (``payload["source"]``, its key); returns the source.

    Raises:
        ValidationError: when the source or the stored file no longer exists.
    """
    source = _source(payload)
    stored = StoredFile.objects.filter(sha256=payload.get("sha256")).first()
    if stored is None:
        raise ValidationError(_("The proposed file is no longer stored."))
    return services.add_document(documents.read_bytes(stored), stored.original_name, source)


def describe_attach(payload: dict[str, Any]) -> list[tuple[str, str]]:
    source = Source.objects.filter(key=payload.get("source")).first()
    stored = StoredFile.objects.filter(sha256=payload.get("sha256")).first()
    rows = [(_("Source"), str(source or _("(removed)")))]
    if stored is not None:
        rows.append((_("New document"), f"{stored.media_type}, {stored.size} B"))
        rows.append((_("SHA-256"), stored.sha256))
    return rows


def register() -> None:
    register_operation(
        Operation("cite_passage", gettext_lazy("Cite a passage"), apply_cite, describe_cite)
    )
    register_operation(
        Operation(
            "attach_document", gettext_lazy("Attach a document"), apply_attach, describe_attach
        )
    )
