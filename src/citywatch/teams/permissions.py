"""Who may see and do what: the one place these rules live, for reads and writes alike.

Every door (pages, forms and their choices, the map, the API, imports, exports, feeds, search,
the admin) asks these functions; nothing else decides. For each kind of record there are three
filters, built from the same rules (in the spirit of Froide's read/write querysets and
Datasette's ``allowed_resources_sql``):

- ``visible_q(user, Model)``: the records the user may see;
- ``editable_q(user, Model)``: the records the user may change, directly or by proposing a change
  that the owning team's reviewers apply (a contributor's write becomes a proposal);
- ``reviewable_q(user, Model)``: the records the user may change directly and whose proposals
  the user may apply.

``can_view``, ``can_edit`` and ``can_review`` answer the same questions for one record, by asking
the database with the same filter, so a single-record check can never disagree with a list.

Visibility of a record that has its own (deployments, FOI requests, sources):
- ``public``: everyone, unless an embargo date lies in the future;
- ``partners``: logged-in members of any team;
- ``private``: members of the owning team;
- an embargo date, once passed, makes the record public by itself, whatever its visibility.
Members of the owning team always see their team's records; superusers see everything. Staff
status alone (``is_staff``: the Django admin) gives no right to any team's records.

A source is never wider than what cites it: besides its own visibility, someone outside its
owning team sees it only when a record they may see cites it (a deployment's fact, a legal-card
entry, a public FOI request's reply...). An organisation is seen when a record the user may see
names it (or it is the parent of one that is).

The apps above this one (atlas, foi) declare their models here with ``register()`` and
``register_citing()`` / ``register_naming()``, so this module decides without importing them.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection, models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from citywatch.actors.models import Organisation
from citywatch.core.choices import Visibility
from citywatch.core.data_cache import cached
from citywatch.evidence.models import CITABLE_MODELS, Citation, Source
from citywatch.teams.models import ROLE_RANK, KeptOrganisation, Membership, Role

NOTHING = Q(pk__in=[])


class Capability(enum.StrEnum):
    """What a role lets a member do for the team's records."""

    SEE = "see"  # see the team's partners-only and private records
    PROPOSE = "propose"  # propose changes (applied by a reviewer)
    CAMPAIGN = "campaign"  # file and handle the team's FOI requests
    REVIEW = "review"  # change records directly, apply proposals, publish
    MANAGE = "manage"  # manage the team's members


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.VIEWER: frozenset({Capability.SEE}),
    Role.CONTRIBUTOR: frozenset({Capability.SEE, Capability.PROPOSE, Capability.CAMPAIGN}),
    Role.REVIEWER: frozenset(
        {Capability.SEE, Capability.PROPOSE, Capability.CAMPAIGN, Capability.REVIEW}
    ),
    Role.ADMIN: frozenset(Capability),
}


def today() -> dt.date:
    return timezone.localdate()


# --- who the user is ------------------------------------------------------------------------


class _Internal:
    """CityWatch's own code reading everything (never a request's user): derived fields,
    import matching, the command line's maintenance commands."""

    is_authenticated = True
    is_superuser = True
    is_active = True
    is_staff = False
    pk = None

    def __repr__(self) -> str:
        return "INTERNAL"


INTERNAL: Any = _Internal()


def is_authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_superuser(user: Any) -> bool:
    return is_authenticated(user) and bool(user.is_superuser) and bool(user.is_active)


def team_roles(user: Any) -> dict[int, str]:
    """Team id -> role for this user (cached on the user object for the request); none for
    ``INTERNAL``, which belongs to no team (and has every capability as a superuser)."""
    if not is_authenticated(user) or user is INTERNAL:
        return {}
    if not hasattr(user, "_citywatch_team_roles"):
        user._citywatch_team_roles = dict(
            Membership.objects.filter(user=user).values_list("team_id", "role")
        )
    return user._citywatch_team_roles


def forget_roles(user: Any) -> None:
    """Drop the cached roles (after a membership of this user changed)."""
    if hasattr(user, "_citywatch_team_roles"):
        del user._citywatch_team_roles


