"""The deadline calculator: the page, the API and `citywatch deadline` give the same answer."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from ninja.testing import TestClient

from citywatch.foi.api import router
from citywatch.foi.law_catalogue import all_laws
from citywatch.foi.models import FoiLaw

pytestmark = pytest.mark.django_db

CASES = [
    # (law, sent, extended, expected due) — worked out in tests/test_foi_deadlines.py
    ("es-md-10-2019", "2024-04-26", False, "2024-05-28"),
    ("es-19-2013", "2024-01-31", True, "2024-04-01"),
    ("rs-2004", "2024-04-16", False, "2024-05-07"),
    ("gb-foia-2000", "2024-01-08", False, "2024-02-05"),
]


@pytest.fixture
def api():
    return TestClient(router)


def command_json(*args: str) -> dict:
    out = StringIO()
    call_command("deadline", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_every_catalogue_law_is_in_the_database():
    assert set(FoiLaw.objects.values_list("law_id", flat=True)) == {law.id for law in all_laws()}
    assert FoiLaw.objects.get(law_id="es-md-10-2019").subdivision == "ES-MD"
    assert not FoiLaw.objects.get(law_id="es-md-10-2019").verified
    assert not FoiLaw.objects.get(law_id="mm-none").has_law


@pytest.mark.parametrize(("law", "sent", "extended", "due"), CASES)
def test_page_api_and_command_agree(client, api, law, sent, extended, due):
    args = ["--law", law, "--sent", sent] + (["--extended"] if extended else [])
    from_command = command_json(*args)
    query = {"law": law, "sent": sent} | ({"extended": "true"} if extended else {})
    response = api.get("/deadline", query_params=query)
    assert response.status_code == 200
    from_api = response.json()
    assert from_api == from_command
    assert from_api["due"] == due

    page = client.get("/foi/deadline/", {"law": law, "sent": sent, "extended": extended or ""})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'datetime="{due}"' in html
    for line in from_api["explanation"]:
        assert line.replace("'", "&#x27;") in html, line
    for appeal in from_api["appeals"]:
        if appeal["due"]:
            assert f'datetime="{appeal["due"]}"' in html


def test_madrid_claim_deadline_after_silence(api):
    result = api.get("/deadline", query_params={"law": "es-md-10-2019", "sent": "2024-04-26"})
    appeals = {a["stage"]: a for a in result.json()["appeals"]}
    claim = appeals["madrid-council-claim-silence"]
    assert (claim["trigger"], claim["due"], claim["any_time"]) == (
        "2024-05-28",
        "2024-06-28",
        True,
    )
    # A decision-based claim has no date until the decision date is given.
    assert appeals["madrid-council-claim"]["due"] is None
    with_decision = api.get(
        "/deadline",
        query_params={"law": "es-md-10-2019", "sent": "2024-04-26", "decision": "2024-05-10"},
    ).json()
    decided = {a["stage"]: a for a in with_decision["appeals"]}["madrid-council-claim"]
    assert decided["due"] == "2024-06-10"


def test_explanation_names_the_skipped_holidays(client):
    html = client.get("/foi/deadline/", {"law": "es-md-10-2019", "sent": "2024-04-26"}).content
    text = html.decode()
    assert "Thursday 2 May 2024 skipped: holiday: Fiesta de la Comunidad de Madrid." in text
    assert "20 working days after Friday 26 April 2024 is Tuesday 28 May 2024." in text
    assert "Not verified" in text


def test_no_law_gives_an_advisory_date_everywhere(client, api):
    from_command = command_json("--law", "mm-none", "--sent", "2021-02-01")
    assert from_command["due"] is None
    assert from_command["binding"] is False
    assert from_command["advisory_date"] == "2021-03-03"
    assert api.get("/deadline", query_params={"law": "mm-none", "sent": "2021-02-01"}).json() == (
        from_command
    )
    page = client.get("/foi/deadline/", {"law": "mm-none", "sent": "2021-02-01"})
    assert "advisory only" in page.content.decode()


def test_bad_input_is_explained_not_a_crash(client, api):
    page = client.get("/foi/deadline/", {"law": "es-md-10-2019", "sent": "26/04/2024"})
    assert page.status_code == 400
    assert "Enter a date as YYYY-MM-DD" in page.content.decode()
    page = client.get("/foi/deadline/", {"law": "xx", "sent": "2024-04-26"})
    assert page.status_code == 400
    assert "Select a valid choice" in page.content.decode()
    page = client.get(
        "/foi/deadline/", {"law": "es-md-10-2019", "sent": "2024-04-26", "decision": "2024-01-01"}
    )
    assert page.status_code == 400
    assert "cannot come before the request" in page.content.decode()

    missing = api.get("/deadline", query_params={"law": "xx", "sent": "2024-04-26"})
    assert missing.status_code == 404
    assert "es-md-10-2019" in missing.json()["known_laws"]
    assert (
        api.get("/deadline", query_params={"law": "es-19-2013", "sent": "bad"}).status_code == 422
    )

    with pytest.raises(CommandError, match="Unknown law xx"):
        call_command("deadline", "--law", "xx", "--sent", "2024-04-26", stdout=StringIO())
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("deadline", "--law", "es-19-2013", "--sent", "x", stdout=StringIO())


def test_empty_calculator_page_lists_the_laws(client):
    response = client.get("/foi/deadline/")
    assert response.status_code == 200
    html = response.content.decode()
    for law in all_laws():
        assert law.id in html
    assert "Not verified" in html


def test_text_output_of_the_command():
    out = StringIO()
    call_command("deadline", "--law", "es-md-10-2019", "--sent", "2024-04-26", stdout=out)
    text = out.getvalue()
    assert "Due: 2024-05-28" in text
    assert "Fiesta de la Comunidad de Madrid" in text
    assert "Reclamación (claim) against the deemed refusal: 2024-06-28" in text


def test_the_api_serves_it_under_api_foi_deadline(client):
    query = {"law": "es-md-10-2019", "sent": "2024-04-26"}
    response = client.get("/api/foi/deadline", query)
    assert response.status_code == 200
    assert response.json() == command_json("--law", "es-md-10-2019", "--sent", "2024-04-26")
    assert "/api/foi/deadline" in client.get("/api/openapi.json").json()["paths"]


def test_the_documented_example_is_what_the_command_prints():
    from pathlib import Path

    doc = (Path(__file__).resolve().parent.parent / "docs" / "foi-desk.md").read_text()
    after = doc.split("    citywatch deadline --law es-md-10-2019 --sent 2024-04-26\n", 1)[1]
    block = after.split("```\n", 2)[1]
    out = StringIO()
    call_command("deadline", "--law", "es-md-10-2019", "--sent", "2024-04-26", stdout=out)
    printed = out.getvalue().splitlines()
    documented = [line for line in block.splitlines() if line != "..."]
    assert len(documented) > 5
    assert [line for line in documented if line not in printed] == []
