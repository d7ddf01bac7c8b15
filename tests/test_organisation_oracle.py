"""No door that creates or matches organisations tells whether a hidden organisation (one
named only by records the asker may not see) exists (review: "Zqshell Ltd" got
``zqshell-ltd-2``, an unknown name ``zqshell-ltd``; the CSV importer linked a row's supplier to
a private deal's supplier by name).

Every door answers alike for the name of a hidden organisation and an unknown name: the same
slug pattern, the same report, the same status code; importers never link to a hidden
organisation; the hidden organisation's team still finds it (``atlas.services``:
``free_organisation_slug`` and ``move_organisation``)."""

from __future__ import annotations

import json
import re
import uuid

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from permission_fixtures import client_for

from citywatch.actors.models import Organisation
from citywatch.api.services import create_token
from citywatch.atlas import services
from citywatch.atlas.models import Deployment, Party
from citywatch.commons.models import ChangeProposal
from citywatch.core.change_reasons import ADDRESS_GIVEN_UP
from citywatch.core.slugs import slug_text
from citywatch.exchange import exports
from citywatch.research import search, suggestions
from citywatch.teams import permissions

pytestmark = pytest.mark.django_db

HIDDEN_NAME = "Zqshell Ltd"
HIDDEN_ALIAS = "Zqshell Limited"
UNKNOWN_NAME = "Zqother Ltd"
UNKNOWN_ALIAS = "Zqother Limited"
RANDOM_SUFFIX = re.compile(r"^(?P<base>.+)--[a-z2-7]{6}$")


def private_deal(team, title: str = "Zqsecret deal") -> Deployment:
    deployment = Deployment(
        title=title,
        country_id="RS",
        status="announced",
        certainty="reported",
        visibility="private",
        owner_team=team,
    )
    services.save_record(deployment, by=permissions.INTERNAL)
    return deployment


def name_in(deployment: Deployment, organisation: Organisation, role: str = "supplier") -> None:
    party = Party(deployment=deployment, organisation=organisation, role=role, certainty="reported")
    services.save_record(party, by=permissions.INTERNAL)


@pytest.fixture
def hidden(demo, teams):
    """The supplier of team A's private deal, at its name's plain slug (as organisations were
    made before), named by nothing else."""
    organisation = Organisation.objects.create(
        name=HIDDEN_NAME,
        slug=slug_text(HIDDEN_NAME),
        kind="vendor",
        aliases=HIDDEN_ALIAS,
        description="Shell company behind the private deal.",
    )
    name_in(private_deal(teams["A"]), organisation)
    assert not permissions.can_view(None, organisation)
    return organisation


def snapshot(organisation: Organisation) -> dict:
    """What a door must not change in a hidden organisation: all but its slug; its parties."""
    organisation.refresh_from_db()
    fields = {
        field.attname: getattr(organisation, field.attname)
        for field in Organisation._meta.concrete_fields
        if field.attname not in ("slug", "updated_at")
    }
    parties = sorted(
        Party.objects.filter(organisation=organisation).values_list("deployment_id", "role")
    )
    return {"fields": fields, "parties": parties}


def assert_untouched(organisation: Organisation, before: dict) -> None:
    """Unchanged but for its slug, which is its former one or one moved away from it."""
    former = slug_text(HIDDEN_NAME)
    assert snapshot(organisation) == before
    assert organisation.slug == former or (
        RANDOM_SUFFIX.match(organisation.slug).group("base") == former
    )
    reasons = set(organisation.history.values_list("history_change_reason", flat=True))
    assert reasons <= {None, ADDRESS_GIVEN_UP}


def problems(response) -> list[str]:
    from test_deal_form import problems as listed

    return listed(response)


def shape(text: str, *names: str) -> str:
    """An answer with each name (and its slug) written as a placeholder."""
    for number, name in enumerate(names):
        text = text.replace(slug_text(name), f"<slug{number}>").replace(name, f"<name{number}>")
    return text


# --- the slug itself ---------------------------------------------------------------------------