def teams_with(user: Any, capability: Capability) -> list[int]:
    """Ids of the teams in which the user's role has this capability."""
    return sorted(
        team for team, role in team_roles(user).items() if capability in ROLE_CAPABILITIES[role]
    )


def has_capability(user: Any, capability: Capability, team: Any = None) -> bool:
    """Whether the user has the capability in this team (a Team or id), or in any team when
    ``team`` is None. Superusers have every capability everywhere."""
    if is_superuser(user):
        return True
    if team is None:
        return bool(teams_with(user, capability))
    team_id = getattr(team, "pk", team)
    return team_id in teams_with(user, capability)


def has_role(user: Any, team: Any, minimum: str) -> bool:
    """Whether the user's role in the team is at least ``minimum`` (superusers: always)."""
    if is_superuser(user):
        return True
    role = team_roles(user).get(getattr(team, "pk", team))
    return role is not None and ROLE_RANK[Role(role)] >= ROLE_RANK[Role(minimum)]


def is_partner(user: Any) -> bool:
    """A logged-in member of at least one team (or a superuser): sees partners-only records."""
    return bool(team_roles(user)) or is_superuser(user)


def can_contribute(user: Any) -> bool:
    """May propose changes somewhere (the contributor pages open)."""
    return has_capability(user, Capability.PROPOSE)


def can_review_anything(user: Any) -> bool:
    """May review somewhere (the review queue opens)."""
    return has_capability(user, Capability.REVIEW)


def can_campaign(user: Any) -> bool:
    """May file and handle FOI requests for at least one team (the FOI desk's campaigner)."""
    return has_capability(user, Capability.CAMPAIGN)


def can_review_tips(user: Any) -> bool:
    """Public tips are read by reviewers of any team (they may name places, never people)."""
    return has_capability(user, Capability.REVIEW)


def can_read_outbox(user: Any) -> bool:
    """The outbox holds mail to people (sign-up links, FOI letters): site administrators only."""
    return is_superuser(user)


def can_triage_mail(user: Any) -> bool:
    """Mail that matched no FOI request may belong to any team's private request (a reply
    whose address was mangled) or to nobody: only site administrators read it. Assigning a
    mail to a request also needs ``can_edit(user, request)``."""
    return is_superuser(user)


def sees_originals(user: Any, record: Any) -> bool:
    """Whether the user sees a record's letters as stored (the requester's people and
    addresses unredacted): members of its owning team and superusers; everyone else gets the
    public view."""
    if is_superuser(user):
        return True
    team_id = getattr(record, "owner_team_id", None)
    return team_id is not None and team_id in teams_with(user, Capability.SEE)


def members_with(team: Any, capability: Capability) -> models.QuerySet:
    """The active users whose role in ``team`` (a Team or id) has this capability, e.g. the
    campaigners a team's FOI notices go to."""
    roles = [role for role, capabilities in ROLE_CAPABILITIES.items() if capability in capabilities]
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__team=getattr(team, "pk", team),
            memberships__role__in=roles,
        )
        .distinct()
    )


def scope_key(user: Any) -> str:
    """A short text naming everything these rules read from the user: superuser status and
    the user's teams and roles. Two users with the same key see, and may do, exactly the same,
    so a read computed for one may be served to the other (``citywatch.core.data_cache``
    keys its cached pages by it); users of different teams never share a key. Keep it in
    step with the rules above: a rule that reads anything else from the user must add it."""
    if is_superuser(user):
        return "superuser"
    if not is_authenticated(user):
        return "public"
    roles = ",".join(f"{team}={role}" for team, role in sorted(team_roles(user).items()))
    return f"member:{roles}"


def needs_two_factor(user: Any) -> bool:
    """Reviewers, team admins and anyone who can use the Django admin must use TOTP."""
    if not is_authenticated(user):
        return False
    return bool(user.is_staff) or is_superuser(user) or can_review_anything(user)


# --- records with a visibility of their own ----------------------------------------------------


