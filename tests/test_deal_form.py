"""The deal page (issue 14, item 2): a deployment with its place, parties, components, money,
events and a source beside each fact, recorded and edited on one page.

The page is used as a browser without JavaScript uses it: each test reads the form from the
page (every field with the value the page gives it) and posts it back with some fields filled.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.html
import pytest
from django.db.models.signals import post_save
from django.test import Client

from citywatch.actors.models import Organisation
from citywatch.atlas import services
from citywatch.atlas.deal_form import row_id
from citywatch.atlas.models import Component, Deployment, Event, Money, Party
from citywatch.commons.models import ChangeProposal
from citywatch.evidence.models import Citation, Source
from citywatch.places.models import Locality

pytestmark = pytest.mark.django_db

QUOTE = "fifty cameras were installed"


# --- using the page as a browser does ----------------------------------------------------


def page_form(html: str) -> dict[str, str]:
    """The deal form's values as the page gives them (templates for new rows left out)."""
    document = lxml.html.fromstring(html)
    for template in document.iter("template"):
        template.getparent().remove(template)
    form = document.get_element_by_id("deal-form")
    # A browser drops the line break that starts a textarea's content.
    return {name: value.removeprefix("\n") for name, value in form.form_values()}


def open_page(client: Client, url: str) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return page_form(response.content.decode())


def source_key(title: str) -> str:
    return str(Source.objects.get(title=title).key)


def nairobi(values: dict[str, str]) -> dict[str, str]:
    """The Nairobi example typed into the new-deployment page."""
    values.update(
        {
            "sources-0-title": "Nairobi police install Huawei cameras",
            "sources-0-url": "https://news.example.org/2021/nairobi-cameras",
            "sources-0-publisher": "Example News",
            "sources-0-published_on": "2021-06",
            "sources-0-kind": "media",
            "sources-0-visibility": "public",
            "deployment-title": "Nairobi: 50 CCTV cameras from Huawei",
            "deployment-status": "operational",
            "deployment-certainty": "reported",
            "place-country": "KE",
            "place-name": "Nairobi",
            "organisations-0-name": "Nairobi City Police",
            "organisations-0-kind": "authority",
            "organisations-0-country": "KE",
            "parties-0-organisation": "huawei",
            "parties-0-role": "supplier",
            "parties-1-organisation": "new:0",
            "parties-1-role": "buyer",
            "components-0-technology": str(technology_pk("cctv")),
            "components-0-quantity": "50",
            "components-0-unit": "cameras",
            "components-0-supplier": "huawei",
            "components-0-citations-0-source": "new:0",
            "components-0-citations-0-field_name": "quantity",
            "components-0-citations-0-quote": QUOTE,
            "components-0-citations-0-stated_value": "50",
            "events-0-date": "2021",
            "events-0-kind": "installed",
            "events-0-title": "Fifty cameras installed",
            "reason": "Reported by Example News in June 2021.",
        }
    )
    return values


def technology_pk(slug: str) -> int:
    from citywatch.atlas.models import Technology

    return Technology.objects.get(slug=slug).pk


def problems(response: Any) -> list[str]:
    """The problems the page lists at its top, as text."""
    document = lxml.html.fromstring(response.content.decode())
    items = document.xpath("//div[contains(@class, 'error-summary')]//li")
    return [" ".join(item.text_content().split()) for item in items]


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Deployment, Party, Component, Money, Event, Citation, Source, Organisation)
    } | {"Locality": Locality.objects.count(), "ChangeProposal": ChangeProposal.objects.count()}


@pytest.fixture
def people(demo, make_member) -> dict[str, Client]:
    clients = {}
    for role, team in [
        ("contributor", "A"),
        ("reviewer", "A"),
        ("contributor", "B"),
        ("reviewer", "B"),
    ]:
        client = Client()
        client.force_login(make_member(role, team))
        clients[f"{role}-{team}"] = client
    return clients


