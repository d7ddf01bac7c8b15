"""A deployment created hidden (private, partners-only, under embargo) is hidden from its first
version, through every door that creates one hidden (review 3, G2: the API, a reviewer applying a
contributor's API proposal, the deal page, a tip accepted hidden; the CSV, EFF Atlas and
citywatch.json imports create public records only): its first save carries its final
visibility, embargo, owning team and unguessable slug, so the public fingerprint (the ETag and
Last-Modified of the API and the exports) does not move, no ``PublicWithdrawal`` is stamped,
and its history has no public version to revert to. A revert keeps the current visibility."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable

import pytest
from django.test import Client
from permission_fixtures import client_for

from citywatch.api.services import create_token
from citywatch.atlas import services as atlas_services
from citywatch.atlas.models import Deployment
from citywatch.commons.history import version_id
from citywatch.commons.models import ChangeProposal
from citywatch.commons.services import apply_proposal, revert_to
from citywatch.core.slugs import slug_text
from citywatch.teams.models import PublicWithdrawal

pytestmark = pytest.mark.django_db

HIDDEN_SLUG = re.compile(r"^(?P<base>[a-z0-9-]+?)--[a-z2-7]{6}$")
NEXT_YEAR = dt.date.today() + dt.timedelta(days=365)
# visibility, embargo_until: the three ways of being hidden.
HIDDEN_STATES = {
    "private": ("private", None),
    "partners": ("partners", None),
    "embargoed": ("public", NEXT_YEAR),
}


def fingerprint() -> list[tuple[str, str]]:
    """What a cache sees of the public dataset: ETag and Last-Modified of the API's list and
    of an export."""
    client = Client()
    seen = []
    for url in ("/api/deployments", "/exports/citywatch.json"):
        response = client.get(url)
        assert response.status_code == 200, url
        seen.append((response["ETag"], response["Last-Modified"]))
    return seen


def api_body(title: str, visibility: str, embargo: dt.date | None) -> dict:
    body = {
        "title": title,
        "country": "RS",
        "status": "announced",
        "certainty": "reported",
        "visibility": visibility,
    }
    if embargo is not None:
        body["embargo_until"] = embargo.isoformat()
    return body


def api_post(user, body: dict) -> int:
    token = create_token(user, "t", "write")[1]
    response = Client().post(
        "/api/deployments",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    return response.status_code


def by_api(make_member, title, visibility, embargo) -> None:
    assert api_post(make_member("reviewer", "A"), api_body(title, visibility, embargo)) == 201


def by_api_proposal(make_member, title, visibility, embargo) -> None:
    assert api_post(make_member("contributor", "A"), api_body(title, visibility, embargo)) == 202
    proposal = ChangeProposal.objects.get(operation="api_create_deployment")
    apply_proposal(proposal, reviewer=make_member("reviewer", "A"), seen_values={})


def by_deal_page(make_member, title, visibility, embargo) -> None:
    from test_deal_form import open_page

    client = client_for(make_member("reviewer", "A"))
    values = open_page(client, "/deployments/new/")
    values.update(
        {
            "deployment-title": title,
            "deployment-status": "announced",
            "deployment-certainty": "reported",
            "deployment-visibility": visibility,
            "deployment-embargo_until": embargo.isoformat() if embargo else "",
            "place-country": "RS",
            "place-nationwide": "on",
            "reason": "New deal.",
        }
    )
    response = client.post("/deployments/new/", values)
    assert response.status_code == 302, response.content.decode()[:2000]


def by_tip(make_member, title, visibility, embargo) -> None:
    from citywatch.commons import tips
    from citywatch.commons.models import Tip
    from citywatch.places.models import Country

    tip = Tip.objects.create(
        what="Cameras on the square", country_id="RS", received_on=dt.date.today()
    )
    acceptance = tips.TipAcceptance(
        title=title,
        country=Country.objects.get(code="RS"),
        status="announced",
        certainty="reported",
        visibility=visibility,
    )
    tips.accept_tip(tip, acceptance, reviewer=make_member("reviewer", "A"))


DOORS: dict[str, Callable] = {
    "api": by_api,
    "api proposal": by_api_proposal,
    "deal page": by_deal_page,
    "tip": by_tip,
}


# A tip is accepted public, partners-only or private (its form has no embargo).
CASES = [
    (door, state)
    for door in DOORS
    for state in HIDDEN_STATES
    if (door, state) != ("tip", "embargoed")
]


@pytest.mark.parametrize(("door", "state"), CASES)
def test_a_hidden_deployment_is_hidden_from_its_first_version(
    demo, teams, make_member, door, state
):
    visibility, embargo = HIDDEN_STATES[state]
    title = f"Zqcreated {state} deal"
    before, withdrawals = fingerprint(), PublicWithdrawal.objects.count()
    DOORS[door](make_member, title, visibility, embargo)
    deployment = Deployment.objects.get(title=title)
    assert fingerprint() == before
    assert PublicWithdrawal.objects.count() == withdrawals
    assert deployment.owner_team == teams["A"]
    assert (deployment.visibility, deployment.embargo_until) == (visibility, embargo)
    # One random suffix on the title's slug (not two, not none).
    assert HIDDEN_SLUG.match(deployment.slug).group("base") == slug_text(title)
    versions = list(deployment.history.order_by("history_date", "history_id"))
    for version in versions:
        assert (version.visibility, version.embargo_until) == (visibility, embargo)
        assert version.slug == deployment.slug


def test_revert_to_created_keeps_the_current_visibility(demo, teams, make_member):
    """A deal created public and later made private: reverting to its first version restores
    its fields, not its visibility, and the public sees nothing."""
    reviewer = make_member("reviewer", "A")
    assert api_post(reviewer, api_body("Zqonce public", "public", None)) == 201
    deployment = Deployment.objects.get(title="Zqonce public")
    created = deployment.history.order_by("history_date", "history_id").first()
    deployment.title = "Zqnow private"
    deployment.visibility = "private"
    atlas_services.save_record(deployment, by=reviewer, reason="Hidden.")
    before, withdrawals = fingerprint(), PublicWithdrawal.objects.count()
    client = client_for(reviewer)
    page = client.get(f"/deployments/{deployment.slug}/history/").content.decode()
    assert "keeps its current address, visibility, embargo and team" in page
    response = client.post(
        f"/deployments/{deployment.slug}/history/{version_id(created.history_id)}/revert/", {}
    )
    assert response.status_code == 302
    deployment.refresh_from_db()
    assert deployment.title == "Zqonce public"  # the version's fields are restored
    assert deployment.visibility == "private"
    assert fingerprint() == before
    assert PublicWithdrawal.objects.count() == withdrawals
    assert Client().get(f"/deployments/{deployment.slug}/").status_code == 404


def test_revert_keeps_embargo_and_team(demo, teams, make_member):
    reviewer = make_member("reviewer", "A")
    assert api_post(reviewer, api_body("Zqembargoed", "public", NEXT_YEAR)) == 201
    deployment = Deployment.objects.get(title="Zqembargoed")
    created = deployment.history.order_by("history_date", "history_id").first()
    deployment.embargo_until = NEXT_YEAR + dt.timedelta(days=30)
    atlas_services.save_record(deployment, by=reviewer, reason="Longer embargo.")
    revert_to(deployment, created.history_id, reviewer=reviewer)
    deployment.refresh_from_db()
    assert deployment.embargo_until == NEXT_YEAR + dt.timedelta(days=30)
    assert deployment.owner_team == teams["A"]
