"""The review page of a proposed new deployment writes what was proposed as a reader would
(review 4, F3: it showed ``Buyers ['Zqa Secret Buyer']``)."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.test import Client

from citywatch.api.services import create_token
from citywatch.commons.models import ChangeProposal

pytestmark = pytest.mark.django_db


def test_a_proposed_deployments_lists_and_place_are_written_as_text(demo, make_member):
    token = create_token(make_member("contributor", "B"), "t", "write")[1]
    body = {
        "title": "Zqproposed cameras",
        "country": "RS",
        "locality": {"name": "Novi Sad"},
        "status": "announced",
        "certainty": "reported",
        "buyers": ["Zqa Buyer", "Zqb Buyer"],
        "source_urls": ["https://example.org/a"],
    }
    response = Client().post(
        "/api/deployments",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 202, response.content
    proposal = ChangeProposal.objects.get(key=response.json()["proposal"])
    reviewer = Client()
    reviewer.force_login(make_member("reviewer", "B"))
    page = reviewer.get(proposal.get_absolute_url())
    assert page.status_code == 200
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.content.decode())).split())
    assert "Buyers Zqa Buyer, Zqb Buyer" in text
    assert "Source addresses https://example.org/a" in text
    assert "Place Novi Sad" in text
    assert "[" not in text.split("Proposed new record", 1)[1].split("Apply", 1)[0]
