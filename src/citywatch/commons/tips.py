"""Public tips: receive one, turn it into a deployment, or reject it with a reason.

A tip is anonymous: nothing about the person who sent it is kept (no IP address, no browser
identifier, no account, and its time only to the day). Its file, if any, arrives here already
cleaned of identifying metadata (see ``citywatch.evidence.cleaning``) and is stored under a
random name. A tip reaches the atlas only when a reviewer accepts it: that creates a draft
deployment the reviewer has completed (title, country, locality, status, certainty), with the
tip's source link as a crowd-sourced source cited on it, in one transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citywatch.actors.models import Organisation, OrganisationKind
from citywatch.atlas import services as atlas_services
from citywatch.atlas.models import Deployment, Party, PartyRole
from citywatch.commons.models import AuditAction, ReviewStatus, Tip
from citywatch.commons.services import audit
from citywatch.core.change_reasons import FROM_TIP
from citywatch.core.choices import Visibility
from citywatch.core.text import fold
from citywatch.evidence.cleaning import CleanedFile
from citywatch.evidence.models import Citation, Source, SourceKind
from citywatch.places.gazetteer import City, find_cities
from citywatch.places.models import Country, Locality
from citywatch.places.services import PlaceError, locate
from citywatch.teams import permissions
from citywatch.teams.models import Team

MAX_SUGGESTIONS = 5


class AlreadyReviewed(Exception):
    """Another reviewer accepted or rejected the tip first: nothing was written."""


# ---------------------------------------------------------------- receiving


def attachment_name(clean: CleanedFile) -> str:
    """A random name: never the tipster's file name, which may name them or their phone."""
    return f"tips/{uuid.uuid4().hex}.{clean.extension}"


def receive_tip(
    *,
    what: str,
    place: str = "",
    country: Country | None = None,
    vendor: str = "",
    source_url: str = "",
    details: str = "",
    attachment: CleanedFile | None = None,
) -> Tip:
    """Store a tip for review. Only the day it arrived is kept."""
    saved_name = ""
    if attachment is not None:
        saved_name = default_storage.save(
            attachment_name(attachment), ContentFile(attachment.content)
        )
    try:
        with transaction.atomic():
            tip = Tip(
                what=what,
                place=place,
                country=country,
                vendor=vendor,
                source_url=source_url,
                details=details,
                attachment=saved_name,
                attachment_type=attachment.media_type if attachment else "",
                received_on=timezone.localdate(),
            )
            tip.full_clean()
            tip.save()
    except Exception:
        if saved_name:
            default_storage.delete(saved_name)
        raise
    return tip


def pending_tips():
    return Tip.objects.filter(status=ReviewStatus.PENDING).select_related("country")


# ---------------------------------------------------------------- helping the reviewer


def place_suggestions(place: str, country_code: str | None = None) -> list[City]:
    """Cities from the shipped list matching the tip's place: the whole text, then each part.

    "Knez Mihailova, Belgrade" suggests Belgrade; the most populous matches come first.
    """
    candidates = [place, *place.replace(";", ",").replace(" - ", ",").split(",")]
    found: list[City] = []
    for candidate in (c.strip() for c in candidates):
        if not candidate:
            continue
        for city in find_cities(candidate, country_code or None):
            if city not in found:
                found.append(city)
    return found[:MAX_SUGGESTIONS]


def vendor_match(name: str, user: Any = None) -> Organisation | None:
    """The vendor in the atlas the tip names, by name or one of its other names, among those
    the reviewer may see."""
    wanted = fold(name)
    if not wanted:
        return None
    vendors = permissions.visible(user, Organisation).filter(kind=OrganisationKind.VENDOR)
    for vendor in vendors.order_by("pk"):
        if fold(vendor.name) == wanted or wanted in {fold(a) for a in vendor.alias_list}:
            return vendor
    return None


def source_title_for(url: str) -> str:
    """A readable title for a link until the reviewer gives a better one."""
    parts = urlsplit(url)
    return (parts.netloc + parts.path).rstrip("/")[:500] or url[:500]


# ---------------------------------------------------------------- accepting


@dataclass
class TipAcceptance:
    """What the reviewer completes before a tip becomes a deployment."""

    title: str
    country: Country
    status: str
    certainty: str
    summary: str = ""
    locality_name: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    visibility: str = Visibility.PUBLIC
    vendor: Organisation | None = None
    source_title: str = ""
    publish_attachment: bool = False
    note: str = ""


def free_slug(title: str, *, hidden: bool = False) -> str:
    """A deployment slug for the title, in any script: ``atlas.services.free_deployment_slug``
    (unguessable for a ``hidden`` deployment).

    Raises:
        ValueError: when no free slug is found.
    """
    return atlas_services.free_deployment_slug(title, hidden=hidden)


def locality_for(acceptance: TipAcceptance, reviewer: Any) -> Locality | None:
    """The named locality, found by the same resolver as imports, the API and the admin
    (``places.services.locate``: name + country, accents folded, the coordinates the reviewer
    typed telling namesakes apart): an existing one, or a new one placed by the place list or
    the coordinates (marked approximate when neither knows the town). None means country-wide.
    Only places the reviewer may see are matched (``permissions.visible``).

    Raises:
        ValidationError: an ambiguous name without coordinates (the message says so).
    """
    name = acceptance.locality_name.strip()
    if not name:
        return None
    try:
        placement = locate(
            name,
            acceptance.country.code,
            "",
            acceptance.latitude,
            acceptance.longitude,
            localities=permissions.visible(reviewer, Locality).filter(
                country_id=acceptance.country.code
            ),
        )
    except PlaceError as error:
        raise ValidationError(str(error)) from error
    if placement.locality is not None:
        return placement.locality
    locality = Locality(**placement.new_locality_values())
    locality.full_clean()
    locality.save()
    return locality


