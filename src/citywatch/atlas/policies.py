"""Declares the atlas's records to the permission module (the rules live there)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from citywatch.atlas.models import Component, Deployment, Event, Money, Party, VendorClaim
from citywatch.teams import permissions, withdrawals

PARTS = (Party, Component, Money, Event)


def visible_deployment_ids(user: Any) -> QuerySet:
    return Deployment.objects.filter(permissions.visible_q(user, Deployment)).values("pk")


def parties_named(user: Any) -> QuerySet:
    """Organisations taking part in deployments the user may see."""
    return Party.objects.filter(deployment__in=visible_deployment_ids(user)).values(
        "organisation_id"
    )


def suppliers_named(user: Any) -> QuerySet:
    return Component.objects.filter(
        deployment__in=visible_deployment_ids(user), supplier__isnull=False
    ).values("supplier_id")


def lenders_named(user: Any) -> QuerySet:
    return Money.objects.filter(
        deployment__in=visible_deployment_ids(user), lender__isnull=False
    ).values("lender_id")


def claimants_named(user: Any) -> QuerySet:
    """Vendors making claims the user may see (claims about themselves are public)."""
    return VendorClaim.objects.filter(permissions.visible_q(user, VendorClaim)).values("vendor_id")


def register() -> None:
    permissions.register(Deployment, permissions.owned_policy())
    for part in PARTS:
        permissions.register(part, permissions.owned_policy("deployment__"))
    permissions.register(VendorClaim, permissions.optional_part_policy("deployment"))
    permissions.register_citing(
        permissions.citing_through_citations(Deployment, *PARTS, VendorClaim)
    )
    for naming in (parties_named, suppliers_named, lenders_named, claimants_named):
        permissions.register_naming(naming)
    withdrawals.watch(Deployment, own_visibility=True)
    for model in (*PARTS, VendorClaim):
        withdrawals.watch(model)
