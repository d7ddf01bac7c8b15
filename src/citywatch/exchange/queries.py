"""The public dataset that exports, feeds and the API publish.

Everything starts from ``citywatch.atlas.queries.public_deployments()``, so private, partners-only
and embargoed deployments (and everything that hangs off them) never leave the building. Records
without a visibility of their own (organisations, localities, sources) are published only when a
public record links to them.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import DateTimeField, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from citywatch.actors.models import Organisation
from citywatch.atlas.models import Component, Deployment, Event, Money, Party, VendorClaim
from citywatch.atlas.queries import public_deployments, today
from citywatch.evidence.models import Citation, Source
from citywatch.places.models import LegalCardEntry, Locality

DEPLOYMENT_PARTS = (Party, Component, Money, Event)


def public_parts(model: type) -> QuerySet:
    """Parties, components, money or events of public deployments."""
    return model.objects.filter(deployment__in=public_deployments().values("pk"))


def public_vendor_claims() -> QuerySet[VendorClaim]:
    """Claims about a vendor at large, and claims about public deployments."""
    return VendorClaim.objects.filter(
        Q(deployment__isnull=True) | Q(deployment__in=public_deployments().values("pk"))
    )


def public_organisation_ids() -> set[int]:
    """Organisations a public record links to, and their parent organisations."""
    ids: set[int] = set()
    ids.update(public_parts(Party).values_list("organisation_id", flat=True))
    ids.update(
        public_parts(Component).filter(supplier__isnull=False).values_list("supplier_id", flat=True)
    )
    ids.update(public_parts(Money).filter(lender__isnull=False).values_list("lender_id", flat=True))
    ids.update(public_vendor_claims().values_list("vendor_id", flat=True))
    frontier = set(ids)
    while frontier:
        parents = set(
            Organisation.objects.filter(pk__in=frontier, parent__isnull=False).values_list(
                "parent_id", flat=True
            )
        )
        frontier = parents - ids
        ids |= frontier
    return ids


def public_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=public_organisation_ids())


def public_localities() -> QuerySet[Locality]:
    return Locality.objects.filter(
        pk__in=public_deployments().filter(locality__isnull=False).values("locality_id")
    )


def public_legal_entries() -> QuerySet[LegalCardEntry]:
    """Legal cards are public reference data."""
    return LegalCardEntry.objects.all()


def public_records_by_model() -> dict[type, QuerySet]:
    """Every kind of citable record, narrowed to what is public."""
    return {
        Deployment: public_deployments(),
        Party: public_parts(Party),
        Component: public_parts(Component),
        Money: public_parts(Money),
        Event: public_parts(Event),
        VendorClaim: public_vendor_claims(),
        Organisation: public_organisations(),
        Locality: public_localities(),
        LegalCardEntry: public_legal_entries(),
    }


def public_citations() -> QuerySet[Citation]:
    """Citations whose record is public (a citation of a private fact is never published)."""
    condition = Q(pk__in=[])
    for model, records in public_records_by_model().items():
        content_type = ContentType.objects.get_for_model(model)
        condition |= Q(content_type=content_type, object_id__in=records.values("pk"))
    return Citation.objects.filter(condition).select_related("source", "content_type")


def public_sources() -> QuerySet[Source]:
    """Sources that back at least one public fact."""
    return Source.objects.filter(pk__in=public_citations().values("source_id"))


def with_last_changed(deployments: QuerySet[Deployment]) -> QuerySet[Deployment]:
    """Annotate ``last_changed``: the latest change to the deployment or any of its parts.

    Parts are saved without touching the deployment's own timestamp, so their history (which
    also records deletions) is read instead.
    """
    latest_parts = []
    for model in (*DEPLOYMENT_PARTS, VendorClaim):
        history = model.history.model  # type: ignore[attr-defined]
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


def dataset_last_modified() -> dt.datetime | None:
    """When the public dataset last changed: the latest edit anywhere, or an embargo ending."""
    models = [Deployment, *DEPLOYMENT_PARTS, VendorClaim, Organisation, Source, Citation]
    models += [Locality, LegalCardEntry]
    stamps = []
    for model in models:
        history = model.history.model  # type: ignore[attr-defined]
        stamps.append(history.objects.aggregate(latest=Max("history_date"))["latest"])
    ended = Deployment.objects.filter(embargo_until__lte=today()).aggregate(
        latest=Max("embargo_until")
    )["latest"]
    if ended is not None:
        stamps.append(dt.datetime.combine(ended, dt.time.min, tzinfo=dt.UTC))
    found = [stamp for stamp in stamps if stamp is not None]
    return max(found) if found else None


def dataset_version() -> str:
    """A short text that changes whenever the public dataset may have changed (for ETags)."""
    last = dataset_last_modified()
    count = public_deployments().count()
    stamp = last.astimezone(dt.UTC).isoformat() if last else "empty"
    return f"{stamp}-{count}-{today().isoformat()}"


def now() -> dt.datetime:
    return timezone.now().replace(microsecond=0)
