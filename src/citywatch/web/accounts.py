"""Account e-mails that name the site, and a login that counts as a fresh authentication.

django-allauth names a site by its host ("127.0.0.1:8000") unless the Sites framework is
installed; CityWatch has one site, named by CITYWATCH_SITE_NAME, so the adapter gives that
name to every account e-mail (subject prefix, greeting, signature).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from citywatch.core.privacy import AccountAdapter as PrivateAccountAdapter
from citywatch.teams.permissions import can_review_anything


@dataclass(frozen=True)
class NamedSite:
    """What allauth's e-mail templates read as ``current_site``: a name, not a host."""

    name: str
    domain: str


def site_for_mail() -> NamedSite:
    name = settings.CITYWATCH_SITE_NAME
    return NamedSite(name=name, domain=name)


def landing_url(user: Any) -> str:
    """Where a user starts after logging in: reviewers at the review queue, others at the map."""
    return reverse("commons:review_queue") if can_review_anything(user) else reverse("web:home")


class AccountAdapter(PrivateAccountAdapter):
    """allauth's adapter as CityWatch needs it: clients known only by a keyed hash of their
    address (see citywatch.core.privacy), reviewers landing at the review queue, e-mails that
    name the site."""

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Reviewers land at the review queue (after two-factor set-up, when still needed)."""
        return landing_url(request.user)

    def format_email_subject(self, subject: str) -> str:
        """``[<site name>] subject``."""
        return f"[{settings.CITYWATCH_SITE_NAME}] {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        request: HttpRequest | None = getattr(self, "request", None)
        site_url = (
            request.build_absolute_uri("/") if request is not None else settings.CITYWATCH_SITE_URL
        )
        context = {**context, "current_site": site_for_mail(), "site_url": site_url}
        super().send_mail(template_prefix, email, context)


def count_login_as_reauthentication(sender: Any, request: HttpRequest, method: str, **extra: Any):
    """A password typed at login is as fresh as one typed to re-authenticate.

    allauth asks for the password again before two-factor set-up unless the session holds a
    *re*-authentication younger than ACCOUNT_REAUTHENTICATION_TIMEOUT; a reviewer sent to
    set up TOTP straight after logging in would be asked twice within seconds. This marks the
    login's own record as one, so the usual timeout applies from the login on.
    """
    if method != "password" or extra.get("reauthenticated"):
        return
    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY

    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY) or []
    if records and records[-1].get("method") == "password":
        records[-1]["reauthenticated"] = True
        request.session[AUTHENTICATION_METHODS_SESSION_KEY] = records


def connect_signals() -> None:
    from allauth.account.signals import authentication_step_completed

    authentication_step_completed.connect(
        count_login_as_reauthentication, dispatch_uid="citywatch-login-counts-as-reauth"
    )


def create_administrator(email: str, password: str, username: str = "") -> tuple[Any, bool]:
    """Create (or reset the password of) a site administrator who logs in with ``email``.

    The address is stored as verified and primary, since logging in by e-mail needs one, and
    the administrator will be asked to set up two-factor authentication at first login.
    Returns (user, created). Raises django.core.exceptions.ValidationError when the password
    fails the password validators.
    """
    from allauth.account.models import EmailAddress

    user_model = get_user_model()
    email = user_model.objects.normalize_email(email).strip()
    with transaction.atomic():
        user = user_model.objects.filter(email__iexact=email).first()
        created = user is None
        if user is None:
            user = user_model(username=username or email, email=email)
        validate_password(password, user)
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        EmailAddress.objects.filter(user=user).exclude(email__iexact=email).update(primary=False)
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    return user, created
