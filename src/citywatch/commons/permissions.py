"""Who may see and do what: the one place these rules live.

Pages, the map data, the API, exports, feeds and search all ask these functions, so a
private record cannot leak through a door that forgot a rule.

Visibility of a record (deployment, FOI request...):
- public: everyone, unless an embargo date lies in the future;
- partners: logged-in members of any team;
- private: members of the owning team;
- an embargo date, once passed, makes the record public by itself, whatever its visibility.
Members of the owning team always see their team's records; Django superusers see everything.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone

from citywatch.commons.models import ROLE_RANK, Membership, Role, Team
from citywatch.core.choices import Visibility


def today() -> dt.date:
    return timezone.localdate()


def is_authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def team_roles(user: Any) -> dict[int, str]:
    """Team id -> role for this user (cached on the user object for the request)."""
    if not is_authenticated(user):
        return {}
    if not hasattr(user, "_citywatch_team_roles"):
        user._citywatch_team_roles = dict(
            Membership.objects.filter(user=user).values_list("team_id", "role")
        )
    return user._citywatch_team_roles


def is_partner(user: Any) -> bool:
    """A logged-in member of at least one team (or a superuser)."""
    return bool(team_roles(user)) or (is_authenticated(user) and user.is_superuser)


def has_role(user: Any, team: Team | int | None, minimum: str) -> bool:
    if is_authenticated(user) and user.is_superuser:
        return True
    team_id = team.pk if isinstance(team, Team) else team
    role = team_roles(user).get(team_id) if team_id else None
    return role is not None and ROLE_RANK[Role(role)] >= ROLE_RANK[Role(minimum)]


def has_role_anywhere(user: Any, minimum: str) -> bool:
    """Staff (site administrators, TOTP-protected) count as reviewers of every team."""
    if is_authenticated(user) and (user.is_superuser or user.is_staff):
        return True
    return any(
        ROLE_RANK[Role(role)] >= ROLE_RANK[Role(minimum)] for role in team_roles(user).values()
    )


def can_contribute(user: Any) -> bool:
    return has_role_anywhere(user, Role.CONTRIBUTOR)


def can_review(user: Any) -> bool:
    return has_role_anywhere(user, Role.REVIEWER)


def can_read_outbox(user: Any) -> bool:
    """Kept outgoing mail (sign-in links, password resets, FOI letters): site staff only."""
    return is_authenticated(user) and (user.is_staff or user.is_superuser)


def needs_two_factor(user: Any) -> bool:
    """Reviewers, team admins and anyone who can use the Django admin must use TOTP."""
    if not is_authenticated(user):
        return False
    return user.is_staff or user.is_superuser or can_review(user)


def public_q(on: dt.date | None = None) -> Q:
    on = on or today()
    open_record = Q(visibility=Visibility.PUBLIC) & Q(embargo_until__isnull=True)
    embargo_passed = Q(embargo_until__isnull=False) & Q(embargo_until__lte=on)
    return open_record | embargo_passed


def visible_q(user: Any, on: dt.date | None = None, team_field: str = "owner_team") -> Q:
    """The records this user may see, as a filter for any model with visibility fields."""
    if is_authenticated(user) and user.is_superuser:
        return Q()
    condition = public_q(on)
    if is_partner(user):
        condition |= Q(visibility=Visibility.PARTNERS)
    teams = list(team_roles(user))
    if teams:
        condition |= Q(**{f"{team_field}__in": teams})
    return condition


def can_see(user: Any, record: Any, on: dt.date | None = None) -> bool:
    """The same rule as visible_q(), for one record already in memory."""
    on = on or today()
    if is_authenticated(user) and user.is_superuser:
        return True
    if record.embargo_until is not None:
        if record.embargo_until <= on:
            return True
    elif record.visibility == Visibility.PUBLIC:
        return True
    if record.visibility == Visibility.PARTNERS and is_partner(user):
        return True
    return record.owner_team_id is not None and record.owner_team_id in team_roles(user)


def can_edit(user: Any, record: Any) -> bool:
    """Contributors of the owning team (or of any team, for records no team owns) propose;
    reviewers apply. This says whether the user may propose an edit."""
    if not can_see(user, record):
        return False
    if record.owner_team_id:
        return has_role(user, record.owner_team_id, Role.CONTRIBUTOR)
    return can_contribute(user)


def can_review_record(user: Any, record: Any) -> bool:
    if not can_see(user, record):
        return False
    if record.owner_team_id:
        return has_role(user, record.owner_team_id, Role.REVIEWER)
    return can_review(user)


def contributor_required(view: Any) -> Any:
    """Logged-in contributors (or reviewers, or staff) only; others get 403."""
    return _requires(can_contribute)(view)


def reviewer_required(view: Any) -> Any:
    """Logged-in reviewers (or staff) only; others get 403."""
    return _requires(can_review)(view)


def outbox_reader_required(view: Any) -> Any:
    """Logged-in site staff only (see can_read_outbox); others get 403."""
    return _requires(can_read_outbox)(view)


def _requires(test: Any) -> Any:
    from functools import wraps

    from django.contrib.auth.decorators import login_required
    from django.core.exceptions import PermissionDenied

    def decorator(view: Any) -> Any:
        @wraps(view)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapper)

    return decorator
