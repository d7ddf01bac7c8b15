"""Reads about sources and their files. Who may see them is the permission module's
question (``citywatch.teams.permissions``), asked by the apps above this one."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from citywatch.evidence.models import Source, StoredFile, TextStatus


def text_file(source: Source) -> StoredFile | None:
    """The file whose text stands for the source: its document, else its newest snapshot."""
    if source.document_id:
        document = StoredFile.objects.filter(pk=source.document_id).first()
        if document is not None and document.text_status == TextStatus.DONE:
            return document
    snapshot = (
        source.snapshots.select_related("stored_file")
        .filter(stored_file__text_status=TextStatus.DONE)
        .first()
    )
    return snapshot.stored_file if snapshot else None


def sources_using(stored: StoredFile) -> QuerySet[Source]:
    """The sources whose document or archived copy is this stored file."""
    return Source.objects.filter(Q(document=stored) | Q(snapshots__stored_file=stored)).distinct()
