"""The public dataset that exports, feeds and the API publish.

Everything is filtered by ``citywatch.teams.permissions`` for an anonymous visitor, so private,
partners-only and embargoed records (and everything that hangs off them) never leave the
building. Organisations and localities are published only when a public record links to them;
sources only when their owner published them and a public record cites them.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db.models import Count, DateTimeField, F, Max, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from citywatch.actors.models import Organisation
from citywatch.atlas.models import Component, Deployment, Event, Money, Party, VendorClaim
from citywatch.atlas.queries import public_deployments
from citywatch.core.data_cache import cached
from citywatch.evidence.models import Citation, Source
from citywatch.places.models import LegalCardEntry, Locality
from citywatch.teams import permissions
from citywatch.teams.models import PublicWithdrawal

DEPLOYMENT_PARTS = (Party, Component, Money, Event)


def public_parts(model: type) -> QuerySet:
    """Parties, components, money or events of public deployments."""
    return model.objects.filter(permissions.visible_q(None, model))


def public_vendor_claims() -> QuerySet[VendorClaim]:
    """Claims about a vendor at large, and claims about public deployments."""
    return VendorClaim.objects.filter(permissions.visible_q(None, VendorClaim))


def public_organisations() -> QuerySet[Organisation]:
    """Organisations a public record names, and their parent organisations."""
    return Organisation.objects.filter(permissions.visible_q(None, Organisation))


def public_localities() -> QuerySet[Locality]:
    return Locality.objects.filter(
        pk__in=public_deployments().filter(locality__isnull=False).values("locality_id")
    )


def public_legal_entries() -> QuerySet[LegalCardEntry]:
    """Legal cards are public reference data."""
    return LegalCardEntry.objects.all()


def public_citations() -> QuerySet[Citation]:
    """Citations whose record and source are both public (see citywatch.teams.permissions)."""
    return Citation.objects.filter(permissions.visible_q(None, Citation)).select_related(
        "source", "content_type"
    )


def public_sources() -> QuerySet[Source]:
    """Sources anyone may see: published by their owner and backing at least one public fact."""
    return Source.objects.filter(permissions.visible_q(None, Source))


def with_last_changed(deployments: QuerySet[Deployment]) -> QuerySet[Deployment]:
    """Annotate ``last_changed``: the latest change to the deployment or any of its parts.

    Parts are saved without touching the deployment's own timestamp, so their history (which
    also records deletions) is read instead.
    """
    latest_parts = []
    for model in (*DEPLOYMENT_PARTS, VendorClaim):
        history = model.history.model
        latest = (
            history.objects.filter(deployment_id=OuterRef("pk"))
            .order_by("-history_date")
            .values("history_date")[:1]
        )
        latest_parts.append(
            Coalesce(Subquery(latest, output_field=DateTimeField()), F("updated_at"))
        )
    return deployments.annotate(
        last_changed=Greatest(F("updated_at"), *latest_parts, output_field=DateTimeField())
    )


def public_querysets() -> list[QuerySet]:
    """Every kind of record the public dataset holds, narrowed to what anyone may see."""
    return [
        public_deployments(),
        *(public_parts(model) for model in DEPLOYMENT_PARTS),
        public_vendor_claims(),
        public_organisations(),
        public_sources(),
        public_citations(),
        public_localities(),
        public_legal_entries(),
    ]


def fingerprint(
    querysets: list[QuerySet], stamps_by_model: dict[type, str] | None = None
) -> tuple[str, dt.datetime | None]:
    """(version text, latest change) of these record sets, computed from them alone.

    For each set: how many records, the sum of their ids (a record leaving and another
    entering changes it) and the latest change to any of them (their history, which records
    every save). A change to a record outside the sets changes nothing here, so ETags and
    Last-Modified built on it reveal nothing about records the public may not see. Records
    leaving the public set are stamped by ``PublicWithdrawal`` (a time, nothing else).
    """
    parts: list[str] = []
    stamps: list[dt.datetime] = []
    for records in querysets:
        model = records.model
        summary = records.order_by().aggregate(n=Count("pk"), ids=Sum("pk"))
        latest = None
        history = getattr(model, "history", None)
        stamp_field = (stamps_by_model or {}).get(model)
        if stamp_field:
            latest = records.order_by().aggregate(latest=Max(stamp_field))["latest"]
        elif history is not None:
            latest = history.model.objects.filter(id__in=records.values("pk")).aggregate(
                latest=Max("history_date")
            )["latest"]
        parts.append(f"{model._meta.label_lower}:{summary['n']}:{summary['ids'] or 0}")
        if isinstance(latest, dt.datetime):
            stamps.append(latest)
        elif latest is not None:  # a newest id, for rows that are only ever added
            parts.append(str(latest))
    withdrawn = PublicWithdrawal.objects.aggregate(latest=Max("at"))["latest"]
    if withdrawn is not None:
        stamps.append(withdrawn)
    last = max(stamps) if stamps else None
    stamp = last.astimezone(dt.UTC).isoformat() if last else "empty"
    return f"{stamp}|{'|'.join(parts)}", last


def public_fingerprint() -> tuple[str, dt.datetime | None]:
    """``fingerprint(public_querysets())``, computed once per change of the data and per day
    (``citywatch.core.data_cache``). A change to a private record makes it computed again, to
    the same value: headers built on it still move only when public records change."""
    return cached(("public-dataset-fingerprint",), lambda: fingerprint(public_querysets()))


def dataset_last_modified() -> dt.datetime | None:
    """When the public dataset last changed, from public records only."""
    return public_fingerprint()[1]


def dataset_version() -> str:
    """A short text that changes whenever the public dataset changes (for ETags); computed from
    public records only, so editing a private record changes nothing."""
    version = public_fingerprint()[0]
    return hashlib.sha256(version.encode()).hexdigest()[:32]


def now() -> dt.datetime:
    return timezone.now().replace(microsecond=0)
