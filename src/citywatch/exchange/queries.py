"""The public dataset that exports, feeds and the API publish.

Everything is filtered by ``citywatch.teams.permissions`` for an anonymous visitor, so private,
partners-only and embargoed records (and everything that hangs off them) never leave the
building. Organisations and localities are published only when a public record links to them;
sources only when their owner published them and a public record cites them.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.apps import apps
from django.db.models import (
    BigIntegerField,
    Count,
    DateTimeField,
    Exists,
    F,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from citywatch.actors.models import Organisation
from citywatch.atlas.models import Component, Deployment, Event, Money, Party, VendorClaim
from citywatch.atlas.queries import public_deployments
from citywatch.core import data_cache
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
    """Places of public deployments (asked per place: places are fewer than deployments)."""
    return Locality.objects.filter(Exists(public_deployments().filter(locality=OuterRef("pk"))))


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


def _latest_history(records: QuerySet) -> dt.datetime | None:
    """The newest history row of any record in ``records`` (None without history).

    Read from the newest history row backwards (``history_date`` is indexed), each row's
    record checked by its primary key: SQLite stops at the first record of the set, so it
    costs a few lookups when the latest edits are in the set, at most one per history row
    newer than the set's latest edit otherwise (never a list of every record in the set);
    PostgreSQL hashes the set once and walks the same index."""
    history = records.model.history.model
    in_set = records.order_by().filter(pk=OuterRef("id"))
    return (
        history.objects.filter(Exists(in_set))
        .order_by("-history_date")
        .values_list("history_date", flat=True)
        .first()
    )


def _indexed(model: type, field_name: str) -> bool:
    """Whether an index leads with this column (so the newest value is read off its end)."""
    field = model._meta.pk if field_name == "pk" else model._meta.get_field(field_name)
    if field.primary_key or field.db_index or field.unique:
        return True
    return any(index.fields and index.fields[0] == field.name for index in model._meta.indexes)


def _summary(records: QuerySet, stamp_field: str | None) -> tuple[str, object]:
    """(``label:count:sum of ids:sum of squared ids``, latest change) of one record set.

    One aggregate over the set (with the newest stamp, unless an index gives it in a second,
    cheap read), and, for records without a timestamp of their own, one read of their newest
    history row (``_latest_history``)."""
    model = records.model
    aggregates = {
        "n": Count("pk"),
        "ids": Sum("pk"),
        "squares": Sum(F("pk") * F("pk"), output_field=BigIntegerField()),
    }
    walk_index = bool(stamp_field) and _indexed(model, stamp_field)
    if stamp_field and not walk_index:
        aggregates["latest"] = Max(stamp_field)
    summary = records.order_by().aggregate(**aggregates)
    if walk_index:
        # The newest first down the stamp's index: no read of every row for the maximum.
        latest = (
            records.exclude(**{f"{stamp_field}__isnull": True})
            .order_by(f"-{stamp_field}")
            .values_list(stamp_field, flat=True)
            .first()
        )
    elif stamp_field:
        latest = summary["latest"]
    elif hasattr(model, "history"):
        latest = _latest_history(records)
    else:
        latest = None
    counts = (summary["n"], summary["ids"] or 0, summary["squares"] or 0)
    return ":".join([model._meta.label_lower, *map(str, counts)]), latest


def fingerprint(
    querysets: list[QuerySet], stamps_by_model: dict[type, str] | None = None
) -> tuple[str, dt.datetime | None]:
    """(version text, latest change) of these record sets, computed from them alone.

    For each set: how many records, the sum of their ids and of their squared ids (records
    leaving and others entering change them) and the latest change to any of them: its
    timestamp field (``stamps_by_model``, or ``updated_at`` where the model has one), else
    its newest history row (history records every save). A change to a record outside the
    sets changes nothing here, so ETags and Last-Modified built on it reveal nothing about
    records the public may not see. Records leaving the public set are stamped by
    ``PublicWithdrawal`` (a time, nothing else).

    Costs two queries per set at most, plus one, whatever the number of records (checked by
    ``tests/test_fingerprint.py``).
    """
    parts: list[str] = []
    stamps: list[dt.datetime] = []
    for records in querysets:
        model = records.model
        stamp_field = (stamps_by_model or {}).get(model)
        if stamp_field is None and any(f.name == "updated_at" for f in model._meta.fields):
            stamp_field = "updated_at"
        text, latest = _summary(records, stamp_field)
        parts.append(text)
        if isinstance(latest, dt.datetime):
            stamps.append(latest)
        elif latest is not None:  # a newest id, for rows that are only ever added
            parts.append(str(latest))
    withdrawn = latest_withdrawal()
    if withdrawn is not None:
        stamps.append(withdrawn)
    last = max(stamps) if stamps else None
    stamp = last.astimezone(dt.UTC).isoformat() if last else "empty"
    return f"{stamp}|{'|'.join(parts)}", last


def latest_withdrawal() -> dt.datetime | None:
    """When a record last left the public dataset (``PublicWithdrawal.at``, aware), or None
    when none ever did. One query."""
    return PublicWithdrawal.objects.aggregate(latest=Max("at"))["latest"]


def public_fingerprint() -> tuple[str, dt.datetime | None]:
    """``fingerprint(public_querysets())``, computed once per change of the data and per day
    (``citywatch.core.data_cache``) and shared by every process (the database's cache
    table). A change to a private record makes it computed again, to the same value: headers
    built on it, and the public reads kept under it, still move only when public records
    change."""
    return cached(PUBLIC_FINGERPRINT, lambda: fingerprint(public_querysets()), shared=True)


PUBLIC_FINGERPRINT = ("public-dataset-fingerprint",)


def known_public_fingerprint() -> str | None:
    """The version text of ``public_fingerprint()`` if it is computed for this data and day
    already, else None (nothing is computed)."""
    known = data_cache.peek(PUBLIC_FINGERPRINT)
    return None if known is None else known[0]


# The models of ``public_querysets()``, in its order (its sets are built from the database:
# named organisations), checked by tests/test_public_cache.py.
PUBLIC_MODELS = (
    Deployment,
    *DEPLOYMENT_PARTS,
    VendorClaim,
    Organisation,
    Source,
    Citation,
    Locality,
    LegalCardEntry,
)
# Models no public read shows (labels: some live in apps above this one): the search index
# (derived from the records, which move the fingerprint themselves), the audit log, tips and
# change proposals (reviewed in private; applied, they change the records), API tokens, and
# the FOI desk's mail filing and calendar feeds. Writing them (a tip sent, a proposal made)
# costs a visitor no more than a private edit does.
UNPUBLISHED_MODELS = (
    "evidence.searchentry",
    "commons.auditentry",
    "commons.tip",
    "commons.changeproposal",
    "api.apitoken",
    "foi.inboundmail",
    "foi.failingaddress",
    "foi.calendarfeed",
)


def track_public_reads() -> None:
    """Key the page cache's public reads by the public fingerprint (``data_cache.track_public``):
    every change the public may see to the records of ``PUBLIC_MODELS`` moves it
    (tests/test_fingerprint.py), and the withdrawals it reads are stamped in it."""
    fingerprinted: set[str] = set()
    unpublished: set[str] = set()
    for labels, models in (
        (fingerprinted, [*PUBLIC_MODELS, PublicWithdrawal]),
        (unpublished, [apps.get_model(label) for label in UNPUBLISHED_MODELS]),
    ):
        for model in models:
            labels.add(model._meta.label_lower)
            if hasattr(model, "history"):
                labels.add(model.history.model._meta.label_lower)
    data_cache.track_public(
        version=lambda: public_fingerprint()[0],
        known_version=known_public_fingerprint,
        fingerprinted=fingerprinted,
        unpublished=unpublished,
    )


def dataset_last_modified() -> dt.datetime | None:
    """When the public dataset last changed, from public records only."""
    return public_fingerprint()[1]


def dataset_version() -> str:
    """A short text that changes whenever the public dataset changes (for ETags); computed from
    public records only, so editing a private record changes nothing."""
    return dataset_state()[0]


def dataset_state() -> tuple[str, dt.datetime | None]:
    """(``dataset_version()``, ``dataset_last_modified()``) from one fingerprint (read once
    even with the page cache off)."""
    version, last = public_fingerprint()
    return hashlib.sha256(version.encode()).hexdigest()[:32], last


def now() -> dt.datetime:
    return timezone.now().replace(microsecond=0)
