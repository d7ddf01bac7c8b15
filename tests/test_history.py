"""Every change is kept (who, when, what, why), shown with diffs, and revertible by a reviewer."""

import pytest
from django.test import Client

from citywatch.atlas.models import Deployment
from citywatch.commons.history import version_id
from citywatch.commons.models import AuditEntry, Profile
from citywatch.teams.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited(demo, make_member):
    editor = make_member("reviewer", "A")
    belgrade = Deployment.objects.get(slug="belgrade-safe-city")
    belgrade.title = "Belgrade: renamed by a test"
    belgrade._change_reason = "Test rename"
    belgrade._history_user = editor
    belgrade.save()
    return editor


def test_history_page_shows_what_changed_and_why(client, edited):
    html = client.get("/deployments/belgrade-safe-city/history/").content.decode()
    assert "Test rename" in html
    assert "<ins>Belgrade: renamed by a test</ins>" in html
    assert "Created" in html


def test_public_history_names_only_people_who_chose_credit(client, edited):
    html = client.get("/deployments/belgrade-safe-city/history/").content.decode()
    assert "reviewer-A" not in html
    Profile.objects.create(user=edited, display_name="Jelena", credit_publicly=True)
    html = client.get("/deployments/belgrade-safe-city/history/").content.decode()
    assert "Jelena" in html


def test_reviewer_reverts_and_the_revert_is_history_too(edited):
    reviewer = Client()
    reviewer.force_login(edited)
    belgrade = Deployment.objects.get(slug="belgrade-safe-city")
    original = belgrade.history.order_by("history_date").first()
    response = reviewer.post(
        f"/deployments/belgrade-safe-city/history/{version_id(original.history_id)}/revert/"
    )
    assert response.status_code == 302
    belgrade.refresh_from_db()
    assert belgrade.title.startswith("Belgrade: “a thousand”")
    # The reason says what happened, never who or which version number a person chose.
    assert belgrade.history.first().history_change_reason == "reverted to an earlier version"
    assert AuditEntry.objects.filter(action="reverted").count() == 1


def test_only_reviewers_may_revert(edited, make_member):
    contributor = Client()
    contributor.force_login(make_member("contributor", "A"))
    belgrade = Deployment.objects.get(slug="belgrade-safe-city")
    version = belgrade.history.order_by("history_date").first()
    response = contributor.post(
        f"/deployments/belgrade-safe-city/history/{version_id(version.history_id)}/revert/"
    )
    assert response.status_code == 403
    belgrade.refresh_from_db()
    assert belgrade.title == "Belgrade: renamed by a test"


def test_visibility_and_role_changes_are_audited(demo, make_member):
    user = make_member("viewer", "A")
    membership = Membership.objects.get(user=user)
    membership.role = "reviewer"
    membership.save()
    belgrade = Deployment.objects.get(slug="belgrade-safe-city")
    belgrade.visibility = "partners"
    belgrade.save()
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert "member_added" in actions
    assert "role_changed" in actions
    assert "visibility_changed" in actions
    entry = AuditEntry.objects.get(action="visibility_changed")
    # Saved outside a request (here, by the test): the entry says so, as no user acted.
    assert entry.details == {
        "visibility": ["public", "partners"],
        "via": "command line or background task",
    }


def test_a_revert_keeps_the_records_address(demo, make_member):
    """Review R1/R2: reverting restored the old slug, giving a hidden record back its
    guessable title slug, and answered 500 when another record had taken that slug since."""
    from citywatch.atlas import services as atlas_services

    reviewer = make_member("reviewer", "A")
    belgrade = Deployment.objects.get(slug="belgrade-safe-city")
    belgrade.owner_team = reviewer.memberships.get().team
    belgrade.visibility = "private"
    atlas_services.save_record(belgrade, by=atlas_services.permissions.INTERNAL)
    hidden_slug = belgrade.slug
    assert hidden_slug != "belgrade-safe-city"
    # Someone else's public deal takes the freed address.
    other = Deployment.objects.exclude(pk=belgrade.pk).first()
    Deployment.objects.filter(pk=other.pk).update(slug="belgrade-safe-city")
    original = belgrade.history.order_by("history_date").first()
    assert original.slug == "belgrade-safe-city"
    client = Client()
    client.force_login(reviewer)
    version = version_id(original.history_id)
    response = client.post(f"/deployments/{hidden_slug}/history/{version}/revert/")
    assert response.status_code == 302
    belgrade.refresh_from_db()
    assert belgrade.slug == hidden_slug
    assert belgrade.history.first().history_change_reason == "reverted to an earlier version"