def public_q(on: dt.date | None = None, prefix: str = "") -> Q:
    """Records anyone may see: public without embargo, or any record whose embargo passed."""
    on = on or today()
    p = prefix
    open_record = Q(**{f"{p}visibility": Visibility.PUBLIC, f"{p}embargo_until__isnull": True})
    embargo_passed = Q(**{f"{p}embargo_until__isnull": False, f"{p}embargo_until__lte": on})
    return open_record | embargo_passed


def is_public(record: Any, on: dt.date | None = None) -> bool:
    """Whether a record with ``visibility`` and ``embargo_until`` (saved or not) is one anyone
    may see on ``on`` (today by default): the same rule as ``public_q``, read off the
    instance."""
    embargo = record.embargo_until
    if embargo is not None:
        return embargo <= (on or today())
    return record.visibility == Visibility.PUBLIC


def owned_visible_q(user: Any, *, prefix: str = "", on: dt.date | None = None) -> Q:
    """The rule for records with ``visibility``, ``embargo_until`` and ``owner_team``."""
    if is_superuser(user):
        return Q()
    condition = public_q(on, prefix)
    if is_partner(user):
        condition |= Q(**{f"{prefix}visibility": Visibility.PARTNERS})
    own = teams_with(user, Capability.SEE)
    if own:
        condition |= Q(**{f"{prefix}owner_team__in": own})
    return condition


def _owned_write_q(user: Any, capability: Capability, prefix: str) -> Q:
    if is_superuser(user):
        return Q()
    teams = teams_with(user, capability)
    if not teams:
        return NOTHING
    owned_by_mine = Q(**{f"{prefix}owner_team__in": teams})
    unowned = Q(**{f"{prefix}owner_team__isnull": True})
    return owned_visible_q(user, prefix=prefix) & (owned_by_mine | unowned)


def owned_editable_q(user: Any, *, prefix: str = "") -> Q:
    """Contributors of the owning team (of any team, for records no team owns) may propose."""
    return _owned_write_q(user, Capability.PROPOSE, prefix)


def owned_reviewable_q(user: Any, *, prefix: str = "") -> Q:
    """Reviewers of the owning team (of any team, for records no team owns) may apply."""
    return _owned_write_q(user, Capability.REVIEW, prefix)


# --- the registry: which rule each kind of record follows --------------------------------------

QFunction = Callable[..., Q]


@dataclass(frozen=True)
class Policy:
    """How to filter one model: each function takes the user and returns a Q on that model."""

    visible: QFunction
    editable: QFunction
    reviewable: QFunction
    # The path from the model to its owning team's id ("" for records no team owns).
    owner: str = ""


_POLICIES: dict[type[models.Model], Policy] = {}
# Citing relations: functions(user) -> queryset of source ids cited by records the user sees.
_CITING: list[Callable[[Any], models.QuerySet]] = []
# Naming relations: functions(user) -> queryset of ids of organisations named by records the
# user may see (a values queryset usable in ``pk__in``).
_NAMING: list[Callable[[Any], models.QuerySet]] = []
# Placing relations: functions(user, on) -> queryset of ids of localities that records the user
# may see name (a values queryset without nulls, usable in ``pk__in``).
_PLACING: list[Callable[..., models.QuerySet]] = []
_NAMING_FIELDS: dict[type[models.Model], list[str]] = {}


def register(model: type[models.Model], policy: Policy) -> None:
    """Declare the rule a model follows (called by each app's AppConfig.ready())."""
    _POLICIES[model] = policy


def register_citing(source_ids: Callable[[Any], models.QuerySet]) -> None:
    """Declare a way records cite sources: ``source_ids(user)`` gives the ids of the sources
    cited by records that user may see (a values queryset usable in ``pk__in``)."""
    if source_ids not in _CITING:
        _CITING.append(source_ids)


def register_naming(organisation_ids: Callable[[Any], models.QuerySet]) -> None:
    """Declare a way records name organisations: ``organisation_ids(user)`` gives the ids of
    organisations named by records that user may see, as a values queryset."""
    if organisation_ids not in _NAMING:
        _NAMING.append(organisation_ids)
        _NAMING_FIELDS.clear()


