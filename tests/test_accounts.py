"""Accounts: e-mail login, throttling, two-factor for reviewers and admins, CSRF, no IPs."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.db import connection
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "a long test passphrase"


@pytest.fixture
def verified_user(django_user_model):
    user = django_user_model.objects.create_user("ana", "ana@example.org", PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_login_by_email(client, verified_user):
    response = client.post("/accounts/login/", {"login": "ana@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200


def test_unverified_address_cannot_log_in(client, django_user_model):
    django_user_model.objects.create_user("bo", "bo@example.org", PASSWORD)
    EmailAddress.objects.create(
        user=django_user_model.objects.get(username="bo"),
        email="bo@example.org",
        verified=False,
        primary=True,
    )
    client.post("/accounts/login/", {"login": "bo@example.org", "password": PASSWORD})
    assert client.get("/account/").status_code == 302  # still anonymous


def test_login_is_throttled_after_repeated_failures(client, verified_user):
    pages = [
        client.post("/accounts/login/", {"login": "ana@example.org", "password": "wrong"})
        for _attempt in range(6)
    ]
    throttled = "Too many failed login attempts"
    assert throttled not in pages[0].content.decode()
    assert throttled in pages[-1].content.decode()
    # even the right password is refused while throttled
    response = client.post("/accounts/login/", {"login": "ana@example.org", "password": PASSWORD})
    assert throttled in response.content.decode()
    assert client.get("/account/").status_code == 302  # not logged in


def test_reviewer_must_set_up_two_factor(client, make_member):
    from citywatch.teams.models import Membership

    user = make_member("contributor", "A")
    client.force_login(user)
    assert client.get("/deployments/").status_code == 200
    Membership.objects.filter(user=user).update(role="reviewer")
    response = client.get("/deployments/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/2fa/totp/activate/"


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/")


def test_staff_without_two_factor_cannot_use_the_admin(client, django_user_model):
    staff = django_user_model.objects.create_superuser("root", "root@example.org", PASSWORD)
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/2fa/totp/activate/"


def test_csrf_token_is_required(demo, make_member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_member("contributor", "A"))
    response = client.post(
        "/deployments/belgrade-safe-city/propose/",
        {
            "title": "Changed",
            "reason": "test",
            "status": "announced",
            "certainty": "reported",
            "visibility": "public",
            "summary": "x",
        },
    )
    assert response.status_code == 403


def test_no_ip_address_or_user_agent_is_stored(demo, verified_user):
    client = Client(REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="Agent-Marker/9.9")
    client.post("/accounts/login/", {"login": "ana@example.org", "password": "wrong"})
    client.post("/accounts/login/", {"login": "ana@example.org", "password": PASSWORD})
    client.get("/deployments/belgrade-safe-city/")
    client.post("/account/", {"display_name": "Ana", "credit_publicly": "on"})
    assert find_in_database(["203.0.113.77", "Agent-Marker"]) == []


def find_in_database(needles: list[str]) -> list[str]:
    """Every (table, column) holding any of the needles, across all models' text columns."""
    found = []
    for model in apps.get_models():
        table = model._meta.db_table
        for field in model._meta.concrete_fields:
            if field.get_internal_type() not in {
                "CharField",
                "TextField",
                "JSONField",
                "GenericIPAddressField",
            }:
                continue
            column = connection.ops.quote_name(field.column)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {column} FROM {connection.ops.quote_name(table)}")  # noqa: S608
                for (value,) in cursor.fetchall():
                    if value is not None and any(needle in str(value) for needle in needles):
                        found.append(f"{table}.{field.column}")
    return found


def test_the_rate_limit_keeps_no_address_in_the_cache_table(demo, verified_user):
    """The database cache holds rate-limit counters under keyed hashes, never an address
    or a hash of the e-mail address tried; and the limit still works."""
    client = Client(REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="Agent-Marker/9.9")
    pages = [
        client.post("/accounts/login/", {"login": "ana@example.org", "password": "wrong"})
        for _attempt in range(6)
    ]
    assert "Too many failed login attempts" in pages[-1].content.decode()
    client.post("/accounts/password/reset/", {"email": "ana@example.org"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value, expires FROM citywatch_cache")
        rows = cursor.fetchall()
    assert rows  # the control: the limits are counted in this table
    text = " ".join(f"{key} {value}" for key, value, _expires in rows)
    assert "203.0.113.77" not in text and "Agent-Marker" not in text
    assert "allauth" not in text and "ana@example.org" not in text
    assert all(re.fullmatch(r":1:rl:[0-9a-f]{64}(:lock)?", key) for key, _v, _e in rows), rows
