"""Declares the atlas's records to the permission module (the rules live there)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from citywatch.atlas.models import Component, Deployment, Event, Money, Party, VendorClaim
from citywatch.teams import permissions, withdrawals

PARTS = (Party, Component, Money, Event)


# The parts are filtered by their own rule (their deployment's, read through a join): the
# database then starts from the few parts that name someone (a supplier, a lender) instead of
# listing every visible deployment first.


def parties_named(user: Any) -> QuerySet:
    """Organisations taking part in deployments the user may see."""
    return Party.objects.filter(permissions.visible_q(user, Party)).values("organisation_id")


def suppliers_named(user: Any) -> QuerySet:
    return Component.objects.filter(
        permissions.visible_q(user, Component), supplier__isnull=False
    ).values("supplier_id")


def lenders_named(user: Any) -> QuerySet:
    return Money.objects.filter(permissions.visible_q(user, Money), lender__isnull=False).values(
        "lender_id"
    )


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
    permissions.register_placing(deployments_placed)
    withdrawals.watch(Deployment, own_visibility=True)
    for model in (*PARTS, VendorClaim):
        withdrawals.watch(model)


def deployments_placed(user: Any, on: dt.date | None = None) -> QuerySet:
    """Localities where deployments the user may see take place."""
    return Deployment.objects.filter(
        permissions.visible_q(user, Deployment, on), locality__isnull=False
    ).values("locality_id")
