"""Writes through the API and the token page: one function per use case, transactional."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy

from citywatch.api.models import ApiToken, TokenScope, hash_token, new_token_text
from citywatch.api.schemas import DeploymentIn, DeploymentPatch, SourceIn
from citywatch.atlas import services as atlas_services
from citywatch.atlas.models import Deployment
from citywatch.commons.models import ChangeProposal, ReviewStatus
from citywatch.commons.operations import Operation, register_operation
from citywatch.commons.services import propose_change, propose_operation
from citywatch.commons.tips import free_slug
from citywatch.core.change_reasons import API_CHANGE, API_CREATED
from citywatch.core.choices import Visibility
from citywatch.core.signals import organisation_moved
from citywatch.core.slugs import slug_text
from citywatch.evidence.models import Source
from citywatch.exchange.imports.base import describe_error
from citywatch.exchange.imports.report import ImportReport
from citywatch.exchange.imports.rows import DeploymentRow, RowImporter, SourceLink
from citywatch.teams import permissions
from citywatch.teams.models import Team


class WriteRejected(Exception):
    def __init__(self, messages: list[str], status: int = 422) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages
        self.status = status


def create_token(user, name: str, scope: str) -> tuple[ApiToken, str]:
    """A new token; the text is returned once and only its hash is kept."""
    if scope == TokenScope.WRITE and not permissions.can_contribute(user):
        scope = TokenScope.READ
    text = new_token_text()
    token = ApiToken.objects.create(
        user=user, name=name, scope=scope, token_hash=hash_token(text), hint=text[:8]
    )
    return token, text


def revoke_token(user, shown_id: str) -> bool:
    """Revoke the token of ``user`` whose ``shown_id`` is given; False when the user has none
    such (another user's token, a number)."""
    token = next((t for t in ApiToken.objects.filter(user=user) if t.shown_id == shown_id), None)
    if token is None:
        return False
    token.revoke()
    return True


def as_decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.00001"))


def refuse_nul(value: object) -> None:
    """PostgreSQL cannot store NUL characters in text: say so instead of failing. ``value``
    is a payload value; dicts and lists are searched all the way down.

    Raises:
        WriteRejected: (status 422) when a string anywhere in ``value`` holds a NUL character.
    """
    if isinstance(value, str) and "\x00" in value:
        raise WriteRejected(["NUL characters are not allowed."])
    if isinstance(value, dict):
        for item in value.values():
            refuse_nul(item)
    if isinstance(value, list):
        for item in value:
            refuse_nul(item)


@dataclass
class Proposed:
    """A write that became a proposal for the owning team's reviewers: ``proposal_key`` is
    its random key (never its sequential number)."""

    proposal_key: str


def owning_team(user: Any, slug: str, capability: permissions.Capability) -> Team:
    """The team a new record will belong to: the one named, or the user's only team with the
    capability.

    Raises:
        WriteRejected: no such team for this user, or several and none named.
    """
    teams = Team.objects.all()
    if not permissions.is_superuser(user):
        teams = teams.filter(pk__in=permissions.teams_with(user, capability))
    if slug:
        team = teams.filter(slug=slug).first()
        if team is None:
            raise WriteRejected([f"You cannot add records for the team {slug}."], status=403)
        return team
    if len(teams) == 1:
        return teams[0]
    if not teams:
        raise WriteRejected(["Only members of a team may add records."], status=403)
    raise WriteRejected(["Name the owning team (field team): you belong to several."])


def create_deployment(payload: DeploymentIn, user: Any) -> Deployment | Proposed:
    """Create a deployment for a team: a reviewer of that team creates it, a contributor's
    new deployment becomes a proposal for the team's reviewers.

    Raises:
        WriteRejected: the payload is invalid, the slug is taken, or the user may not add
            records for the team.
    """
    refuse_nul(payload.model_dump())
    team = owning_team(user, payload.team, permissions.Capability.PROPOSE)
    payload = with_free_slug(payload, user)
    if permissions.has_capability(user, permissions.Capability.REVIEW, team):
        return _create_deployment(payload, team, by=user)
    _create_deployment_checked(payload, team)
    proposal = propose_operation(
        "api_create_deployment",
        {**payload.model_dump(mode="json"), "team": team.slug},
        target=None,
        model=Deployment,
        team=team,
        user=user,
    )
    return Proposed(proposal.key)


def with_free_slug(payload: DeploymentIn, user: Any) -> DeploymentIn:
    """The slug the new deployment gets. One taken by a deployment the user may see is
    refused (409). Any other is normalised (``core.slugs.slug_text``: lower case, one hyphen
    between words) and numbered when a deployment has it already, so a typed slug never
    enters the namespace of hidden deployments' slugs (``atlas.services.HIDDEN_SEPARATOR``):
    asking for a hidden deal's exact slug is answered exactly as asking for an unknown slug
    of the same shape (review 3, G3).

    Raises:
        WriteRejected: (status 409) when the slug is taken by a deployment the user may see.
    """
    if not payload.slug:
        return payload
    taken = Deployment.objects.filter(slug=payload.slug)
    if taken.filter(permissions.visible_q(user, Deployment)).exists():
        raise WriteRejected([f"The slug {payload.slug} is taken."], status=409)
    if slug_text(payload.slug) == payload.slug and not taken.exists():
        return payload
    return payload.model_copy(update={"slug": free_slug(payload.slug)})


def _create_deployment_checked(payload: DeploymentIn, team: Team) -> None:
    """Check a proposed new deployment now (nothing is kept), so the proposer hears of
    problems at once rather than the reviewer later."""
    try:
        with transaction.atomic():
            # Kept by nobody (rolled back): a check of the values, as the system.
            _create_deployment(payload, team, by=permissions.INTERNAL)
            raise _DryRun
    except _DryRun:
        pass


class _DryRun(Exception):
    pass


@transaction.atomic
def _create_deployment(payload: DeploymentIn, team: Team, *, by: Any) -> Deployment:
    """The deployment, its place, technologies, parties and cited links (read as a row by
    the importers' ``RowImporter``, which writes through ``atlas.services.save_record`` as
    ``by``). Its visibility, embargo, owning team and (for a hidden one, unguessable) slug are
    in its first save: a hidden deployment never has a public version.

    Raises:
        WriteRejected: invalid values, a taken slug, or ``by`` may not write it.
    """
    if payload.slug and Deployment.objects.filter(slug=payload.slug).exists():
        raise WriteRejected([f"The slug {payload.slug} is taken."], status=409)
    report = ImportReport(filename="api")
    # As the caller: a deployment they cannot see is never matched (nor its existence told).
    importer = RowImporter(report, user=by, change_reason=API_CREATED)
    locality = payload.locality
    row = DeploymentRow(
        line=0,
        title=payload.title,
        slug=payload.slug,
        summary=payload.summary,
        country=payload.country,
        locality=locality.name if locality else "",
        subdivision=locality.subdivision if locality else "",
        latitude=as_decimal(locality.latitude) if locality else None,
        longitude=as_decimal(locality.longitude) if locality else None,
        status=payload.status.value,
        certainty=payload.certainty.value,
        technologies=payload.technologies,
        buyers=payload.buyers,
        suppliers=payload.suppliers,
        sources=[SourceLink(url=url) for url in payload.source_urls],
        visibility=payload.visibility.value,
        embargo_until=payload.embargo_until,
        owner_team=team,
    )
    try:
        deployment = importer.row(None, "", lambda: importer.import_row(row))
    except PermissionDenied as error:
        raise WriteRejected(["You may not add deployments for this team."], status=403) from error
    if report.problems or deployment is None:
        transaction.set_rollback(True)
        raise WriteRejected([problem.message for problem in report.problems])
    return deployment


def apply_created_deployment(payload: dict[str, Any], reviewer: Any) -> Deployment:
    """Apply a contributor's proposed new deployment (in the reviewer's name).

    Raises:
        ValidationError: the team is gone, or the deployment can no longer be created.
    """
    data = dict(payload)
    team = Team.objects.filter(slug=data.pop("team", "")).first()
    if team is None:
        raise ValidationError("The team no longer exists.")
    try:
        return _create_deployment(DeploymentIn(**data, team=team.slug), team, by=reviewer)
    except WriteRejected as error:
        raise ValidationError(error.messages) from error


# What the review page calls each field of a proposed new deployment (``DeploymentIn``).
CREATED_FIELD_LABELS = {
    "title": gettext_lazy("title"),
    "slug": gettext_lazy("slug"),
    "summary": gettext_lazy("summary"),
    "country": gettext_lazy("country"),
    "locality": gettext_lazy("place"),
    "status": gettext_lazy("status"),
    "certainty": gettext_lazy("certainty"),
    "visibility": gettext_lazy("visibility"),
    "embargo_until": gettext_lazy("embargo until"),
    "team": gettext_lazy("team"),
    "technologies": gettext_lazy("technologies"),
    "buyers": gettext_lazy("buyers"),
    "suppliers": gettext_lazy("suppliers"),
    "source_urls": gettext_lazy("source addresses"),
}


def describe_created_deployment(payload: dict[str, Any]) -> list[tuple[str, str]]:
    """A proposed new deployment as (label, value) rows for its reviewer: every field given,
    lists and places written out as text ("Huawei, Hikvision"), never as Python values."""
    return [
        (str(CREATED_FIELD_LABELS.get(name, name)), shown_value(value))
        for name, value in payload.items()
        if value not in ("", [], None, {})
    ]


def shown_value(value: Any) -> str:
    """A payload value as a reader writes it: list items and a place's given parts joined by
    commas."""
    if isinstance(value, list):
        return ", ".join(shown_value(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(shown_value(item) for item in value.values() if item not in ("", None))
    return str(value)


def follow_moved_organisation(
    sender: Any, organisation: Any, former_slug: str, **kwargs: Any
) -> None:
    """A pending proposed new deployment names its buyers and suppliers by name or slug: when
    a hidden organisation gives its slug to a new one (``atlas.services.move_organisation``),
    a proposal whose proposer could see it and named it by its former slug names it by its
    new one, so applying it later links the organisation the proposer meant."""
    pending = ChangeProposal.objects.filter(
        operation="api_create_deployment", status=ReviewStatus.PENDING
    )
    for proposal in pending:
        payload = proposal.payload or {}
        lists = [payload.get(group) for group in ("buyers", "suppliers")]
        if not any(isinstance(names, list) and former_slug in names for names in lists):
            continue
        if not permissions.can_view(proposal.proposed_by, organisation):
            continue  # they named something else by that text: a new organisation
        for names in lists:
            if isinstance(names, list):
                names[:] = [organisation.slug if name == former_slug else name for name in names]
        proposal.save(update_fields=["payload"])


organisation_moved.connect(follow_moved_organisation, dispatch_uid="citywatch-api-moved-org")


register_operation(
    Operation(
        "api_create_deployment",
        gettext_lazy("Create a deployment"),
        apply_created_deployment,
        describe_created_deployment,
    )
)


def update_deployment(
    deployment: Deployment, payload: DeploymentPatch, user: Any
) -> Deployment | Proposed:
    """Change a deployment: reviewers of its team directly, contributors by proposal.

    Raises:
        WriteRejected: invalid values, a change that changes nothing (as a proposal), or the
            user may not change this record (403).
    """
    changes = payload.model_dump(exclude_unset=True)
    refuse_nul(changes)
    mode = permissions.write_mode(user, deployment)
    if mode == "refuse":
        raise WriteRejected(["You may not change this deployment."], status=403)
    values = {
        name: (value.isoformat() if hasattr(value, "isoformat") else getattr(value, "value", value))
        for name, value in changes.items()
        if value is not None or name == "embargo_until"
    }
    if mode == "propose":
        try:
            proposal = propose_change(deployment, values, user=user, reason=API_CHANGE)
        except ValidationError as error:
            raise WriteRejected(error.messages) from error
        return Proposed(proposal.key)
    with transaction.atomic():
        locked = Deployment.objects.select_for_update().get(pk=deployment.pk)
        for name, value in changes.items():
            if value is None and name != "embargo_until":
                continue
            setattr(locked, name, getattr(value, "value", value))
        save_deployment_record(locked, user, API_CHANGE)
    return locked


@transaction.atomic
def create_source(payload: SourceIn, user: Any) -> Source:
    """A new source owned by one of the user's teams; a contributor's source stays private to
    the team until a reviewer publishes it (it is shown only beside records that cite it).

    Raises:
        WriteRejected: invalid values, or the user may not add records for the team.
    """
    refuse_nul(payload.model_dump())
    team = owning_team(user, payload.team, permissions.Capability.PROPOSE)
    fields = {name: getattr(value, "value", value) for name, value in payload if name != "team"}
    source = Source(**fields, owner_team=team)
    if not permissions.has_capability(user, permissions.Capability.REVIEW, team):
        source.visibility = Visibility.PRIVATE
    source._change_reason = API_CREATED
    save_valid(source)
    return source


def save_deployment_record(record: Any, by: Any, reason: str) -> None:
    """Save a deployment through its one writer (``atlas.services.save_record``).

    Raises:
        WriteRejected: invalid values (422) or ``by`` may not write it (403).
    """
    try:
        atlas_services.save_record(record, by=by, reason=reason)
    except ValidationError as error:
        raise WriteRejected([describe_error(error)]) from error
    except PermissionDenied as error:
        raise WriteRejected(["You may not change this deployment."], status=403) from error


def save_valid(record: Any) -> None:
    """Validate and save a record that is not a deployment's (a source).

    Raises:
        WriteRejected: invalid values.
    """
    try:
        record.full_clean()
    except ValidationError as error:
        raise WriteRejected([describe_error(error)]) from error
    record.save()
