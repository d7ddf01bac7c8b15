"""The deadline calculator: the page, the API and `citywatch deadline` give the same answer,
and refuse the same bad input the same way (a form error, 422, a command error)."""

import html as html_lib
import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from ninja.testing import TestClient

from citywatch.actors.models import Organisation
from citywatch.api.foi import router
from citywatch.foi.laws import all_laws
from citywatch.foi.models import FoiLaw
from citywatch.places.models import Country, LocalHoliday, Locality

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
    early = api.get(
        "/deadline",
        query_params={"law": "es-md-10-2019", "sent": "2024-04-26", "decision": "2024-01-01"},
    )
    assert early.status_code == 422
    assert early.json()["field"] == "decision"

    with pytest.raises(CommandError, match="Unknown law xx"):
        call_command("deadline", "--law", "xx", "--sent", "2024-04-26", stdout=StringIO())
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("deadline", "--law", "es-19-2013", "--sent", "x", stdout=StringIO())


def visible_text(html: str) -> str:
    """What a reader sees: the page without its tags, attributes, scripts and styles."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", html))


def test_empty_calculator_page_lists_the_laws_without_their_ids(client):
    response = client.get("/foi/deadline/")
    assert response.status_code == 200
    html = response.content.decode()
    text = visible_text(html)
    for law in all_laws():
        assert f'href="/foi/laws/{law.id}/"' in html
        assert law.id not in text, law.id
        assert str(law.short_name) in text
    assert "Not verified" in text


def test_text_output_of_the_command():
    out = StringIO()
    call_command("deadline", "--law", "es-md-10-2019", "--sent", "2024-04-26", stdout=out)
    text = out.getvalue()
    assert "Due: 2024-05-28" in text
    assert "Fiesta de la Comunidad de Madrid" in text
    assert "Claim (reclamación) against the deemed refusal: 2024-06-28" in text
    assert "es-md-10-2019" not in text


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


# --- bad dates: every door answers like for any other bad date --------------------------------

BAD_DATES = [
    # (sent, decision, field at fault)
    ("9999-12-31", None, "sent"),  # the case of shared/cases: HTTP 500 before
    ("0001-01-01", None, "sent"),  # year 1: before the holiday data
    ("2100-12-20", None, "sent"),  # valid, but the deadline falls in 2101, beyond the data
    ("2024-04-26", "9999-12-31", "decision"),
    ("2024-04-26", "2100-12-31", "decision"),  # the appeal's last day falls in 2101
]


@pytest.mark.parametrize(("sent", "decision", "field"), BAD_DATES)
def test_dates_the_calculator_cannot_use_are_refused_by_every_door(
    client, api, sent, decision, field
):
    query = {"law": "es-19-2013", "sent": sent} | ({"decision": decision} if decision else {})
    response = api.get("/deadline", query_params=query)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["field"] == field
    assert "2100" in body["detail"]

    page = client.get("/foi/deadline/", query)
    assert page.status_code == 400
    form = page.context["form"]
    assert form.errors[field] and "2100" in form.errors[field][0]
    assert "2100" in page.content.decode()

    args = ["--law", "es-19-2013", "--sent", sent] + (["--decision", decision] if decision else [])
    with pytest.raises(CommandError, match=rf"--{field}: .*2100"):
        call_command("deadline", *args, stdout=StringIO())


@pytest.mark.parametrize(
    "bad",
    ["2024-02-30", "10000-01-01", "0000-01-01", "2024-13-01", "", "24-04-26", "2024-04-26T10:00"],
)
def test_malformed_dates_are_refused_by_every_door(client, api, bad):
    query = {"law": "es-19-2013", "sent": bad}
    assert api.get("/deadline", query_params=query).status_code == 422
    page = client.get("/foi/deadline/", query)
    assert page.status_code == 400
    assert page.context["form"].errors["sent"]
    with pytest.raises(CommandError, match="--sent"):
        call_command("deadline", "--law", "es-19-2013", "--sent", bad, stdout=StringIO())


def test_the_served_api_answers_422_for_the_far_future(client):
    response = client.get("/api/foi/deadline", {"law": "es-19-2013", "sent": "9999-12-31"})
    assert response.status_code == 422
    assert response.json()["field"] == "sent"


# --- the authority's seat ----------------------------------------------------------------


@pytest.fixture
def berlin_authority(db):
    germany = Country.objects.get(code="DE")
    return Organisation.objects.create(
        name="Bundesministerium (Berlin)",
        slug="ministry-berlin",
        kind="authority",
        country=germany,
        seat_subdivision="DE-BE",
    )


def test_page_api_and_command_agree_with_a_seat(client, api, berlin_authority):
    # IFG: received Thu 8 Feb 2024 + 1 month = Fri 8 Mar 2024, Women's Day in Berlin -> Mon 11
    # Mar 2024; the same with the region typed in; Bonn (DE-NW) keeps Fri 8 Mar.
    by_authority = {"law": "de-ifg", "sent": "2024-02-08", "authority": "ministry-berlin"}
    by_region = {"law": "de-ifg", "sent": "2024-02-08", "subdivision": "de-be"}
    for query in (by_authority, by_region):
        from_api = api.get("/deadline", query_params=query).json()
        assert from_api["due"] == "2024-03-11"
        assert from_api["seat"]["subdivision"] == "DE-BE"
        page = client.get("/foi/deadline/", query)
        assert 'datetime="2024-03-11"' in page.content.decode()
    from_command = command_json(
        "--law", "de-ifg", "--sent", "2024-02-08", "--authority", "ministry-berlin"
    )
    assert from_command == api.get("/deadline", query_params=by_authority).json()
    bonn = api.get(
        "/deadline", query_params={"law": "de-ifg", "sent": "2024-02-08", "subdivision": "DE-NW"}
    ).json()
    assert bonn["due"] == "2024-03-08"


def test_a_municipality_typed_in_brings_its_local_holidays(api, db):
    # Ley 10/2019, Madrid city: received Mon 28 Apr 2025; San Isidro (Thu 15 May 2025) entered
    # by staff moves day 20 from Wed 28 May to Thu 29 May 2025.
    madrid = Locality.objects.create(
        name="Madrid",
        country_id="ES",
        subdivision_code="ES-MD",
        latitude="40.41650",
        longitude="-3.70256",
    )
    LocalHoliday.objects.create(
        municipality=madrid,
        date="2025-05-15",
        name="San Isidro Labrador",
        source_url="https://www.bocm.es/",
    )
    query = {"law": "es-md-10-2019", "sent": "2025-04-28", "municipality": "madrid"}
    data = api.get("/deadline", query_params=query).json()
    assert data["due"] == "2025-05-29"
    assert data["seat"] == {
        "subdivision": "ES-MD",
        "municipality": "Madrid",
        "local_holiday_years": [2025],
    }
    unknown = api.get(
        "/deadline",
        query_params={"law": "es-md-10-2019", "sent": "2025-04-28", "municipality": "Getafe"},
    ).json()
    assert unknown["due"] == "2025-05-28"
    assert any("none are entered for 2025" in line for line in unknown["explanation"])


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"subdivision": "FR-75"}, "subdivision"),  # a region of another country
        ({"subdivision": "DE-XX"}, "subdivision"),  # no such region
        ({"authority": "no-such-authority"}, "authority"),
        ({"authority": "ministry-berlin", "subdivision": "DE-BE"}, "authority"),
    ],
)
def test_a_seat_that_cannot_be_used_is_refused_by_every_door(
    client, api, berlin_authority, query, field
):
    full = {"law": "de-ifg", "sent": "2024-02-08"} | query
    response = api.get("/deadline", query_params=full)
    assert response.status_code == 422
    assert response.json()["field"] == field
    page = client.get("/foi/deadline/", full)
    assert page.status_code == 400
    args = ["--law", "de-ifg", "--sent", "2024-02-08"]
    for key, value in query.items():
        args += [f"--{key}", value]
    with pytest.raises(CommandError):
        call_command("deadline", *args, stdout=StringIO())
