"""Reads for evidence pages and search. Visibility of deployments comes from atlas.queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from citywatch.evidence.models import Citation, Snapshot, Source, StoredFile, TextStatus


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
    return Source.objects.filter(Q(document=stored) | Q(snapshots__stored_file=stored)).distinct()


@dataclass
class SourceEvidence:
    """What the source page shows about the files behind a source."""

    document: StoredFile | None
    snapshots: list[Snapshot]
    text_file: StoredFile | None
    quoted: list[Citation] = field(default_factory=list)

    @property
    def latest_snapshot(self) -> Snapshot | None:
        return self.snapshots[0] if self.snapshots else None


def source_evidence(source: Source, user: Any = None) -> SourceEvidence:
    """What the source page shows; quoted passages only for facts the user may see."""
    from citywatch.atlas.queries import visible_citations

    quoted = visible_citations(source.citations.exclude(quote=""), user)
    return SourceEvidence(
        document=source.document if source.document_id else None,
        snapshots=list(source.snapshots.select_related("stored_file")),
        text_file=text_file(source),
        quoted=list(quoted.select_related("content_type")),
    )


def citations_of_deployments(deployment_ids: QuerySet) -> Q:
    """Citations that point at these deployments or at any of their parts."""
    from citywatch.atlas.models import Component, Deployment, Event, Money, Party, VendorClaim

    query = Q(
        content_type=ContentType.objects.get_for_model(Deployment),
        object_id__in=deployment_ids,
    )
    for model in (Party, Component, Money, Event, VendorClaim):
        query |= Q(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=model.objects.filter(deployment__in=deployment_ids).values("pk"),
        )
    return query


def sources_backing(deployment_ids: QuerySet) -> QuerySet[Source]:
    """Sources cited for these deployments (a queryset of deployment ids)."""
    citations = Citation.objects.filter(citations_of_deployments(deployment_ids))
    return Source.objects.filter(pk__in=citations.values("source_id"))
