"""Profiles, public tips, change proposals and the audit log.

Privacy: nothing here stores an IP address, a user agent or a precise time for anonymous
input. Tips keep only the day they arrived.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from citywatch.core.fields import WebAddressField
from citywatch.core.public_keys import KEY_LENGTH, mint_key
from citywatch.teams.models import Team


class Profile(models.Model):
    """What a person chooses to show: public pages name someone only if they opted in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(_("name to credit"), max_length=100, blank=True)
    credit_publicly = models.BooleanField(
        _("credit me on public pages"),
        default=False,
        help_text=_("Off by default: your changes are shown without your name."),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return self.display_name or str(self.user)


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPLIED = "applied", _("Applied")
    REJECTED = "rejected", _("Rejected")


def key_field(help_text: str) -> models.CharField:
    """A record's random key (``citywatch.core.public_keys``): its id in addresses, never its
    sequential number, which would count and date the hidden records made in between."""
    return models.CharField(
        _("key"),
        max_length=KEY_LENGTH,
        unique=True,
        default=mint_key,
        editable=False,
        help_text=help_text,
    )


class Tip(models.Model):
    """Something the public tells us, without an account. No IP, no user agent, day only."""

    key = key_field(_("The tip's id in its review address: random, never its number."))
    what = models.TextField(_("what is being deployed"))
    place = models.CharField(_("where"), max_length=300, blank=True)
    country = models.ForeignKey(
        "places.Country",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("country"),
    )
    vendor = models.CharField(_("which vendor"), max_length=200, blank=True)
    source_url = WebAddressField(_("link to a source"), max_length=1000, blank=True)
    details = models.TextField(_("anything else"), blank=True)
    attachment = models.FileField(_("file"), upload_to="tips/", blank=True)
    attachment_type = models.CharField(_("file type"), max_length=100, blank=True)
    received_on = models.DateField(_("received on"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    review_note = models.TextField(_("reviewer's note"), blank=True)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    deployment = models.ForeignKey(
        "atlas.Deployment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tips",
        verbose_name=_("deployment created from it"),
    )

    class Meta:
        verbose_name = _("tip")
        verbose_name_plural = _("tips")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return self.what[:80]

    def get_absolute_url(self) -> str:
        return reverse("commons:tip_review", args=[self.key])


class ChangeProposal(models.Model):
    """A write waiting for review: new values for some fields of one record, or another
    operation (citing a passage, adding a fact from a suggestion, attaching a document,
    creating a record) with its arguments in ``payload``.

    ``target`` is the record whose reviewers decide (empty for a record still to be created:
    then ``team`` decides). ``base_values`` keeps the values the proposer saw, so a reviewer
    applying the proposal is told when the record changed in between, and nothing is silently
    overwritten.
    """

    key = key_field(
        _("The proposal's id in its review address and in the API: random, never its number.")
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    operation = models.CharField(_("operation"), max_length=60, default="update_fields")
    payload = models.JSONField(_("operation details"), default=dict, blank=True)
    proposed_values = models.JSONField(_("proposed values"), default=dict, blank=True)
    base_values = models.JSONField(_("values when proposed"), default=dict)
    reason = models.TextField(_("why"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("proposed by"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("team"),
    )
    tip = models.ForeignKey(
        Tip, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals"
    )
    proposed_on = models.DateField(_("proposed on"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_proposals",
        verbose_name=_("reviewed by"),
    )
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    review_note = models.TextField(_("reviewer's note"), blank=True)

    class Meta:
        verbose_name = _("change proposal")
        verbose_name_plural = _("change proposals")
        ordering = ["-proposed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.content_type.model} #{self.object_id}: {', '.join(self.proposed_values)}"

    def get_absolute_url(self) -> str:
        return reverse("commons:proposal", args=[self.key])


class AuditAction(models.TextChoices):
    ROLE_CHANGED = "role_changed", _("Role changed")
    MEMBER_ADDED = "member_added", _("Member added")
    MEMBER_REMOVED = "member_removed", _("Member removed")
    VISIBILITY_CHANGED = "visibility_changed", _("Visibility changed")
    PRIVATE_EXPORT = "private_export", _("Export including non-public records")
    PROPOSAL_APPLIED = "proposal_applied", _("Proposal applied")
    PROPOSAL_REJECTED = "proposal_rejected", _("Proposal rejected")
    REVERTED = "reverted", _("Record reverted")


class AuditEntry(models.Model):
    """Append-only log of sensitive actions (who, what, when). Never holds IP addresses."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=30, choices=AuditAction.choices)
    target = models.CharField(_("record"), max_length=300)
    details = models.JSONField(_("details"), default=dict, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.get_action_display()} {self.target}"