def register_placing(locality_ids: Callable[..., models.QuerySet]) -> None:
    """Declare a way records name localities: ``locality_ids(user, on)`` gives the ids of the
    localities named by records that user may see (on ``on``), as a values queryset with no
    null."""
    if locality_ids not in _PLACING:
        _PLACING.append(locality_ids)


def owned_policy(prefix: str = "") -> Policy:
    """The policy of a model with its own visibility fields, or of a part reached through
    ``prefix`` (e.g. ``"deployment__"`` for a deployment's components)."""
    return Policy(
        visible=lambda user, on=None: owned_visible_q(user, prefix=prefix, on=on),
        editable=lambda user: owned_editable_q(user, prefix=prefix),
        reviewable=lambda user: owned_reviewable_q(user, prefix=prefix),
        owner=f"{prefix}owner_team",
    )


def optional_part_policy(parent: str) -> Policy:
    """A record that may hang off an owned record (``parent``, a nullable foreign key) or stand
    alone; alone it is reference data (e.g. a vendor's claim about itself)."""
    prefix = f"{parent}__"
    alone = Q(**{f"{parent}__isnull": True})
    reference = reference_policy()
    return Policy(
        visible=lambda user, on=None: alone | owned_visible_q(user, prefix=prefix, on=on),
        editable=lambda user: (
            (alone & reference.editable(user)) | owned_editable_q(user, prefix=prefix)
        ),
        reviewable=lambda user: (
            (alone & reference.reviewable(user)) | owned_reviewable_q(user, prefix=prefix)
        ),
        owner=f"{prefix}owner_team",
    )


def foi_request_policy(prefix: str = "") -> Policy:
    """FOI requests follow the rule of owned records, except that a draft is seen only by its
    team; campaigners of the owning team handle them, reviewers of the team publish them."""
    p = prefix

    def visible(user: Any, on: dt.date | None = None) -> Q:
        if is_superuser(user):
            return Q()
        own = teams_with(user, Capability.SEE)
        sent = ~Q(**{f"{p}status": "draft"})
        return owned_visible_q(user, prefix=p, on=on) & (sent | Q(**{f"{p}owner_team__in": own}))

    return Policy(
        visible=visible,
        editable=lambda user: visible(user) & _owned_write_q(user, Capability.CAMPAIGN, p),
        reviewable=lambda user: visible(user) & _owned_write_q(user, Capability.REVIEW, p),
        owner=f"{p}owner_team",
    )


def reference_policy() -> Policy:
    """Reference data everyone may read (places, legal cards); contributors propose changes."""
    return Policy(
        visible=lambda user, on=None: Q(),
        editable=lambda user: Q() if can_contribute(user) else NOTHING,
        reviewable=lambda user: Q() if can_review_anything(user) else NOTHING,
    )


def locality_visible_q(user: Any, on: dt.date | None = None) -> Q:
    """A locality (a filter on places.Locality) is seen when it is a GeoNames place (public
    reference data with its own id), when a record the user may see names it, or when no
    record names it at all (nothing hides behind it). A custom place (no GeoNames id, e.g. an
    approximate "Hollowbrook Gap" a team typed) named only by hidden records is hidden: no
    page, import, API answer or place search may show or reuse it."""
    if is_superuser(user) or not _PLACING:
        return Q()
    seen = Q(geonames_id__isnull=False)
    named_at_all = NOTHING
    for locality_ids in _PLACING:
        seen |= Q(pk__in=locality_ids(user, on))
        named_at_all |= Q(pk__in=locality_ids(INTERNAL, on))
    return seen | ~named_at_all


def locality_policy() -> Policy:
    """Localities: seen as ``locality_visible_q`` says; contributors propose changes to those
    they see, reviewers of any team apply them (reference data has no owner)."""
    return Policy(
        visible=locality_visible_q,
        editable=lambda user: locality_visible_q(user) if can_contribute(user) else NOTHING,
        reviewable=lambda user: locality_visible_q(user) if can_review_anything(user) else NOTHING,
    )


