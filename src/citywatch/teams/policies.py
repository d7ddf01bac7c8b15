"""The permission policies of the layers below teams (evidence, places, actors).

The apps above (atlas, foi) register their own models from their ``AppConfig.ready()``; the
rules themselves all live in :mod:`citywatch.teams.permissions`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from citywatch.actors.models import Organisation
from citywatch.evidence.models import Citation, Source, StoredFile
from citywatch.places.models import LegalCardEntry, Locality
from citywatch.teams import permissions, withdrawals


def register_lower_layers() -> None:
    """Declare sources, citations, stored files, organisations and reference data."""
    permissions.register(Source, permissions.source_policy())
    permissions.register(Citation, permissions.citation_policy())
    permissions.register(StoredFile, permissions.stored_file_policy())
    permissions.register(Organisation, permissions.organisation_policy())
    permissions.register(Locality, permissions.locality_policy())
    permissions.register_placing(seats_named)
    permissions.register(LegalCardEntry, permissions.reference_policy())
    permissions.register_citing(
        permissions.citing_through_citations(Locality, LegalCardEntry, Organisation)
    )
    withdrawals.watch(Source, own_visibility=True)
    for model in (Citation, Organisation, LegalCardEntry):
        withdrawals.watch(model)


def seats_named(user: Any, on: dt.date | None = None) -> QuerySet:
    """Localities that organisations name as their seat (an authority's seat is reference data
    the admin enters, shown with the authority; counted for everyone, so deciding needs no
    query of its own)."""
    return Organisation.objects.filter(seat_municipality__isnull=False).values(
        "seat_municipality_id"
    )
