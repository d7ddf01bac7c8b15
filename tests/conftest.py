"""Shared fixtures. The suite runs on SQLite by default and on PostgreSQL when DATABASE_URL
points at one (`.ci/run` does both)."""

from __future__ import annotations

import pytest

from citywatch.seed.loader import load_demo


@pytest.fixture
def demo(db):
    """The demo dataset (the report's cases), loaded into the test database."""
    return load_demo()


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "x" * 16)
    client.force_login(user)
    return client


def pytest_report_header(config):
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"CityWatch database: {database['ENGINE']} ({database.get('HOST') or database['NAME']})"