def policy_for(model: type[models.Model]) -> Policy:
    """The registered policy of a model (or of its concrete parent), so a new kind of
    record cannot slip through unfiltered.

    Raises:
        LookupError: when nobody declared a policy for the model or its parents.
    """
    for candidate in model.__mro__:
        if candidate in _POLICIES:
            return _POLICIES[candidate]
    raise LookupError(f"No permission policy for {model.__name__}")


def visible_q(user: Any, model: type[models.Model], on: dt.date | None = None) -> Q:
    """Filter for the records of ``model`` this user may see."""
    return policy_for(model).visible(user, on=on)


def editable_q(user: Any, model: type[models.Model]) -> Q:
    """Filter for the records of ``model`` this user may change (perhaps through a proposal)."""
    return policy_for(model).editable(user)


def reviewable_q(user: Any, model: type[models.Model]) -> Q:
    """Filter for the records of ``model`` this user may change directly and review."""
    return policy_for(model).reviewable(user)


def visible(user: Any, model: type[models.Model]) -> models.QuerySet:
    return model._default_manager.filter(visible_q(user, model))


def editable(user: Any, model: type[models.Model]) -> models.QuerySet:
    return model._default_manager.filter(editable_q(user, model))


def reviewable(user: Any, model: type[models.Model]) -> models.QuerySet:
    return model._default_manager.filter(reviewable_q(user, model))


def _check(user: Any, record: models.Model | None, condition: QFunction) -> bool:
    if record is None or record.pk is None:
        return False
    model = type(record)
    return model._default_manager.filter(condition(user, model), pk=record.pk).exists()


def can_view(user: Any, record: models.Model | None) -> bool:
    """The same rule as ``visible_q``, for one saved record."""
    return _check(user, record, visible_q)


def can_edit(user: Any, record: models.Model | None) -> bool:
    """The same rule as ``editable_q``, for one saved record."""
    return _check(user, record, editable_q)


def can_review(user: Any, record: models.Model | None) -> bool:
    """The same rule as ``reviewable_q``, for one saved record."""
    return _check(user, record, reviewable_q)


def write_mode(user: Any, record: models.Model) -> str:
    """How a change by this user to this record is made: ``"apply"`` (directly), ``"propose"``
    (a proposal for the owning team's reviewers) or ``"refuse"``."""
    if can_review(user, record):
        return "apply"
    if can_edit(user, record):
        return "propose"
    return "refuse"


# --- sources and organisations -----------------------------------------------------------------


def cited_source_ids(user: Any) -> Q:
    """Sources cited by at least one record the user may see.

    On SQLite asked per source (``EXISTS`` on the citing rows of that source, which stops at
    the first one the user may see) rather than as ``pk IN (every source any visible record
    cites)``, which reads every citation and checks its record each time the rule is used;
    PostgreSQL hashes that list once, and keeps ``IN``. Relations read from the same table
    are asked together (one ``EXISTS`` over citations, which stops at the first citation of
    any kind of visible record)."""
    merged: dict[tuple[type[models.Model], str], models.QuerySet] = {}
    for source_ids in _CITING:
        citing = source_ids(user)
        (source_field,) = citing.query.values_select
        key = (citing.model, source_field)
        merged[key] = merged[key] | citing if key in merged else citing
    condition = NOTHING
    for (_model, source_field), citing in merged.items():
        if connection.vendor == "sqlite":
            condition |= Q(Exists(citing.filter(**{source_field: OuterRef("pk")})))
        else:
            # PostgreSQL lists the cited ids once (hashed); a correlated EXISTS would check
            # each source's citations against the visible records again.
            condition |= Q(pk__in=citing)
    return condition


def source_visible_q(user: Any, on: dt.date | None = None) -> Q:
    """A source: its owning team always; others when its own visibility allows *and* a record
    they may see cites it. Never wider than what cites it, never wider than its owner chose."""
    if is_superuser(user):
        return Q()
    own = teams_with(user, Capability.SEE)
    condition = owned_visible_q(user, on=on) & cited_source_ids(user)
    if own:
        condition |= Q(owner_team__in=own)
    return condition