def owned_by_a(slug: str = "belgrade-safe-city") -> Deployment:
    from citywatch.teams.models import Team

    deployment = Deployment.objects.get(slug=slug)
    deployment.owner_team = Team.objects.get(slug="share")
    deployment.save()
    return deployment


# --- the Nairobi example ---------------------------------------------------------------------


def test_a_contributors_deal_becomes_one_proposal_that_a_reviewer_applies(people):
    before = counts()
    values = nairobi(open_page(people["contributor-A"], "/deployments/new/"))
    response = people["contributor-A"].post("/deployments/new/", values)
    assert response.status_code == 302, problems(response)
    assert response["Location"] == "/account/"
    after = counts()
    assert after["ChangeProposal"] == before["ChangeProposal"] + 1
    assert {k: v for k, v in after.items() if k != "ChangeProposal"} == {
        k: v for k, v in before.items() if k != "ChangeProposal"
    }  # nothing written before review

    proposal = ChangeProposal.objects.get(operation="save_deployment")
    assert proposal.team.slug == "share"
    assert proposal.reason == "Reported by Example News in June 2021."
    changes = proposal.payload["changes"]
    assert changes["components"][0]["citations"][0] == {
        "source": "new:0",
        "field_name": "quantity",
        "quote": QUOTE,
        "stated_value": "50",
        "locator": "",
    }
    # The contributor's team's reviewer reads it, and the queue counts it.
    reviewer = people["reviewer-A"]
    page = reviewer.get(f"/review/proposals/{proposal.key}/").content.decode()
    assert "Nairobi City Police (new)" in page
    assert "Source for the new component — Quantity" in page
    assert QUOTE in page
    assert "Review queue: 1 waiting" in reviewer.get("/").content.decode()
    # Another team's reviewer does not see it.
    assert people["reviewer-B"].get(f"/review/proposals/{proposal.key}/").status_code == 404

    response = reviewer.post(
        f"/review/proposals/{proposal.key}/", {"apply": "1", "seen_values": "{}"}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "applied"
    deployment = Deployment.objects.get(title="Nairobi: 50 CCTV cameras from Huawei")
    assert proposal.object_id == deployment.pk
    assert deployment.owner_team.slug == "share"
    assert deployment.locality.name == "Nairobi"
    assert deployment.locality.country_id == "KE"
    assert sorted((p.organisation.name, p.role) for p in deployment.parties.all()) == [
        ("Huawei", "supplier"),
        ("Nairobi City Police", "buyer"),
    ]
    [component] = deployment.components.all()
    assert (component.quantity, component.unit, component.supplier.slug) == (
        50,
        "cameras",
        "huawei",
    )
    [citation] = Citation.objects.filter(component=component)
    assert (citation.field_name, citation.quote, citation.stated_value) == ("quantity", QUOTE, "50")
    assert citation.source.visibility == "public"  # published by the reviewer's apply
    assert citation.source.owner_team.slug == "share"
    assert deployment.first_year == 2021

    # Anyone sees the footnote on "50 cameras".
    html = Client().get(deployment.get_absolute_url()).content.decode()
    heading = re.search(r"<h3>CCTV: 50 cameras(.*?)</h3>", html, re.S).group(1)
    number = re.search(r'href="#fn-(\d+)"', heading).group(1)
    note = html.split(f'id="fn-{number}"')[1].split("</li>")[0]
    assert QUOTE in note
    assert "Nairobi police install Huawei cameras" in note
    assert "This source states: <bdi>50</bdi>" in note


def test_a_reviewers_deal_is_saved_at_once(people):
    values = nairobi(open_page(people["reviewer-A"], "/deployments/new/"))
    response = people["reviewer-A"].post("/deployments/new/", values)
    assert response.status_code == 302, problems(response)
    deployment = Deployment.objects.get(title="Nairobi: 50 CCTV cameras from Huawei")
    assert response["Location"] == deployment.get_absolute_url()
    assert not ChangeProposal.objects.filter(operation="save_deployment").exists()
    assert deployment.history.first().history_change_reason == (
        "Reported by Example News in June 2021."
    )


# --- validated together, saved in one transaction ----------------------------------------------


def test_a_bad_row_anywhere_names_what_to_fix_and_nothing_is_saved(people):
    reviewer = people["reviewer-A"]
    before = counts()
    values = nairobi(open_page(reviewer, "/deployments/new/"))
    values.update(
        {
            "components-0-unit": "",  # a count needs its unit
            "money-0-amount": "2000000",  # an amount needs a currency
            "money-0-financing": "grant",
            "money-0-interest_rate": "2.5",  # loan terms on a grant
            "events-0-date": "2021-13",  # no 13th month
            "parties-1-role": "supplier",  # a second row, but the first is fine
            "parties-0-organisation": "no-such-organisation",
        }
    )
    response = reviewer.post("/deployments/new/", values)
    assert response.status_code == 400
    found = problems(response)
    assert any(p.startswith("Component 1, Unit: Say what the quantity counts") for p in found)
    assert any(p.startswith("Amount 1, Currency: An amount needs a currency") for p in found)
    assert any("Interest rate, maturity and grace period are for loans" in p for p in found)
    assert any(p.startswith("Event 1, Date: Enter a date as YYYY") for p in found)
    assert any(p.startswith("Party 1, Organisation: Select a valid choice") for p in found)
    assert counts() == before
    # What was typed is kept.
    kept = page_form(response.content.decode())
    assert kept["components-0-citations-0-quote"] == QUOTE
    assert kept["sources-0-title"] == "Nairobi police install Huawei cameras"


def test_problems_that_need_the_database_are_named_with_the_others(people):
    """A place the list cannot tell apart, a party named twice, a new source picked but left
    empty: named at once, beside their fields, with the plain field problems."""
    reviewer = people["reviewer-A"]
    before = counts()
    values = nairobi(open_page(reviewer, "/deployments/new/"))
    for field in ("title", "url", "publisher", "published_on", "kind"):
        values[f"sources-0-{field}"] = ""  # the new source left empty, yet picked below
    values.update(
        {
            "place-country": "US",
            "place-name": "Salem",  # Oregon, Massachusetts, ...
            "parties-1-organisation": "huawei",
            "parties-1-role": "supplier",  # Huawei is already the supplier (row 1)
            "events-0-date": "someday",
        }
    )
    response = reviewer.post("/deployments/new/", values)
    assert response.status_code == 400
    found = problems(response)
    assert any(p.startswith("Place, Place: ambiguous place") and "US-MA" in p for p in found)
    assert "Party 2, Role: Huawei (Vendor) already has this role in this deal." in found
    assert (
        "Component 1, source 1, Source: That new source is not filled in: give its title, "
        "or pick another." in found
    )
    assert any(p.startswith("Event 1, Date: Enter a date") for p in found)
    assert counts() == before


def test_the_write_itself_names_every_problem_by_where_it_is(people, django_user_model):
    """atlas.services checks everything again (the API, imports and proposals call it without
    the page): every problem of the change, by path, and nothing written."""
    from django.core.exceptions import ValidationError

    from citywatch.teams.models import Team

    reviewer = django_user_model.objects.get(username="reviewer-A")
    changes = {
        "deployment": {"title": "", "status": "sold", "certainty": "reported"},
        "place": {"country": "US", "name": "Salem"},
        "parties": [
            {"organisation": "huawei", "role": "supplier"},
            {"organisation": "huawei", "role": "supplier"},
        ],
        "components": [
            {
                "technology": "cctv",
                "quantity": "50",
                "citations": [{"source": "new:0", "field_name": "title", "quote": QUOTE}],
            }
        ],
        "citations": [{"source": "new:0", "field_name": "quantity"}],
    }
    before = counts()
    with pytest.raises(ValidationError) as refused:
        services.create_deployment(changes, team=Team.objects.get(slug="share"), by=reviewer)
    found = refused.value.message_dict
    assert found["deployment.title"] == ["This field cannot be blank."]
    assert found["deployment.status"] == ["Value 'sold' is not a valid choice."]
    assert found["place.name"][0].startswith("ambiguous place: ")
    assert found["parties.1.role"] == ["Huawei already has this role in this deal."]
    assert found["components.0.unit"] == ["Say what the quantity counts, e.g. cameras."]
    assert found["components.0.citations.0.source"] == [
        "That new source is not filled in: give its title."
    ]
    assert found["components.0.citations.0.field_name"][0].startswith(
        "A source of a component can back Quantity, Planned quantity"
    )
    assert found["citations.0.field_name"] == [
        "A source of a deployment can back Status, Locality, or the record as a whole; "
        "not quantity."
    ]
    assert counts() == before


def test_one_transaction_keeps_nothing_when_the_last_write_fails(people, django_user_model):
    """A failure while saving the last citation leaves no source, organisation, place,
    deployment or part behind."""
    from citywatch.teams.models import Team

    reviewer = django_user_model.objects.get(username="reviewer-B")
    changes = {
        "deployment": {"title": "Nairobi", "status": "operational", "certainty": "reported"},
        "place": {"country": "KE", "name": "Nairobi"},
        "sources": [{"ref": "0", "title": "Report", "kind": "media"}],
        "organisations": [{"ref": "0", "name": "Nairobi City Police", "kind": "authority"}],
        "parties": [{"organisation": "new:0", "role": "buyer"}],
        "components": [
            {
                "technology": "cctv",
                "quantity": 50,
                "unit": "cameras",
                "citations": [{"source": "new:0", "field_name": "quantity", "quote": QUOTE}],
            }
        ],
    }
    before = counts()

    def refuse(sender: Any, instance: Citation, **kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    post_save.connect(refuse, sender=Citation)
    try:
        with pytest.raises(RuntimeError):
            services.create_deployment(
                changes, team=Team.objects.get(slug="unwanted-witness"), by=reviewer
            )
    finally:
        post_save.disconnect(refuse, sender=Citation)
    assert counts() == before
    assert not Locality.objects.filter(name="Nairobi").exists()
    # The same change saves when nothing fails.
    deployment = services.create_deployment(
        changes, team=Team.objects.get(slug="unwanted-witness"), by=reviewer
    )
    assert Citation.objects.filter(component__deployment=deployment).count() == 1


def test_adding_a_row_without_javascript_saves_nothing_and_keeps_what_was_typed(people):
    client = people["contributor-A"]
    values = open_page(client, "/deployments/new/")
    values["deployment-title"] = "Half typed"
    values["more"] = "components"
    before = counts()
    response = client.post("/deployments/new/", values)
    assert response.status_code == 200
    assert counts() == before
    again = page_form(response.content.decode())
    assert again["deployment-title"] == "Half typed"
    assert again["components-TOTAL_FORMS"] == "2"
    # The new row is a fresh row with its defaults and its own sources, not judged yet.
    assert again["components-1-certainty"] == "reported"
    assert again["components-1-citations-TOTAL_FORMS"] == "1"
    assert problems(response) == []
    # And a source beside an existing row.
    again["more"] = "components-0-citations"
    response = client.post("/deployments/new/", again)
    assert page_form(response.content.decode())["components-0-citations-TOTAL_FORMS"] == "2"


# --- editing ---------------------------------------------------------------------------------


def test_a_reviewer_edits_parts_and_sources_on_one_page(people):
    deployment = owned_by_a()
    reviewer = people["reviewer-A"]
    values = open_page(reviewer, "/deployments/belgrade-safe-city/edit/")
    component = deployment.components.get()
    index = next(
        key.split("-")[1]
        for key, value in values.items()
        if re.fullmatch(r"components-\d+-id", key) and value == row_id("component", component.pk)
    )
    party = deployment.parties.get(role="supplier")
    party_index = next(
        key.split("-")[1]
        for key, value in values.items()
        if re.fullmatch(r"parties-\d+-id", key) and value == row_id("party", party.pk)
    )
    assert values[f"components-{index}-quantity"] == "1000"
    cites = f"components-{index}-citations"
    total = int(values[f"{cites}-TOTAL_FORMS"])
    values.update(
        {
            f"components-{index}-planned_quantity": "8100",
            f"{cites}-TOTAL_FORMS": str(total + 1),
            f"{cites}-{total}-source": source_key("Mapping Huawei’s Smart Cities creep"),
            f"{cites}-{total}-field_name": "planned_quantity",
            f"{cites}-{total}-quote": "In early 2019, the Minister of Interior and the Police "
            "Director announced that Belgrade will receive “a thousand” smart surveillance "
            "cameras with face and license plate recognition capabilities.",
            f"parties-{party_index}-DELETE": "on",
            "save": "1",
        }
    )
    response = reviewer.post("/deployments/belgrade-safe-city/edit/", values)
    assert response.status_code == 302, problems(response)
    component.refresh_from_db()
    assert component.planned_quantity == 8100
    assert component.quantity == 1000  # untouched
    assert Citation.objects.filter(component=component, field_name="planned_quantity").count() == 1
    assert not Party.objects.filter(pk=party.pk).exists()
    assert not Citation.objects.filter(party=party.pk).exists()


def test_a_contributors_edit_proposes_only_what_changed_and_refuses_stale_values(people):
    deployment = owned_by_a()
    contributor = people["contributor-A"]
    values = open_page(contributor, "/deployments/belgrade-safe-city/edit/")
    values["deployment-status"] = "operational"
    values["save"] = "1"
    response = contributor.post("/deployments/belgrade-safe-city/edit/", values)
    assert response.status_code == 302, problems(response)
    proposal = ChangeProposal.objects.get(operation="save_deployment")
    assert proposal.object_id == deployment.pk
    assert proposal.payload["changes"] == {
        "deployment": {"status": "operational"},
        "was": {"status": deployment.status},
    }
    deployment.refresh_from_db()
    assert deployment.status != "operational"
    page = people["reviewer-A"].get(f"/review/proposals/{proposal.key}/").content.decode()
    assert f"{deployment.get_status_display()} → Operational" in page
    # The record changes before review: applying now would overwrite it, so it is refused.
    Deployment.objects.filter(pk=deployment.pk).update(status="suspended")
    response = people["reviewer-A"].post(
        f"/review/proposals/{proposal.key}/", {"apply": "1", "seen_values": "{}"}, follow=True
    )
    assert "This changed since the change was made" in response.content.decode()
    deployment.refresh_from_db()
    assert deployment.status == "suspended"


def test_an_edit_that_changes_nothing_is_refused(people):
    owned_by_a()
    reviewer = people["reviewer-A"]
    values = open_page(reviewer, "/deployments/belgrade-safe-city/edit/")
    values["save"] = "1"
    response = reviewer.post("/deployments/belgrade-safe-city/edit/", values)
    assert response.status_code == 400
    assert "Nothing changed" in response.content.decode()


# --- permissions ----------------------------------------------------------------------------


def test_another_teams_contributor_cannot_edit(people):
    owned_by_a()
    before = counts()
    for who in ("contributor-B", "reviewer-B"):
        client = people[who]
        assert client.get("/deployments/belgrade-safe-city/edit/").status_code == 403
        values = open_page(people["reviewer-A"], "/deployments/belgrade-safe-city/edit/")
        values.update({"deployment-title": "Taken over", "save": "1"})
        assert client.post("/deployments/belgrade-safe-city/edit/", values).status_code == 403
    assert counts() == before
    assert "Taken over" not in Deployment.objects.values_list("title", flat=True)
    # The deployment page offers them no edit button; its own team does.
    assert (
        "/edit/"
        not in people["contributor-B"].get("/deployments/belgrade-safe-city/").content.decode()
    )
    own = people["contributor-A"].get("/deployments/belgrade-safe-city/").content.decode()
    assert 'href="/deployments/belgrade-safe-city/edit/">Propose an edit</a>' in own
    own = people["reviewer-A"].get("/deployments/belgrade-safe-city/").content.decode()
    assert 'href="/deployments/belgrade-safe-city/edit/">Edit</a>' in own


def test_visitors_and_members_without_a_role_get_no_page(demo, django_user_model):
    assert Client().get("/deployments/new/").status_code == 302  # to the login page
    member = django_user_model.objects.create_user("member", "m@example.org", "x" * 16)
    client = Client()
    client.force_login(member)
    assert client.get("/deployments/new/").status_code == 403
    assert client.get("/places/search.json?country=KE&q=nai").status_code == 403


def test_the_form_offers_nothing_hidden_and_refuses_it_when_posted(people):
    """Team A's private source and the vendor only its private deal names are neither in
    team B's lists nor accepted from them."""
    from citywatch.teams.models import Team

    team_a = Team.objects.get(slug="share")
    secret_vendor = Organisation.objects.create(
        name="Secret Vendor Ltd", slug="secret-vendor", kind="vendor"
    )
    private = Deployment.objects.create(
        title="Private deal",
        slug="private-deal",
        country_id="RS",
        status="announced",
        certainty="reported",
        visibility="private",
        owner_team=team_a,
    )
    Party.objects.create(deployment=private, organisation=secret_vendor, role="supplier")
    secret_source = Source.objects.create(
        title="Secret leak", kind="leak", visibility="private", owner_team=team_a
    )
    html = people["contributor-B"].get("/deployments/new/").content.decode()
    assert "Secret Vendor Ltd" not in html and "secret-vendor" not in html
    assert "Secret leak" not in html and str(secret_source.key) not in html
    own = people["contributor-A"].get("/deployments/new/").content.decode()
    assert "Secret Vendor Ltd" in own and "Secret leak" in own  # the control

    # Posted anyway, straight to the write: refused, by path.
    changes = {
        "deployment": {"title": "X", "status": "announced", "certainty": "reported"},
        "place": {"country": "RS", "nationwide": True},
        "parties": [{"organisation": "secret-vendor", "role": "supplier"}],
        "citations": [{"source": str(secret_source.key), "quote": "q"}],
    }
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    contributor_b = get_user_model().objects.get(username="contributor-B")
    with pytest.raises(ValidationError) as refused:
        services.check_deployment_changes(
            changes, team=Team.objects.get(slug="unwanted-witness"), by=contributor_b
        )
    assert refused.value.message_dict == {
        "parties.0.organisation": ["Unknown organisation: pick one in the list."],
        "citations.0.source": ["Unknown source: pick one in the list."],
    }
    # Nor may team B's contributor propose a deal for team A.
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.check_deployment_changes(changes, team=team_a, by=contributor_b)


def test_a_new_deployment_asks_which_team_when_there_are_several(people, django_user_model):
    from citywatch.teams.models import Membership, Team

    user = django_user_model.objects.get(username="contributor-A")
    Membership.objects.create(
        team=Team.objects.get(slug="unwanted-witness"), user=user, role="contributor"
    )
    client = Client()
    client.force_login(user)
    values = open_page(client, "/deployments/new/")
    assert "deployment-team" in values
    values = nairobi(values)
    values["deployment-team"] = ""
    response = client.post("/deployments/new/", values)
    assert any(p.startswith("The deal, Team: This field is required") for p in problems(response))
    values["deployment-team"] = "unwanted-witness"
    assert client.post("/deployments/new/", values).status_code == 302
    assert ChangeProposal.objects.get(operation="save_deployment").team.slug == "unwanted-witness"


# --- the place ------------------------------------------------------------------------------


def test_a_known_place_is_matched_and_a_country_wide_deal_has_none(people):
    reviewer = people["reviewer-A"]
    kampala = Locality.objects.get(name="Kampala")
    values = nairobi(open_page(reviewer, "/deployments/new/"))
    values.update({"place-country": "UG", "place-name": "kampála", "deployment-title": "Kampala"})
    assert reviewer.post("/deployments/new/", values).status_code == 302
    assert Deployment.objects.get(title="Kampala").locality == kampala
    values = nairobi(open_page(reviewer, "/deployments/new/"))
    values.update(
        {
            "place-country": "UG",
            "place-name": "",
            "place-nationwide": "on",
            "deployment-title": "Uganda",
            "sources-0-url": "https://news.example.org/uganda",
            "organisations-0-name": "Uganda City Police",
        }
    )
    response = reviewer.post("/deployments/new/", values)
    assert response.status_code == 302, problems(response)
    assert Deployment.objects.get(title="Uganda").locality is None


def test_the_place_search_finds_by_the_start_of_a_name_and_by_a_point(people):
    client = people["contributor-A"]
    found = client.get("/places/search.json?country=KE&q=nairó").json()["places"]
    assert found[0]["name"] == "Nairobi"
    assert found[0]["latitude"].startswith("-1.28")
    near = client.get("/places/search.json?country=KE&lat=-1.29&lon=36.82").json()["places"]
    assert near[0]["name"] == "Nairobi" and near[0]["km"] < 2
    assert client.get("/places/search.json?country=KE&q=n").json()["places"] == []
    assert client.get("/places/search.json?country=ZZ&q=nai").status_code == 400
    assert client.get("/places/search.json?country=KE&lat=x&lon=1").status_code == 400
    assert client.get("/places/search.json?country=KE&lat=nan&lon=1").status_code == 400


def test_new_is_never_a_deployments_slug(people):
    values = nairobi(open_page(people["reviewer-A"], "/deployments/new/"))
    values["deployment-title"] = "New"
    response = people["reviewer-A"].post("/deployments/new/", values)
    deployment = Deployment.objects.get(title="New")
    assert deployment.slug != "new"
    assert response["Location"] == deployment.get_absolute_url()


# --- the account menu -----------------------------------------------------------------------


def test_the_account_menu_offers_what_each_may_do(people, admin_client):
    menu = re.compile(r'<ul class="menu-list">(.*?)</ul>', re.S)
    contributor = menu.search(people["contributor-A"].get("/").content.decode()).group(1)
    assert "/deployments/new/" in contributor
    assert "/review/" not in contributor and "/admin/" not in contributor
    reviewer = menu.search(people["reviewer-A"].get("/").content.decode()).group(1)
    assert "Review queue: 0 waiting" in reviewer
    admin = menu.search(admin_client.get("/").content.decode()).group(1)
    assert 'href="/admin/"' in admin and "Admin (housekeeping)" in admin
    assert "menu-list" not in Client().get("/").content.decode()


def test_an_unchanged_place_is_not_placed_again(people):
    """A deal whose place the list could no longer place as stored (here a region code that
    is not one) can still be edited: only a changed place is placed again."""
    deployment = owned_by_a()
    Locality.objects.filter(pk=deployment.locality_id).update(subdivision_code="RS-99")
    reviewer = people["reviewer-A"]
    values = open_page(reviewer, "/deployments/belgrade-safe-city/edit/")
    values.update({"deployment-status": "operational", "save": "1"})
    response = reviewer.post("/deployments/belgrade-safe-city/edit/", values)
    assert response.status_code == 302, problems(response)
    deployment.refresh_from_db()
    assert deployment.status == "operational"
    values = open_page(reviewer, "/deployments/belgrade-safe-city/edit/")
    values.update({"place-subdivision": "RS-98", "save": "1"})  # changed: placed again
    response = reviewer.post("/deployments/belgrade-safe-city/edit/", values)
    assert response.status_code == 400
    assert any(
        p.startswith("Place, Place: RS-98 is not a first-level region") for p in problems(response)
    )
