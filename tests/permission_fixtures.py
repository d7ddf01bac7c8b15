"""Records in every visibility state and visitors of every kind, for the permission tests.

Team A owns every record below; the visitors belong to team B or to no team, so none of them
may write any of these records, and each may read only the states listed in ``MAY_SEE``. Each
record carries a marker (``Zq<STATE><kind>Zq``) that must never appear in an answer to a
visitor who may not see that state.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.test import Client

STATES = {
    "public": "PUB",
    "partners": "PRT",
    "private": "PRV",
    "embargoed": "EMB",
    "embargo_passed": "EMP",
}
ACTORS = ["anonymous", "outsider", "viewer", "contributor", "reviewer", "staff"]
SEEN_BY_ALL = {"public", "embargo_passed"}
MAY_SEE = {
    "anonymous": SEEN_BY_ALL,
    "outsider": SEEN_BY_ALL,
    "staff": SEEN_BY_ALL,
    "viewer": SEEN_BY_ALL | {"partners"},
    "contributor": SEEN_BY_ALL | {"partners"},
    "reviewer": SEEN_BY_ALL | {"partners"},
}
KINDS = ["deal", "summary", "vendor", "source", "quote", "text", "foi", "authority", "reply"]
PASSWORD = "a long test passphrase"


def marker(state: str, kind: str) -> str:
    return f"Zq{STATES[state]}{kind}Zq"


def word(state: str) -> str:
    """A word each state's records contain besides their markers, to search for: a search
    page may repeat the words it was given, so the markers are never searched for."""
    return f"kw{STATES[state].lower()}"


def named(state: str, kind: str) -> str:
    return f"{marker(state, kind)} {word(state)}"


def visibility_fields(state: str) -> dict[str, Any]:
    today = dt.date.today()
    return {
        "public": {"visibility": "public", "embargo_until": None},
        "partners": {"visibility": "partners", "embargo_until": None},
        "private": {"visibility": "private", "embargo_until": None},
        "embargoed": {"visibility": "public", "embargo_until": today + dt.timedelta(days=30)},
        "embargo_passed": {
            "visibility": "private",
            "embargo_until": today - dt.timedelta(days=1),
        },
    }[state]


@dataclass
class StateRecords:
    """One state's records, all owned by team A."""

    state: str
    deployment: Any
    component: Any
    vendor: Any
    source: Any
    citation: Any
    foi: Any
    authority: Any
    reply: Any
    markers: list[str] = field(default_factory=list)


def make_state(state: str, team_a: Any, requester: Any) -> StateRecords:
    from citywatch.actors.models import Organisation
    from citywatch.atlas.models import Component, Deployment, Party, Technology
    from citywatch.atlas.services import free_deployment_slug
    from citywatch.evidence import services as evidence_services
    from citywatch.evidence.models import Citation, Source
    from citywatch.foi.models import FoiAttachment, FoiLaw, FoiMessage, FoiRequest
    from citywatch.places.models import Country

    code = STATES[state]
    fields = visibility_fields(state)
    serbia = Country.objects.get(code="RS")
    vendor = Organisation.objects.create(
        name=named(state, "vendor"), slug=f"vendor-{code.lower()}", kind="vendor", country=serbia
    )
    # As every door names a deployment (atlas.services.free_deployment_slug): a hidden one's
    # slug is not derivable from its title.
    hidden = state not in SEEN_BY_ALL
    deployment = Deployment.objects.create(
        title=named(state, "deal"),
        slug=free_deployment_slug(f"deal-{code.lower()}", hidden=hidden),
        summary=f"Cameras kamera {marker(state, 'summary')}",
        country=serbia,
        status="announced",
        certainty="reported",
        owner_team=team_a,
        **fields,
    )
    Party.objects.create(deployment=deployment, organisation=vendor, role="supplier")
    component = Component.objects.create(
        deployment=deployment, technology=Technology.objects.get(slug="cctv"), quantity=40
    )
    text = (
        f"Report {marker(state, 'text')}. The city installed 40 kamera cameras supplied by "
        f"{marker(state, 'vendor')} in 2021."
    ).encode()
    source = evidence_services.add_document(
        text,
        f"report-{code}.txt",
        title=named(state, "source"),
        kind="ngo_report",
        owner_team=team_a,
        **fields,
    )
    evidence_services.extract_text(source.document)
    citation = Citation.objects.create(
        source=source,
        content_type=ContentType.objects.get_for_model(Component),
        object_id=component.pk,
        field_name="quantity",
        quote=f"Report {marker(state, 'text')}.",
        stated_value=marker(state, "quote"),
    )
    authority = Organisation.objects.create(
        name=named(state, "authority"),
        slug=f"authority-{code.lower()}",
        kind="authority",
        country=serbia,
        email=f"authority-{code.lower()}@example.org",
    )
    foi = FoiRequest.objects.create(
        title=named(state, "foi"),
        requester=requester,
        authority=authority,
        law=FoiLaw.objects.get(law_id="rs-2004"),
        owner_team=team_a,
        status="awaiting_response",
        sent_on=dt.date.today() - dt.timedelta(days=3),
        language="en",
        **fields,
    )
    foi.deployments.add(deployment)
    message = FoiMessage.objects.create(
        request=foi, direction="in", kind="reply", on=dt.date.today(), body="Reply body"
    )
    reply = Source.objects.create(
        title=named(state, "reply"), kind="foi_response", owner_team=team_a, **fields
    )
    FoiAttachment.objects.create(message=message, source=reply, filename="reply.pdf")
    records = StateRecords(
        state, deployment, component, vendor, source, citation, foi, authority, reply
    )
    records.markers = [marker(state, kind) for kind in KINDS]
    return records


def make_records(teams: dict) -> dict[str, StateRecords]:
    from citywatch.actors.models import Organisation

    requester = Organisation.objects.create(name="Team A's organisation", slug="team-a-org")
    teams["A"].organisation = requester
    teams["A"].save()
    return {state: make_state(state, teams["A"], requester) for state in STATES}


def make_actor(name: str, teams: dict) -> Any:
    """A user for the actor (None for the anonymous visitor), with TOTP where required."""
    from conftest import with_totp

    from citywatch.teams.models import Membership

    if name == "anonymous":
        return None
    user = get_user_model().objects.create_user(
        f"{name}-b", f"{name}-b@example.org", PASSWORD, is_staff=(name == "staff")
    )
    if name in ("viewer", "contributor", "reviewer"):
        Membership.objects.create(team=teams["B"], user=user, role=name)
    if name in ("reviewer", "staff"):
        with_totp(user)
    return user


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def forbidden_markers(actor: str, records: dict[str, StateRecords]) -> list[str]:
    return [m for state, r in records.items() if state not in MAY_SEE[actor] for m in r.markers]