def source_policy() -> Policy:
    """Sources are written by their owning team: reviewers directly, contributors by proposal.
    A source no team owns (the demo's report, sources added before teams) follows the rule of
    records no team owns."""
    return Policy(
        visible=lambda user, on=None: source_visible_q(user, on),
        editable=lambda user: source_visible_q(user) & owned_editable_q(user),
        reviewable=lambda user: source_visible_q(user) & owned_reviewable_q(user),
    )


def named_organisation_ids(user: Any) -> frozenset[int]:
    """Ids of the organisations named by records the user may see, and of all their parents.

    Read into a set (organisations are few: vendors, authorities, lenders), which keeps the
    filters that use it shallow enough for SQLite's parser. Each naming relation is read as
    distinct ids (one row per organisation, not per naming record); the set is kept per
    visibility scope (``scope_key``) until the data changes (``citywatch.core.data_cache``)."""
    return cached(("named-organisations", scope_key(user)), lambda: _named_organisation_ids(user))


def _named_organisation_ids(user: Any) -> frozenset[int]:
    # Asked per organisation (organisations are few): an EXISTS per naming relation stops at
    # the first naming record the user may see, where listing the named ids would read every
    # party, component and loan.
    named = NOTHING
    for organisation_ids in _NAMING:
        naming = organisation_ids(user).order_by()
        (organisation_field,) = naming.query.values_select
        named |= Q(Exists(naming.filter(**{organisation_field: OuterRef("pk")})))
    ids = set(Organisation.objects.filter(named).values_list("pk", flat=True))
    frontier = set(ids)
    while frontier:
        parents = set(
            Organisation.objects.filter(pk__in=frontier, parent__isnull=False).values_list(
                "parent_id", flat=True
            )
        )
        frontier = parents - ids
        ids |= frontier
    return frozenset(ids)


def organisation_visible_q(user: Any, on: dt.date | None = None) -> Q:
    """An organisation is seen when a record the user may see names it (or names one of its
    subsidiaries). One that no record names at all is seen by everyone only while it is
    ``listed`` (a vendor or authority added in the open); one made for hidden records, or
    that lost its last name while the public could not see it (``settle_listing``), stays
    hidden until a record the user may see names it. One named only by hidden records is
    hidden."""
    if is_superuser(user):
        return Q()
    named = named_organisation_ids(user)
    hidden = (named_organisation_ids(INTERNAL) | unlisted_organisation_ids()) - named
    return ~Q(pk__in=sorted(hidden - kept_organisation_ids(user)))


def kept_organisation_ids(user: Any) -> frozenset[int]:
    """Ids of the organisations no record names, kept for one of the user's teams (a hidden
    record of that team named them last: ``KeptOrganisation``, made by ``settle_listing``);
    cached per visibility scope until the data changes."""
    teams = teams_with(user, Capability.SEE)
    if not teams:
        return frozenset()

    def compute() -> frozenset[int]:
        kept = KeptOrganisation.objects.filter(team__in=teams).values_list("organisation_id")
        return frozenset(pk for (pk,) in kept) & unlisted_organisation_ids()

    return cached(("kept-organisations", scope_key(user)), compute)


def unlisted_organisation_ids() -> frozenset[int]:
    """Ids of the organisations not shown while no record names them (``listed`` false), and
    named by no record at all (cached until the data changes)."""

    def compute() -> frozenset[int]:
        unlisted = Organisation.objects.filter(listed=False).values_list("pk", flat=True)
        return frozenset(unlisted) - named_organisation_ids(INTERNAL)

    return cached(("unlisted-organisations",), compute)


def settle_listing(organisation_id: int | None, team_id: int | None = None) -> None:
    """Before an organisation loses a record naming it (the record is deleted or names
    another organisation): keep it shown afterwards only if the public sees it now. So
    removing the last party of a private deal never publishes the organisation only that
    deal named, and one a public record named stays public. One the public does not see is
    kept for ``team_id`` (the team owning the record that named it, if any), so that team
    still sees it once nothing names it (``KeptOrganisation``)."""
    if organisation_id is None:
        return
    public = visible(None, Organisation).filter(pk=organisation_id).exists()
    Organisation.objects.filter(pk=organisation_id).exclude(listed=public).update(listed=public)
    if not public:
        keep_for_team(organisation_id, team_id)


