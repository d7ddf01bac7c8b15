"""Personal API tokens: created and revoked on the account page, stored hashed, scoped.

A read token cannot write; a revoked token is refused; only members who may contribute get
write tokens (a contributor's write becomes a proposal).
"""

from __future__ import annotations

import re

import pytest

from citywatch.api.models import ApiToken, hash_token
from citywatch.api.services import create_token
from citywatch.atlas.models import Deployment
from citywatch.evidence.models import Source

pytestmark = pytest.mark.django_db

NEW_DEPLOYMENT = {
    "title": "Novi Sad: smart cameras",
    "country": "RS",
    "locality": {"name": "Novi Sad"},
    "status": "announced",
    "certainty": "reported",
    "technologies": ["cctv"],
    "suppliers": ["Huawei"],
    "buyers": ["City of Novi Sad"],
    "source_urls": ["https://example.org/novi-sad-cameras"],
}


@pytest.fixture
def reviewer(django_user_model):
    """A reviewer of a team (reviewers must have two-factor authentication)."""
    from conftest import join_team

    user = django_user_model.objects.create_user("rita", "rita@example.org", "x" * 16)
    join_team(user, "reviewer", "editors")
    return user


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user("max", "max@example.org", "x" * 16)


def bearer(text: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {text}"}


def test_account_page_needs_a_login(client):
    response = client.get("/account/tokens/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/accounts/login/").status_code == 200


def test_token_is_shown_once_and_only_its_hash_is_stored(client, reviewer):
    client.force_login(reviewer)
    response = client.post("/account/tokens/", {"name": "R scripts", "scope": "write"})
    html = response.content.decode()
    text = re.search(r"cw_[A-Za-z0-9_-]{20,}", html).group(0)
    token = ApiToken.objects.get(user=reviewer)
    assert token.scope == "write"
    assert token.token_hash == hash_token(text)
    assert text not in str(ApiToken.objects.values_list().get())
    page = client.get("/account/tokens/").content.decode()
    assert text not in page and "R scripts" in page and token.hint in page
    assert client.get("/api/token", **bearer(text)).json()["name"] == "R scripts"


def test_people_outside_any_team_only_get_read_tokens(client, member):
    client.force_login(member)
    client.post("/account/tokens/", {"name": "mine", "scope": "write"})
    assert not ApiToken.objects.filter(user=member).exists(), "write is not offered"
    client.post("/account/tokens/", {"name": "mine", "scope": "read"})
    assert ApiToken.objects.get(user=member).scope == "read"
    create_token(member, "forced", "write")
    assert ApiToken.objects.get(name="forced").scope == "read"


def test_read_token_cannot_write(client, demo, reviewer):
    _token, text = create_token(reviewer, "reader", "read")
    assert client.get("/api/token", **bearer(text)).status_code == 200
    response = client.post(
        "/api/deployments", NEW_DEPLOYMENT, content_type="application/json", **bearer(text)
    )
    assert response.status_code == 403
    assert not Deployment.objects.filter(title=NEW_DEPLOYMENT["title"]).exists()
    patch = client.patch(
        "/api/deployments/belgrade-safe-city",
        {"status": "cancelled"},
        content_type="application/json",
        **bearer(text),
    )
    assert patch.status_code == 403
    assert Deployment.objects.get(slug="belgrade-safe-city").status == "announced"


def test_revoked_token_is_refused(client, demo, reviewer):
    token, text = create_token(reviewer, "old", "write")
    client.force_login(reviewer)
    client.post(f"/account/tokens/{token.shown_id}/revoke/")
    client.logout()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get("/api/token", **bearer(text)).status_code == 401
    response = client.post(
        "/api/deployments", NEW_DEPLOYMENT, content_type="application/json", **bearer(text)
    )
    assert response.status_code == 401
    assert not Deployment.objects.filter(title=NEW_DEPLOYMENT["title"]).exists()


def test_no_token_or_a_wrong_token_is_refused(client, demo):
    for headers in ({}, bearer("cw_not-a-real-token"), {"HTTP_AUTHORIZATION": "Basic eDp5"}):
        response = client.post(
            "/api/deployments", NEW_DEPLOYMENT, content_type="application/json", **headers
        )
        assert response.status_code == 401


def test_someone_elses_token_cannot_be_revoked(client, reviewer, member):
    token, _text = create_token(reviewer, "mine", "read")
    client.force_login(member)
    client.post(f"/account/tokens/{token.shown_id}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is None


def test_write_token_creates_updates_and_adds_sources(client, demo, reviewer):
    _token, text = create_token(reviewer, "writer", "write")
    response = client.post(
        "/api/deployments", NEW_DEPLOYMENT, content_type="application/json", **bearer(text)
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["slug"] == "novi-sad-smart-cameras"
    assert data["locality"]["name"] == "Novi Sad" and data["locality"]["latitude"]
    roles = {(p["organisation"]["name"], p["role"]) for p in data["parties"]}
    assert roles == {("City of Novi Sad", "buyer"), ("Huawei", "supplier")}
    assert [c["technology"] for c in data["components"]] == ["cctv"]
    assert client.get("/api/deployments/novi-sad-smart-cameras").status_code == 200

    again = client.post(
        "/api/deployments",
        {**NEW_DEPLOYMENT, "slug": "novi-sad-smart-cameras"},
        content_type="application/json",
        **bearer(text),
    )
    assert again.status_code == 409

    bad = client.post(
        "/api/deployments",
        {**NEW_DEPLOYMENT, "country": "QQ"},
        content_type="application/json",
        **bearer(text),
    )
    assert bad.status_code == 422
    assert "unknown country" in str(bad.json()["detail"])

    patch = client.patch(
        "/api/deployments/novi-sad-smart-cameras",
        {"status": "contracted", "visibility": "private"},
        content_type="application/json",
        **bearer(text),
    )
    assert patch.status_code == 200
    assert patch.json()["status"] == "contracted"
    assert client.get("/api/deployments/novi-sad-smart-cameras").status_code == 404

    source = client.post(
        "/api/sources",
        {"title": "Council minutes", "kind": "official", "published_on": "2024-03"},
        content_type="application/json",
        **bearer(text),
    )
    assert source.status_code == 201
    assert Source.objects.get(key=source.json()["id"]).published_on == "2024-03"


def test_write_token_of_someone_no_longer_a_member_is_refused(client, demo, reviewer):
    from citywatch.teams.models import Membership

    _token, text = create_token(reviewer, "writer", "write")
    Membership.objects.filter(user=reviewer).delete()
    response = client.post(
        "/api/sources",
        {"title": "Council minutes", "kind": "official"},
        content_type="application/json",
        **bearer(text),
    )
    assert response.status_code == 403
