"""Reads shared by pages, API and exports, so visibility rules live in one place."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, IntegerField, Max, Min, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from citywatch.actors.models import Organisation
from citywatch.atlas.models import Component, Deployment, Event, Money, Party, VendorClaim
from citywatch.evidence.models import Citation, Snapshot, Source, StoredFile
from citywatch.evidence.queries import text_file
from citywatch.places.models import Country
from citywatch.teams import permissions


def today() -> dt.date:
    return timezone.localdate()


def publicly_visible(on: dt.date | None = None) -> Q:
    """What anyone may see: public records, and any record whose embargo has passed."""
    return permissions.public_q(on)


def events_in_order(events: QuerySet[Event]) -> QuerySet[Event]:
    """Dated events first, by date (partial dates sort as text), then undated ones."""
    undated_last = Case(When(date="", then=Value(1)), default=Value(0), output_field=IntegerField())
    return events.order_by(undated_last, "date", "pk")


def public_deployments() -> QuerySet[Deployment]:
    """Deployments anyone may see: what exports, feeds and the public API publish."""
    return visible_deployments(None)


def visible_deployments(user: Any) -> QuerySet[Deployment]:
    """Deployments this user may see (see citywatch.teams.permissions)."""
    return Deployment.objects.filter(permissions.visible_q(user, Deployment)).select_related(
        "country", "locality"
    )


def editable_deployments(user: Any) -> QuerySet[Deployment]:
    """Deployments this user may change, directly or by proposal (pickers, cite panels)."""
    return Deployment.objects.filter(permissions.editable_q(user, Deployment))


def deployment_list(user: Any = None) -> QuerySet[Deployment]:
    return visible_deployments(user).prefetch_related(
        Prefetch(
            "parties",
            queryset=Party.objects.select_related("organisation").order_by("role"),
        ),
        Prefetch("components", queryset=Component.objects.select_related("technology")),
    )


def deployment_cards(user: Any = None) -> QuerySet[Deployment]:
    """Deployments the user may see, with only what a list card shows (title, place, status,
    certainty, summary and the parties' names and roles)."""
    return (
        Deployment.objects.filter(permissions.visible_q(user, Deployment))
        .select_related("country", "locality")
        .only(
            "title",
            "slug",
            "summary",
            "status",
            "certainty",
            "country",
            "locality",
            "country__code",
            "country__english_name",
            "locality__name",
        )
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=Party.objects.select_related("organisation")
                .only("deployment_id", "role", "organisation", "organisation__name")
                .order_by("role", "organisation__name"),
            )
        )
    )


def deployment_page(slug: str, user: Any = None) -> Deployment:
    """One deployment the user may see, with everything its page shows; raises DoesNotExist."""
    return (
        visible_deployments(user)
        .prefetch_related(
            Prefetch("parties", queryset=Party.objects.select_related("organisation")),
            Prefetch(
                "components",
                queryset=Component.objects.select_related("technology", "supplier"),
            ),
            "money",
            Prefetch("events", queryset=events_in_order(Event.objects.all())),
            Prefetch("claims", queryset=VendorClaim.objects.select_related("vendor")),
        )
        .get(slug=slug)
    )


def citations_for(records: list, user: Any = None) -> list[Citation]:
    """Every citation the user may see pointing at any of these records (its record and its
    source both visible to them: ``permissions.citations_of_q``)."""
    by_model: dict[type, list[int]] = {}
    for record in records:
        by_model.setdefault(type(record), []).append(record.pk)
    if not by_model:
        return []
    return list(
        Citation.objects.filter(permissions.citations_of_q(user, by_model))
        .select_related("source", "content_type")
        .prefetch_related("source__snapshots")
    )


def deployment_records(deployment: Deployment) -> list:
    """The deployment and every record that hangs off it, in page order."""
    return [
        deployment,
        *deployment.parties.all(),
        *deployment.components.all(),
        *deployment.money.all(),
        *deployment.events.all(),
        *deployment.claims.all(),
    ]


def public_deployments_citing(source: Source, user: Any = None) -> QuerySet[Deployment]:
    citations = source.citations.all()
    deployment_ids = set()
    for citation in citations.select_related("content_type"):
        target = citation.target
        if isinstance(target, Deployment):
            deployment_ids.add(target.pk)
        elif target is not None and hasattr(target, "deployment_id") and target.deployment_id:
            deployment_ids.add(target.deployment_id)
    return visible_deployments(user).filter(pk__in=deployment_ids)