def keep_for_team(organisation_id: int, team_id: int | None) -> None:
    """Keep an organisation the public does not see visible to the team ``team_id`` while no
    record names it (``KeptOrganisation``; ``organisation_visible_q``): one its hidden record
    named last, or one made on its hidden deal's page and left unlinked. None: nothing."""
    if team_id is not None:
        KeptOrganisation.objects.get_or_create(team_id=team_id, organisation_id=organisation_id)


def owning_team_id(model: type[models.Model], pk: Any) -> int | None:
    """The id of the team owning the stored record ``pk`` of ``model`` (its policy's
    ``owner`` path), or None when no team owns it."""
    path = policy_for(model).owner
    if not path:
        return None
    return model._default_manager.filter(pk=pk).values_list(path, flat=True).first()


def _naming_fields() -> dict[type[models.Model], list[str]]:
    """The naming records' models and the fields naming the organisation (from the naming
    relations registered with ``register_naming``), read once."""
    if _NAMING_FIELDS:
        return _NAMING_FIELDS
    fields = _NAMING_FIELDS
    for organisation_ids in _NAMING:
        naming = organisation_ids(INTERNAL)
        (field,) = naming.query.values_select
        fields.setdefault(naming.model, []).append(field)
    return fields


def before_naming_save(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    """pre_save: an organisation a naming record stops naming is settled (``settle_listing``)."""
    fields = _naming_fields().get(sender)
    if not fields or instance.pk is None or kwargs.get("raw"):
        return
    owner = policy_for(sender).owner
    # The former values and the owning team in one query.
    columns = [*fields, owner] if owner else fields
    before = sender._default_manager.filter(pk=instance.pk).values(*columns).first()
    team_id = before[owner] if owner and before else None
    for field in fields if before else ():
        if before[field] is not None and before[field] != getattr(instance, field):
            settle_listing(before[field], team_id)


def before_naming_delete(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    """pre_delete: every organisation a deleted naming record names is settled."""
    fields = _naming_fields().get(sender, ())
    named = [getattr(instance, field) for field in fields]
    if not any(organisation_id is not None for organisation_id in named):
        return
    team_id = owning_team_id(sender, instance.pk)
    for organisation_id in named:
        settle_listing(organisation_id, team_id)


def organisation_policy() -> Policy:
    """Organisations have no owner: contributors of any team propose, reviewers apply, on the
    organisations they may see."""
    return Policy(
        visible=organisation_visible_q,
        editable=lambda user: organisation_visible_q(user) if can_contribute(user) else NOTHING,
        reviewable=lambda user: (
            organisation_visible_q(user) if can_review_anything(user) else NOTHING
        ),
    )


def citing_through_citations(*cited: type[models.Model]) -> Callable[[Any], models.QuerySet]:
    """A citing relation: sources that citations of visible records of these models use."""

    def source_ids(user: Any) -> models.QuerySet:
        return Citation.objects.filter(citation_targets_q(user, cited)).values("source_id")

    source_ids.__name__ = "cited_by_" + "_".join(model.__name__.lower() for model in cited)
    return source_ids


def citation_targets_q(
    user: Any, cited: tuple[type[models.Model], ...], on: dt.date | None = None
) -> Q:
    """Citations (a filter on Citation) whose record, of one of these models, the user sees
    (on ``on``, today by default)."""
    condition = NOTHING
    for model in cited:
        content_type = ContentType.objects.get_for_model(model)
        if is_superuser(user):
            condition |= Q(content_type=content_type)
        elif connection.vendor == "sqlite":
            # SQLite lists every visible record for each IN (...) it meets; asked per citation
            # instead (its record looked up by primary key), as citations are fewer.
            record = model._default_manager.filter(
                visible_q(user, model, on), pk=OuterRef("object_id")
            )
            # The kind of record first: SQLite checks the conditions in this order.
            condition |= Q(content_type=content_type) & Q(Exists(record))
        else:
            # PostgreSQL hashes the visible records' ids once (where it would run a correlated
            # EXISTS per citation, per kind of record).
            records = model._default_manager.filter(visible_q(user, model, on)).values("pk")
            condition |= Q(content_type=content_type, object_id__in=records)
    return condition


def citable_models() -> tuple[type[models.Model], ...]:
    """The models a citation may point at (evidence.models.CITABLE_MODELS) that are loaded."""
    return tuple(apps.get_model(label) for label in CITABLE_MODELS)


def citation_policy() -> Policy:
    """A citation is seen when both its source and its record are; it is written by whoever may
    write its record (a contributor's citation becomes a proposal)."""

    def visible(user: Any, on: dt.date | None = None) -> Q:
        # The source's rule (``source_visible_q``) asks for a visible record citing it: a
        # citation of a visible record is one, so what remains to check is the source's own
        # visibility or its owning team (the same rule, without a scan of every citation).
        if is_superuser(user):
            return Q()
        source_allows = owned_visible_q(user, prefix="source__", on=on)
        own = teams_with(user, Capability.SEE)
        if own:
            source_allows |= Q(source__owner_team__in=own)
        return source_allows & citation_targets_q(user, citable_models(), on)

    def writable(test: QFunction) -> QFunction:
        def condition(user: Any) -> Q:
            if is_superuser(user):
                return Q()
            found = NOTHING
            for model in citable_models():
                records = model._default_manager.filter(test(user, model)).values("pk")
                found |= Q(
                    content_type=ContentType.objects.get_for_model(model), object_id__in=records
                )
            return visible(user) & found

        return condition

    return Policy(visible=visible, editable=writable(editable_q), reviewable=writable(reviewable_q))


def citations_of_q(user: Any, records: dict[type[models.Model], list[Any]]) -> Q:
    """Citations of these records (model -> ids) that the user may see: the rule of
    ``visible_q(user, Citation)`` narrowed to the records given, and cheaper to ask.

    Each record's own visibility is checked here (ids the user may not see are dropped). A
    source cited by a record the user sees is, by that citation, "cited by a record they may
    see", so what remains of the source's rule is its own visibility or its owning team
    (``source_visible_q``) — no scan of every citing record."""
    if not records:
        return NOTHING
    superuser = is_superuser(user)
    targets = NOTHING
    for model, ids in records.items():
        content_type = ContentType.objects.get_for_model(model)
        if superuser:
            targets |= Q(content_type=content_type, object_id__in=sorted(set(ids)))
        else:
            seen = model._default_manager.filter(visible_q(user, model), pk__in=set(ids))
            targets |= Q(content_type=content_type, object_id__in=seen.values("pk"))
    if superuser:
        return targets
    own = teams_with(user, Capability.SEE)
    source_allows = owned_visible_q(user, prefix="source__")
    if own:
        source_allows |= Q(source__owner_team__in=own)
    return targets & source_allows


def stored_file_policy() -> Policy:
    """A stored file (document or archived copy) is seen through a source the user may see."""

    def through_sources(test: QFunction) -> QFunction:
        def condition(user: Any, on: dt.date | None = None) -> Q:
            if is_superuser(user):
                return Q()
            sources = Source.objects.filter(test(user, Source))
            return Q(sources__in=sources.values("pk")) | Q(
                snapshots__source__in=sources.values("pk")
            )

        return condition

    return Policy(
        visible=through_sources(visible_q),
        editable=through_sources(editable_q),
        reviewable=through_sources(reviewable_q),
    )


# --- views ---------------------------------------------------------------------------------


def requires(test: Callable[[Any], bool]) -> Callable[[Any], Any]:
    """A view decorator: logged-in users who pass ``test`` only; others get 403 (anonymous
    visitors are sent to the login page).

    Raises:
        PermissionDenied: (from the decorated view) when a logged-in user fails ``test``.
    """

    def decorator(view: Any) -> Any:
        @wraps(view)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapper)

    return decorator


contributor_required = requires(can_contribute)
outbox_reader_required = requires(can_read_outbox)
reviewer_required = requires(can_review_anything)
campaigner_required = requires(can_campaign)
