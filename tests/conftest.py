"""Shared fixtures. The suite runs on SQLite by default and on PostgreSQL when DATABASE_URL
points at one (`.ci/run` does both)."""

from __future__ import annotations

import pytest

from citywatch.seed.loader import load_demo


def pytest_configure(config):
    """Pages name static files by their plain names in the suite, whether or not the suite's
    data folder holds collected files (``citywatch init`` or ``demo`` run by a test collects
    them): the live server's static handler serves the apps' folders, which have no hashed
    names. tests/test_performance.py checks the hashed, compressed files on their own."""
    from django.conf import settings

    settings.WHITENOISE_USE_FINDERS = True


@pytest.fixture(autouse=True)
def english_by_default():
    """Each test starts in English: a request served in another language must not leak its
    language into the next test (Django keeps the active language per thread)."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker):
    """The demo dataset as the loader writes it, read once per test session (see snapshot)."""
    import snapshot

    with django_db_blocker.unblock():
        return snapshot.take(load_demo)


@pytest.fixture
def demo(db, demo_snapshot):
    """The demo dataset (the report's cases), in the test database: the rows a real load
    wrote, put back in this test's transaction. Returns the loader's counts."""
    import snapshot

    return snapshot.restore(demo_snapshot)


def join_team(user, role: str, slug: str = "campaigners", organisation=None):
    """Make the user a member of a team (created if needed) with this role; reviewers and team
    admins get TOTP, as they must have."""
    from citywatch.teams.models import Membership, Team

    team, _created = Team.objects.get_or_create(
        slug=slug, defaults={"name": slug.replace("-", " ").title(), "organisation": organisation}
    )
    Membership.objects.update_or_create(team=team, user=user, defaults={"role": role})
    if role in ("reviewer", "admin"):
        with_totp(user)
    return team


def with_totp(user):
    """Give a user an activated TOTP authenticator, as staff and reviewers must have."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "x" * 16)
    with_totp(user)
    client.force_login(user)
    return client


def pytest_report_header(config):
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"CityWatch database: {database['ENGINE']} ({database.get('HOST') or database['NAME']})"


@pytest.fixture
def teams(db):
    """Two partner teams: A owns the private drafts, B is another team."""
    from citywatch.teams.models import Team

    return {
        "A": Team.objects.create(name="SHARE Foundation", slug="share"),
        "B": Team.objects.create(name="Unwanted Witness", slug="unwanted-witness"),
    }


@pytest.fixture
def make_member(django_user_model, teams):
    """make_member("reviewer", "A") -> a user with that role in that team (TOTP set up); asked
    again, the same user."""
    from citywatch.teams.models import Membership

    def make(role: str, team: str = "A"):
        made = django_user_model.objects.filter(username=f"{role}-{team}").first()
        if made is not None:
            return made
        user = django_user_model.objects.create_user(
            f"{role}-{team}", f"{role}-{team}@example.org", "a long test passphrase"
        )
        Membership.objects.create(team=teams[team], user=user, role=role)
        if role in ("reviewer", "admin"):
            with_totp(user)
        return user

    return make