def test_a_hidden_organisations_name_gets_the_slug_an_unknown_name_gets(hidden):
    before = snapshot(hidden)
    assert services.free_organisation_slug(UNKNOWN_NAME) == slug_text(UNKNOWN_NAME)
    assert services.free_organisation_slug(HIDDEN_NAME) == slug_text(HIDDEN_NAME)
    hidden.refresh_from_db()
    assert RANDOM_SUFFIX.match(hidden.slug).group("base") == slug_text(HIDDEN_NAME)
    assert_untouched(hidden, before)
    latest = hidden.history.first()
    assert (latest.slug, latest.history_change_reason) == (hidden.slug, ADDRESS_GIVEN_UP)
    assert hidden.history.filter(slug=slug_text(HIDDEN_NAME)).exists()


def test_numbered_slugs_count_only_public_organisations(demo, teams):
    Organisation.objects.create(name="Zqpub", slug="zqpub", kind="vendor")  # named by nothing
    expected = services.free_organisation_slug("Zqpub")
    assert expected == "zqpub-2"
    behind = Organisation.objects.create(name="Zqpub", slug="zqpub-2", kind="vendor")
    name_in(private_deal(teams["A"]), behind)
    assert services.free_organisation_slug("Zqpub") == expected
    behind.refresh_from_db()
    assert RANDOM_SUFFIX.match(behind.slug).group("base") == "zqpub-2"


def test_public_and_unnamed_organisations_keep_their_slugs(demo, teams):
    public = Organisation.objects.get(slug="huawei")
    assert permissions.can_view(None, public)
    assert services.free_organisation_slug("Huawei") == "huawei-2"
    public.refresh_from_db()
    assert public.slug == "huawei"


def test_a_partners_only_organisation_moves_too(demo, teams):
    """The slug a name gets depends on public records only, whoever asks: an organisation only
    partners see moves as well, so an insider's new organisation never gets a "-2" that
    tells the public something hides at the plain slug."""
    partners = Organisation.objects.create(name=HIDDEN_NAME, slug="zqshell-ltd", kind="vendor")
    deal = private_deal(teams["A"])
    deal.visibility = "partners"
    services.save_record(deal, by=permissions.INTERNAL)
    name_in(deal, partners)
    assert services.free_organisation_slug(HIDDEN_NAME) == "zqshell-ltd"
    partners.refresh_from_db()
    assert partners.slug != "zqshell-ltd"


# --- the deal page ------------------------------------------------------------------------------


def deal_values(client: Client, url: str, title: str, organisation: str) -> dict[str, str]:
    from test_deal_form import open_page

    values = open_page(client, url)
    values.update(
        {
            "deployment-title": title,
            "deployment-status": "announced",
            "deployment-certainty": "reported",
            "deployment-visibility": "public",
            "place-country": "RS",
            "place-nationwide": "on",
            "organisations-0-name": organisation,
            "organisations-0-kind": "vendor",
            "parties-0-organisation": "new:0",
            "parties-0-role": "supplier",
            "reason": "Probe.",
            "save": "1",
        }
    )
    for rows in ("organisations", "parties"):
        key = f"{rows}-TOTAL_FORMS"
        values[key] = str(max(1, int(values.get(key) or 0)))
    # A row the edit page of a deal with no parties does not have yet (as its script adds it).
    values.setdefault("parties-0-certainty", "reported")
    values.setdefault("parties-0-citations-TOTAL_FORMS", "0")
    values.setdefault("parties-0-citations-INITIAL_FORMS", "0")
    return values


@pytest.mark.parametrize("role", ["contributor", "reviewer"])
def test_the_new_deal_page_answers_alike(hidden, make_member, role):
    before = snapshot(hidden)
    client = client_for(make_member(role, "B"))
    answers = []
    for number, name in enumerate((HIDDEN_NAME, UNKNOWN_NAME)):
        title = f"Zqprobe deal {number}"
        values = deal_values(client, "/deployments/new/", title, name)
        response = client.post("/deployments/new/", values)
        assert response.status_code == 302, response.content.decode()[:3000]
        answer = [shape(response["Location"], title)]
        if role == "reviewer":
            supplier = Deployment.objects.get(title=title).parties.get().organisation
            assert supplier != hidden
            answer.append(shape(supplier.slug, name))
        answers.append(answer)
    assert answers[0] == answers[1]
    if role == "reviewer":
        assert answers[0][1] == "<slug0>"
    assert_untouched(hidden, before)


