"""Stable record keys (for exports and idempotent imports) and dataset releases."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

# Our own stable ids: UUIDs minted the first time a record is exported or imported.
CITYWATCH_SCHEME = "citywatch"


class RecordKey(models.Model):
    """One record's claim on a key that names it across exports and imports.

    Scheme ``citywatch`` holds the record's stable id (the ``id`` of every exported row); other
    schemes hold keys given by someone else, e.g. ``eff-atlas`` for the EFF Atlas of Surveillance's
    AOSNUMBER or ``external`` for a partner's own ids, so a second import finds the same record.
    A key may name several records of a kind (one per team that imported it without seeing the
    others): ``citywatch.exchange.keys`` says which claim each reader sees.
    """

    scheme = models.CharField(_("scheme"), max_length=40, default=CITYWATCH_SCHEME)
    key = models.CharField(_("key"), max_length=200)
    # Looked up by the index on (content type, object id, scheme) and found by the unique
    # constraint's index (scheme, key, …): no index of their own, which every import would
    # write for each record (see docs/performance.md, "Imports").
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("kind of record"), db_index=False
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    record = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("record key")
        verbose_name_plural = _("record keys")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "key", "content_type", "object_id"],
                name="record_key_claim_unique",
            ),
        ]
        # A record's claims are probed by kind, record and scheme (an export's check that
        # every public record owns a stable id: ``exchange.records.missing_stable_ids``).
        # With the scheme in it this index is the only one that answers the probe with
        # three equal columns, so SQLite picks it even without statistics (it took the
        # unique constraint's index, by scheme alone, and read every key per record).
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "scheme"], name="record_key_of_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scheme}:{self.key}"


class Release(models.Model):
    """A dated, versioned snapshot of the public dataset, with what changed since the last one."""

    version = models.CharField(_("version"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("released"), auto_now_add=True)
    notes = models.TextField(_("notes"), blank=True)
    # {stable id: {"type": ..., "label": ..., "hash": ...}} for every record in the snapshot.
    records = models.JSONField(_("records"), default=dict)
    # {"added": [...], "changed": [...], "removed": [...]}, each item {"type", "id", "label"}.
    changelog = models.JSONField(_("changelog"), default=dict)

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.version

    def counts(self) -> dict[str, int]:
        """How many records were added and changed, and how many are no longer public."""
        log = self.changelog
        gone = log.get("no_longer_public", 0) + len(log.get("removed", []))
        return {
            "added": len(log.get("added", [])),
            "changed": len(log.get("changed", [])),
            "removed": gone,
        }