def reviewer_team(reviewer: Any) -> Team | None:
    """The team that owns a deployment made from a tip: the reviewer's (reviewing) team."""
    teams = permissions.teams_with(reviewer, permissions.Capability.REVIEW)
    return Team.objects.get(pk=teams[0]) if teams else None


def cite_on(deployment: Deployment, source: Source, note: str, *, by: Any) -> Citation:
    """Cite the source on the deployment (written by ``atlas.services``).

    Raises:
        PermissionDenied: ``by`` may not write the deployment.
        ValidationError: the citation is not valid.
    """
    citation = Citation(
        source=source,
        content_type=ContentType.objects.get_for_model(Deployment),
        object_id=deployment.pk,
        note=note,
    )
    atlas_services.save_record(citation, by=by, reason=FROM_TIP)
    return citation


def link_source(tip: Tip, acceptance: TipAcceptance, owner_team: Team | None = None) -> Source:
    source = Source(
        owner_team=owner_team,
        title=acceptance.source_title.strip() or source_title_for(tip.source_url),
        url=tip.source_url,
        kind=SourceKind.CROWD,
        notes=_("Sent in a public tip on %(day)s.") % {"day": tip.received_on.isoformat()},
    )
    source.full_clean()
    source.save()
    return source


def publish_attachment(tip: Tip, owner_team: Team | None = None) -> Source:
    """The tip's (already cleaned) file becomes a crowd-sourced document, titled by the day
    it came (never by its file name) and stored under that title (``add_document``)."""
    from citywatch.evidence.services import add_document

    with default_storage.open(tip.attachment.name, "rb") as handle:
        content = handle.read()
    return add_document(
        content,
        title=_("File sent in a public tip on %(day)s") % {"day": tip.received_on.isoformat()},
        kind=SourceKind.CROWD,
        notes=_("Identifying metadata was removed when the file was received."),
        owner_team=owner_team,
    )


def accept_tip(tip: Tip, acceptance: TipAcceptance, *, reviewer: Any) -> Deployment:
    """Create the deployment the tip describes, cite the tip's link on it, mark the tip applied.

    One transaction: if anything fails (a locality not in the city list without
    coordinates, say), nothing is written. The deployment, its party and citations are
    written by ``atlas.services``.

    Raises:
        PermissionDenied: the reviewer may not review tips, or not add deployments for the
            team that would own this one.
        AlreadyReviewed: another reviewer got there first.
        ValidationError: the completed values are not valid (an ambiguous place, say).
    """
    if not permissions.can_review_tips(reviewer):
        raise PermissionDenied
    with transaction.atomic():
        locked = Tip.objects.select_for_update().get(pk=tip.pk)
        if locked.status != ReviewStatus.PENDING:
            raise AlreadyReviewed(_("This tip has already been reviewed."))
        deployment = Deployment(
            title=acceptance.title.strip(),
            # A hidden one's unguessable slug is made once, when it is saved
            # (``atlas.services.settle_deployment_slug``), from its title.
            slug=free_slug(acceptance.title) if acceptance.visibility == Visibility.PUBLIC else "",
            summary=acceptance.summary.strip(),
            country=acceptance.country,
            locality=locality_for(acceptance, reviewer),
            status=acceptance.status,
            certainty=acceptance.certainty,
            visibility=acceptance.visibility,
            owner_team=reviewer_team(reviewer),
        )
        atlas_services.save_record(deployment, by=reviewer, reason=FROM_TIP)
        if acceptance.vendor is not None:
            party = Party(
                deployment=deployment,
                organisation=acceptance.vendor,
                role=PartyRole.SUPPLIER,
                certainty=acceptance.certainty,
            )
            atlas_services.save_record(party, by=reviewer, reason=FROM_TIP)
        note = _("Public tip")
        if locked.source_url:
            source = link_source(locked, acceptance, deployment.owner_team)
            cite_on(deployment, source, note, by=reviewer)
        if acceptance.publish_attachment and locked.attachment:
            source = publish_attachment(locked, deployment.owner_team)
            cite_on(deployment, source, note, by=reviewer)
        locked.status = ReviewStatus.APPLIED
        locked.reviewed_on = timezone.localdate()
        locked.review_note = acceptance.note
        locked.deployment = deployment
        locked.save()
        audit(reviewer, AuditAction.PROPOSAL_APPLIED, deployment, tip=locked.pk)
    tip.refresh_from_db()
    return deployment


# ---------------------------------------------------------------- rejecting


def reject_tip(tip: Tip, *, reviewer: Any, reason: str) -> Tip:
    """Reject with a reason. A rejected tip's file is deleted: it is no longer needed.

    Raises:
        PermissionDenied: when the reviewer may not review tips.
        ValidationError: when the reason is blank.
        AlreadyReviewed: when the tip was accepted or rejected already (checked under a row lock).
    """
    if not permissions.can_review_tips(reviewer):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Say why the tip is rejected."))
    with transaction.atomic():
        locked = Tip.objects.select_for_update().get(pk=tip.pk)
        if locked.status != ReviewStatus.PENDING:
            raise AlreadyReviewed(_("This tip has already been reviewed."))
        file_name = locked.attachment.name if locked.attachment else ""
        locked.status = ReviewStatus.REJECTED
        locked.reviewed_on = timezone.localdate()
        locked.review_note = reason.strip()
        locked.attachment = ""
        locked.attachment_type = ""
        locked.save()
        audit(reviewer, AuditAction.PROPOSAL_REJECTED, f"tip #{locked.pk}", reason=reason.strip())
        if file_name:
            transaction.on_commit(lambda: default_storage.delete(file_name))
    tip.refresh_from_db()
    return tip