def test_the_edit_page_answers_alike(hidden, make_member, teams):
    client = client_for(make_member("reviewer", "B"))
    answers = []
    for number, name in enumerate((HIDDEN_NAME, UNKNOWN_NAME)):
        title = f"Zqprobe deal {number}"
        deployment = Deployment(
            title=title,
            country_id="RS",
            status="announced",
            certainty="reported",
            owner_team=teams["B"],
        )
        services.save_record(deployment, by=permissions.INTERNAL)
        url = f"/deployments/{deployment.slug}/edit/"
        response = client.post(url, deal_values(client, url, title, name))
        assert response.status_code == 302, problems(response)
        supplier = deployment.parties.get().organisation
        assert supplier != hidden
        answers.append((shape(response["Location"], title), shape(supplier.slug, name)))
    assert answers[0] == answers[1]
    assert answers[0][1] == "<slug0>"


# --- the API ------------------------------------------------------------------------------------


def test_the_api_answers_alike(hidden, make_member):
    before = snapshot(hidden)
    token = create_token(make_member("reviewer", "B"), "b", "write")[1]
    answers = []
    for number, name in enumerate((HIDDEN_NAME, UNKNOWN_NAME)):
        title = f"Zqprobe deal {number}"
        body = {
            "title": title,
            "country": "RS",
            "status": "announced",
            "certainty": "reported",
            "suppliers": [name],
        }
        response = Client().post(
            "/api/deployments",
            json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        data = response.json()
        for key in ("updated_at", "last_changed", "id"):
            data.pop(key, None)
        answers.append((response.status_code, shape(json.dumps(data, sort_keys=True), title, name)))
        supplier = Deployment.objects.get(title=title).parties.get().organisation
        assert supplier != hidden and supplier.slug == slug_text(name)
    assert answers[0] == answers[1]
    assert answers[0][0] == 201
    assert_untouched(hidden, before)


@pytest.mark.parametrize("given", ["name", "slug", "alias"])
def test_the_api_never_links_a_hidden_organisation(hidden, make_member, given):
    token = create_token(make_member("reviewer", "B"), "b", "write")[1]
    supplier = {"name": HIDDEN_NAME, "slug": hidden.slug, "alias": HIDDEN_ALIAS}[given]
    body = {"title": "Zqprobe deal", "country": "RS", "status": "announced",
            "certainty": "reported", "suppliers": [supplier]}  # fmt: skip
    response = Client().post(
        "/api/deployments",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201
    linked = Deployment.objects.get(title="Zqprobe deal").parties.get().organisation
    assert linked != hidden and linked.slug == slug_text(supplier)


# --- the imports --------------------------------------------------------------------------------


def csv_file(name: str, title: str) -> SimpleUploadedFile:
    text = f"title,country,status,certainty,suppliers\n{title},RS,announced,reported,{name}\n"
    return SimpleUploadedFile("deals.csv", text.encode(), "text/csv")


def eff_atlas_file(name: str, title: str) -> SimpleUploadedFile:
    header = (
        "AOSNUMBER,City,County,State,Agency,Type of LEA,Summary,Type of Juris,Technology,"
        "TECH ABV,Vendor,Link 1,Link 1 Snapshot,Link 1 Source,Link 1 Type,Link 1 Date,"
        "Link 2,Link 2 Snapshot,Link 2 Source,Link 2 Type,Link 2 Date,Link 3,Link 3 Snapshot,"
        "Link 3 Source,Link 3 Type,Link 3 Date,Other Links"
    )
    row = (
        f"AOS{abs(hash(title)) % 10**6:06d},Woodstock,,VA,{title},Police,"
        f"Body cameras.,Municipal,Body-worn Cameras,BWC,{name}" + "," * 16
    )
    return SimpleUploadedFile("atlas.csv", f"{header}\n{row}\n".encode(), "text/csv")


def json_file(name: str, title: str) -> SimpleUploadedFile:
    data = json.loads(exports.export("citywatch.json").content)
    organisation = {"id": str(uuid.uuid4()), "slug": slug_text(name), "name": name,
                    "kind": "vendor"}  # fmt: skip
    item = dict(data["deployments"][0])
    item.update({"id": str(uuid.uuid4()), "slug": slug_text(title), "title": title})
    for key in ("visibility", "embargo_until", "citations", "locality"):
        item.pop(key, None)
    for part in ("components", "money", "events", "claims"):
        item[part] = []
    item["parties"] = [{"organisation": organisation["id"], "role": "supplier"}]
    kept = {key: [] for key, value in data.items() if isinstance(value, list)}
    kept.update({key: value for key, value in data.items() if not isinstance(value, list)})
    kept["organisations"] = [organisation]
    kept["deployments"] = [item]
    return SimpleUploadedFile("deals.json", json.dumps(kept).encode(), "application/json")


def import_answer(client: Client, upload: SimpleUploadedFile, action: str) -> tuple[int, str]:
    response = client.post("/imports/", {"file": upload, "scheme": "share", action: "1"})
    document = lxml.html.fromstring(response.content.decode())
    main = document.xpath("//main")[0]
    for form in main.xpath(".//form"):
        form.getparent().remove(form)
    return response.status_code, " ".join(main.text_content().split())


@pytest.mark.parametrize("action", ["check", "apply"])
@pytest.mark.parametrize(
    "make_file", [csv_file, eff_atlas_file, json_file], ids=["csv", "eff-atlas", "citywatch.json"]
)
def test_imports_answer_alike_and_never_link_a_hidden_organisation(
    hidden, make_member, action, make_file
):
    before = snapshot(hidden)
    client = client_for(make_member("reviewer", "B"))
    answers = []
    for number, name in enumerate((HIDDEN_NAME, UNKNOWN_NAME)):
        title = f"Zqprobe deal {number}"
        # Each file into the same atlas: what the first creates (a place, the EFF Atlas
        # source) would be found by the second.
        with transaction.atomic():
            status, text = import_answer(client, make_file(name, title), action)
            answers.append((status, shape(text, title, name)))
            if action == "apply":
                deployment = Deployment.objects.get(title__startswith=title)
                supplier = deployment.parties.get(role="supplier").organisation
                assert supplier != hidden
                assert supplier.slug == slug_text(name)
                hidden.refresh_from_db()
                assert bool(RANDOM_SUFFIX.match(hidden.slug)) == (name == HIDDEN_NAME)
            transaction.set_rollback(True)
    assert answers[0] == answers[1]
    assert answers[0][0] == 200
    assert "<slug1>" in answers[0][1]  # the report names the new organisation
    assert_untouched(hidden, before)


@pytest.mark.parametrize("given", [HIDDEN_ALIAS, HIDDEN_NAME.upper()])
def test_the_csv_importer_never_matches_a_hidden_organisation_by_alias_or_name(
    hidden, make_member, given
):
    before = snapshot(hidden)
    client = client_for(make_member("reviewer", "B"))
    status, _text = import_answer(client, csv_file(given, "Zqprobe deal"), "apply")
    assert status == 200
    supplier = Deployment.objects.get(title="Zqprobe deal").parties.get().organisation
    assert supplier != hidden and supplier.name == given
    assert_untouched(hidden, before)


def test_the_hidden_organisations_team_still_matches_it(hidden, make_member):
    client = client_for(make_member("reviewer", "A"))
    status, _text = import_answer(client, csv_file(HIDDEN_ALIAS, "Zqprobe deal"), "apply")
    assert status == 200
    assert Deployment.objects.get(title="Zqprobe deal").parties.get().organisation == hidden


# --- its team still finds it --------------------------------------------------------------------


def test_the_team_finds_a_moved_organisation_and_nobody_else_does(hidden, make_member):
    former = hidden.get_absolute_url()
    member = client_for(make_member("viewer", "A"))
    outsider = client_for(make_member("reviewer", "B"))
    assert member.get(former).status_code == 200
    assert outsider.get(former).status_code == 404
    assert Client().get(former).status_code == 404

    services.free_organisation_slug(HIDDEN_NAME)
    newcomer = Organisation.objects.create(
        name=HIDDEN_NAME, slug=slug_text(HIDDEN_NAME), kind="vendor"
    )
    hidden.refresh_from_db()
    moved = hidden.get_absolute_url()
    assert member.get(moved).status_code == 200
    assert outsider.get(moved).status_code == 404
    assert Client().get(moved).status_code == 404
    # The new organisation's page: its team is told where theirs went; nobody else is.
    assert moved in member.get(former).content.decode()
    for client in (outsider, Client()):
        page = client.get(former)
        assert page.status_code == 200
        assert moved not in page.content.decode()
    # Once the slug is free again, it leads the team to their organisation.
    newcomer.delete()
    response = member.get(former)
    assert (response.status_code, response["Location"]) == (302, moved)
    assert outsider.get(former).status_code == 404
    assert Client().get(former).status_code == 404


def test_pending_proposals_follow_a_moved_organisation(hidden, make_member, teams):
    """A contributor of team A proposed naming the hidden supplier (by its slug) in another
    deal; the supplier moves before review; applying the proposal still names it."""
    from citywatch.commons.deal_writes import save_or_propose
    from citywatch.commons.services import apply_proposal

    deal = hidden.parties.get().deployment
    contributor = make_member("contributor", "A")
    changes = {
        "deployment": {"title": "Zqsecond deal", "status": "announced", "certainty": "reported",
                       "visibility": "private"},
        "place": {"country": "RS", "nationwide": True},
        "parties": [{"organisation": hidden.slug, "role": "supplier"}],
    }  # fmt: skip
    proposal = save_or_propose(
        changes, deployment=None, team=teams["A"], user=contributor, reason="Probe."
    ).proposal
    assert proposal is not None
    services.free_organisation_slug(HIDDEN_NAME)
    newcomer = Organisation.objects.create(
        name=HIDDEN_NAME, slug=slug_text(HIDDEN_NAME), kind="vendor"
    )
    hidden.refresh_from_db()
    proposal = ChangeProposal.objects.get(pk=proposal.pk)
    assert proposal.payload["changes"]["parties"][0]["organisation"] == hidden.slug
    created = apply_proposal(proposal, reviewer=make_member("reviewer", "A"), seen_values={})
    assert created.parties.get().organisation == hidden
    assert deal.parties.get().organisation == hidden
    assert not newcomer.parties.exists()


# --- other doors that match organisations by name -----------------------------------------------


def test_fact_suggestions_offer_only_organisations_the_user_may_see(hidden, make_member):
    text = f"The city signed a contract with {HIDDEN_NAME} for cameras."

    def organisations(user) -> list[str]:
        return [s.canonical for s in suggestions.suggest(text, user=user)
                if s.kind == suggestions.ORGANISATION]  # fmt: skip

    assert organisations(make_member("reviewer", "B")) == []
    assert organisations(None) == []
    assert organisations(make_member("viewer", "A")) == [hidden.slug]


def test_the_search_vendor_filter_treats_a_hidden_organisation_as_unknown(hidden, make_member):
    outsider = make_member("reviewer", "B")
    assert search.resolve_vendor(hidden.slug, outsider).pk == 0
    assert search.resolve_vendor(str(hidden.pk), None).pk == 0
    assert search.resolve_vendor(hidden.slug, make_member("viewer", "A")) == hidden


def test_pending_api_proposals_follow_a_moved_organisation(hidden, make_member):
    from citywatch.commons.services import apply_proposal

    token = create_token(make_member("contributor", "A"), "a", "write")[1]
    body = {"title": "Zqsecond deal", "country": "RS", "status": "announced",
            "certainty": "reported", "visibility": "private",
            "suppliers": [hidden.slug, "Zqthird Ltd"]}  # fmt: skip
    response = Client().post(
        "/api/deployments",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 202, response.content
    services.free_organisation_slug(HIDDEN_NAME)
    newcomer = Organisation.objects.create(
        name=HIDDEN_NAME, slug=slug_text(HIDDEN_NAME), kind="vendor"
    )
    hidden.refresh_from_db()
    proposal = ChangeProposal.objects.get(operation="api_create_deployment")
    assert proposal.payload["suppliers"] == [hidden.slug, "Zqthird Ltd"]
    created = apply_proposal(proposal, reviewer=make_member("reviewer", "A"), seen_values={})
    suppliers = {party.organisation for party in created.parties.all()}
    assert hidden in suppliers and newcomer not in suppliers
