"""Change proposals: a contributor proposes, a reviewer sees the diff, applies or rejects."""

import json

import pytest
from django.test import Client
from django.utils.html import escape

from citywatch.atlas.models import Deployment
from citywatch.commons.models import AuditEntry, ChangeProposal

pytestmark = pytest.mark.django_db


def form_values(deployment: Deployment, **changes) -> dict:
    values = {
        "title": deployment.title,
        "summary": deployment.summary,
        "status": deployment.status,
        "certainty": deployment.certainty,
        "visibility": deployment.visibility,
        "embargo_until": "",
        "reason": "Per the ministry's 2020 statement.",
    }
    values.update(changes)
    return values


@pytest.fixture
def people(demo, make_member):
    clients = {}
    for role in ["contributor", "reviewer"]:
        client = Client()
        client.force_login(make_member(role, "A"))
        clients[role] = client
    return clients


def propose(client, **changes):
    belgrade = Deployment.objects.get(slug="belgrade-safe-city")
    return client.post("/deployments/belgrade-safe-city/propose/", form_values(belgrade, **changes))


def test_contributor_proposes_and_nothing_changes_before_review(people):
    response = propose(people["contributor"], status="deploying")
    assert response.status_code == 302
    assert Deployment.objects.get(slug="belgrade-safe-city").status == "announced"
    proposal = ChangeProposal.objects.get()
    assert proposal.proposed_values == {"status": "deploying"}
    assert proposal.base_values == {"status": "announced"}


def test_reviewer_sees_a_field_by_field_diff_and_applies(people):
    propose(people["contributor"], status="deploying", certainty="documented")
    proposal = ChangeProposal.objects.get()
    page = people["reviewer"].get(f"/review/proposals/{proposal.key}/").content.decode()
    assert "<del>Announced</del>" in page and "<ins>Deploying</ins>" in page
    assert "<del>Reported</del>" in page and "<ins>Documented</ins>" in page
    seen = json.dumps({"status": "announced", "certainty": "reported"})
    response = people["reviewer"].post(
        f"/review/proposals/{proposal.key}/", {"apply": "1", "seen_values": seen}
    )
    assert response.status_code == 302
    belgrade = Deployment.objects.get(slug="belgrade-safe-city")
    assert (belgrade.status, belgrade.certainty) == ("deploying", "documented")
    # The history says a proposal was applied, never its number (numbers count every team's
    # proposals, hidden records' included).
    reason = belgrade.history.first().history_change_reason
    assert reason == f"Proposal: {proposal.reason}"
    history = Client().get("/deployments/belgrade-safe-city/history/").content.decode()
    assert escape(f"Proposal: {proposal.reason}") in history and "Proposal #" not in history
    assert AuditEntry.objects.filter(action="proposal_applied").count() == 1
    # the proposer sees the outcome on their account page
    assert "Applied" in people["contributor"].get("/account/").content.decode()


def test_rejection_needs_a_reason(people):
    propose(people["contributor"], title="Wrong title")
    proposal = ChangeProposal.objects.get()
    url = f"/review/proposals/{proposal.key}/"
    page = people["reviewer"].post(url, {"reject": "1", "reject-reason": ""})
    assert page.status_code == 200
    assert "This field is required." in page.content.decode()
    people["reviewer"].post(url, {"reject": "1", "reject-reason": "No source given."})
    proposal.refresh_from_db()
    assert (proposal.status, proposal.review_note) == ("rejected", "No source given.")
    assert Deployment.objects.get(slug="belgrade-safe-city").title != "Wrong title"


def test_second_reviewer_is_told_and_nothing_is_overwritten(people, make_member):
    propose(people["contributor"], status="deploying")
    propose(people["contributor"], status="cancelled")
    first, second = ChangeProposal.objects.order_by("pk")
    other_reviewer = Client()
    other_reviewer.force_login(make_member("admin", "A"))
    # both reviewers open their page while the status is "announced"
    seen = json.dumps({"status": "announced"})
    other_reviewer.post(f"/review/proposals/{first.key}/", {"apply": "1", "seen_values": seen})
    response = people["reviewer"].post(
        f"/review/proposals/{second.key}/", {"apply": "1", "seen_values": seen}, follow=True
    )
    assert "changed since you opened this page" in response.content.decode()
    assert Deployment.objects.get(slug="belgrade-safe-city").status == "deploying"
    second.refresh_from_db()
    assert second.status == "pending"
    assert "Changed since the proposal was made" in response.content.decode()


def test_contributor_cannot_review_and_viewer_cannot_propose(people, make_member):
    propose(people["contributor"], status="deploying")
    proposal = ChangeProposal.objects.get()
    assert people["contributor"].get("/review/").status_code == 403
    assert people["contributor"].get(f"/review/proposals/{proposal.key}/").status_code == 404
    viewer = Client()
    viewer.force_login(make_member("viewer", "B"))
    assert viewer.get("/deployments/belgrade-safe-city/propose/").status_code == 403


def test_a_proposal_that_changes_nothing_is_refused(people):
    response = propose(people["contributor"])
    assert response.status_code == 200
    assert "This proposal changes nothing." in response.content.decode()
    assert ChangeProposal.objects.count() == 0


def test_bad_proposal_input_shows_what_to_fix(people):
    response = propose(people["contributor"], status="not-a-status", embargo_until="31/31/2020")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert "Enter a valid date" in html