def organisation_deployments(organisation: Organisation, user: Any = None) -> QuerySet[Deployment]:
    return visible_deployments(user).filter(parties__organisation=organisation).distinct()


def authorities_in(deployments: QuerySet[Deployment]) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(kind="authority", parties__deployment__in=deployments)
        .distinct()
        .order_by("name")
    )


def deployments_by_country(deployments: QuerySet[Deployment]) -> list[dict]:
    """Per country: how many deployments and the years they span."""
    rows = (
        deployments.order_by()
        .values("country_id")
        .annotate(n=Count("pk", distinct=True), first=Min("first_year"), last=Max("last_year"))
    )
    countries = {
        c.code: c for c in Country.objects.filter(code__in=[r["country_id"] for r in rows])
    }
    result = [{**row, "country": countries[row["country_id"]]} for row in rows]
    return sorted(result, key=lambda row: (-row["n"], str(row["country"].name)))


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
    quoted = source.citations.exclude(quote="").filter(permissions.visible_q(user, Citation))
    return SourceEvidence(
        document=source.document if source.document_id else None,
        snapshots=list(source.snapshots.select_related("stored_file")),
        text_file=text_file(source),
        quoted=list(quoted.select_related("content_type")),
    )


def citations_of_deployments(deployment_ids: QuerySet) -> Q:
    """Citations that point at these deployments or at any of their parts."""
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


def former_organisations(slug: str, user: Any) -> list[Organisation]:
    """Organisations that once had ``slug`` (their history says so), have another one now, and
    that ``user`` may see, most recently moved first: a hidden organisation whose slug went to
    a new one (``services.move_organisation``) is found here by its team. Empty for anyone
    who may not see them, so a hidden organisation's former slug tells them nothing."""
    ids = list(
        dict.fromkeys(
            Organisation.history.filter(slug=slug)
            .order_by("-history_date")
            .values_list("id", flat=True)
        )
    )
    found = {
        organisation.pk: organisation
        for organisation in permissions.visible(user, Organisation)
        .filter(pk__in=ids)
        .exclude(slug=slug)
    }
    return [found[pk] for pk in ids if pk in found]


def former_deployment(slug: str, user: Any) -> Deployment | None:
    """The deployment that once had ``slug`` (its history says so) and that ``user`` may see,
    for a redirect to its current page; None when there is none or the user may not see it
    (so a hidden record's former slug answers like an unknown one)."""
    ids = (
        Deployment.history.filter(slug=slug).order_by("-history_date").values_list("id", flat=True)
    )
    for deployment_id in ids:
        deployment = permissions.visible(user, Deployment).filter(pk=deployment_id).first()
        if deployment is not None and deployment.slug != slug:
            return deployment
    return None


def organisation_named(user: Any, visible: QuerySet[Organisation], name: str) -> NamedOrganisation:
    """The organisation a name or slug typed by ``user`` means, among ``visible`` (the
    organisations the user may see, ``permissions.visible``).

    One matched by slug or name (any case) is taken; when several are, the one the user's own
    records already name (parties, suppliers, lenders of deployments the user may edit) is
    preferred, then the oldest. ``ambiguous`` says that several matched and no single one was
    the user's own, for a warning. None when nothing matches (a new organisation is due).
    """
    found = list(visible.filter(Q(slug=name) | Q(name__iexact=name)).order_by("pk"))
    if len(found) <= 1:
        return NamedOrganisation(found[0] if found else None, ambiguous=False)
    slugged = [organisation for organisation in found if organisation.slug == name]
    if slugged:
        return NamedOrganisation(slugged[0], ambiguous=False)
    ids = [organisation.pk for organisation in found]
    own = set(
        permissions.editable(user, Party)
        .filter(organisation__in=ids)
        .values_list("organisation_id", flat=True)
    )
    own |= set(
        permissions.editable(user, Component)
        .filter(supplier__in=ids)
        .values_list("supplier_id", flat=True)
    )
    own |= set(
        permissions.editable(user, Money).filter(lender__in=ids).values_list("lender_id", flat=True)
    )
    mine = [organisation for organisation in found if organisation.pk in own]
    if len(mine) == 1:
        return NamedOrganisation(mine[0], ambiguous=False)
    return NamedOrganisation((mine or found)[0], ambiguous=True)


@dataclass(frozen=True)
class NamedOrganisation:
    """What ``organisation_named`` found: the organisation (or None) and whether the name
    matched several with none of them the user's own."""

    organisation: Organisation | None
    ambiguous: bool
