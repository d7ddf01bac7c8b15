"""Partner teams, their members and the roles that decide what a member may do.

The tables keep their first names (``commons_team``, ``commons_membership``): the models moved
here from ``commons`` so that every app can ask "may this user…" without climbing the layers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from citywatch.actors.models import Organisation, OrganisationKind


class Role(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    CONTRIBUTOR = "contributor", _("Contributor")
    REVIEWER = "reviewer", _("Reviewer")
    ADMIN = "admin", _("Team admin")


ROLE_RANK = {Role.VIEWER: 1, Role.CONTRIBUTOR: 2, Role.REVIEWER: 3, Role.ADMIN: 4}


class Team(models.Model):
    """A partner organisation working in CityWatch (e.g. SHARE Foundation)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teams",
        limit_choices_to={"kind": OrganisationKind.OTHER},  # what FOI requests accept
        verbose_name=_("organisation"),
        help_text=_("The organisation in the atlas this team is, e.g. for FOI requests."),
    )
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="teams"
    )

    class Meta:
        db_table = "commons_team"
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("team")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        db_table = "commons_membership"
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="membership_unique_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.team} ({self.get_role_display()})"


class PublicWithdrawal(models.Model):
    """The moment a record stopped being public (made private, embargoed again, deleted).

    Only the time is kept, never which record: the public dataset's Last-Modified moves on,
    so caches learn that something left, without learning what.
    """

    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("withdrawal from the public dataset")
        verbose_name_plural = _("withdrawals from the public dataset")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M}"


class KeptOrganisation(models.Model):
    """An organisation a team's hidden record named until that record stopped naming it, and
    that no record names now: kept visible to that team (its members may link it again or tidy
    it up), while the public and other teams still do not see it
    (``permissions.organisation_visible_q``)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="kept_organisations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("organisation kept for a team")
        verbose_name_plural = _("organisations kept for teams")
        constraints = [
            models.UniqueConstraint(fields=["team", "organisation"], name="kept_once_per_team")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.team}"
