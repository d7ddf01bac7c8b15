"""No door tells whether a place exists that only hidden records use (review: an import report
said "would create locality Novi Sad" when no record used Novi Sad yet and nothing when team A's
private deal did; a custom place team A typed, "Hollowbrook Gap", was reused by an outsider's
public record).

A web or API importer's report names the place a row uses ("place Novi Sad") whether the atlas
had it or not, and never counts it as created; a custom place (no GeoNames id) only hidden
records use is never matched by an outsider (import, deal page, API, fact suggestions): they
get a place of their own, as for an unknown name (``teams.permissions.locality_visible_q``)."""

from __future__ import annotations

import json
import re
import uuid
from decimal import Decimal

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from permission_fixtures import client_for

from citywatch.api.services import create_token
from citywatch.atlas import services
from citywatch.atlas.models import Deployment
from citywatch.core.slugs import slug_text
from citywatch.exchange import exports
from citywatch.exchange.imports import run_import
from citywatch.exchange.queries import public_localities
from citywatch.places.models import Locality
from citywatch.research import suggestions
from citywatch.teams import permissions

pytestmark = pytest.mark.django_db

# A custom place team A typed (not in the shipped list), and an unknown name like it.
HIDDEN_CUSTOM, UNKNOWN_CUSTOM = "Hollowbrook Gap", "Quillmoor Gap"
# A listed city team A's deal uses, and a listed city no record uses.
HIDDEN_LISTED, UNKNOWN_LISTED = "Novi Sad", "Kragujevac"
GEONAMES = {"Novi Sad": 3194360, "Kragujevac": 789128}


def private_deal(team, locality: Locality) -> Deployment:
    deployment = Deployment(
        title="Zqsecret deal",
        country_id=locality.country_id,
        locality=locality,
        status="announced",
        certainty="reported",
        visibility="private",
        owner_team=team,
    )
    services.save_record(deployment, by=permissions.INTERNAL)
    return deployment


@pytest.fixture
def hidden(demo, teams):
    """Team A's private deal's places: a custom one with the coordinates team A typed, and a
    listed city; each used by nothing else."""
    custom = Locality(
        name=HIDDEN_CUSTOM,
        country_id="RS",
        latitude=Decimal("44.12345"),
        longitude=Decimal("20.54321"),
        approximate=True,
    )
    custom.full_clean()
    custom.save()
    listed = Locality(name=HIDDEN_LISTED, country_id="RS")
    listed.full_clean()
    listed.save()
    assert listed.geonames_id == GEONAMES[HIDDEN_LISTED]
    private_deal(teams["A"], custom)
    private_deal(teams["A"], listed)
    assert not Locality.objects.filter(name__in=[UNKNOWN_CUSTOM, UNKNOWN_LISTED]).exists()
    return {"custom": custom, "listed": listed}


def snapshot(locality: Locality) -> dict:
    """What no door may change in a hidden deal's place: its row, its history, its deals."""
    locality.refresh_from_db()
    fields = {f.attname: getattr(locality, f.attname) for f in Locality._meta.concrete_fields}
    history = list(locality.history.values_list("history_id", "name", "latitude", "longitude"))
    deals = sorted(Deployment.objects.filter(locality=locality).values_list("pk", flat=True))
    return {"fields": fields, "history": history, "deals": deals}


def shape(text: str, *names: str) -> str:
    for number, name in enumerate(names):
        text = text.replace(slug_text(name), f"<slug{number}>").replace(name, f"<name{number}>")
    return text


def csv_file(place: str, title: str) -> SimpleUploadedFile:
    text = f"title,country,locality,status,certainty\n{title},RS,{place},announced,reported\n"
    return SimpleUploadedFile("deals.csv", text.encode(), "text/csv")


def json_file(place: str, title: str) -> SimpleUploadedFile:
    data = json.loads(exports.export("citywatch.json").content)
    locality = {"id": str(uuid.uuid4()), "name": place, "country": "RS"}
    if place in GEONAMES:
        locality["geonames_id"] = GEONAMES[place]
    item = dict(data["deployments"][0])
    item.update({"id": str(uuid.uuid4()), "slug": slug_text(title),
                 "title": title, "country": "RS", "locality": locality["id"]})  # fmt: skip
    for key in ("visibility", "embargo_until", "citations"):
        item.pop(key, None)
    for part in ("components", "money", "events", "claims", "parties"):
        item[part] = []
    kept = {key: [] for key, value in data.items() if isinstance(value, list)}
    kept.update({key: value for key, value in data.items() if not isinstance(value, list)})
    kept["localities"] = [locality]
    kept["deployments"] = [item]
    return SimpleUploadedFile("deals.json", json.dumps(kept).encode(), "application/json")


def import_answer(client: Client, upload: SimpleUploadedFile, action: str) -> tuple[int, str]:
    response = client.post("/imports/", {"file": upload, "scheme": "share", action: "1"})
    document = lxml.html.fromstring(response.content.decode())
    main = document.xpath("//main")[0]
    for form in main.xpath(".//form"):
        form.getparent().remove(form)
    return response.status_code, " ".join(main.text_content().split())


def deal_using(title: str) -> Deployment:
    return Deployment.objects.get(title=title)


@pytest.mark.parametrize("action", ["check", "apply"])
@pytest.mark.parametrize("make_file", [csv_file, json_file], ids=["csv", "citywatch.json"])
@pytest.mark.parametrize("kind", ["custom", "listed"])
def test_imports_answer_alike_for_a_hidden_place_and_an_unknown_one(
    hidden, make_member, action, make_file, kind
):
    before = snapshot(hidden[kind])
    hidden_name, unknown_name = {
        "custom": (HIDDEN_CUSTOM, UNKNOWN_CUSTOM),
        "listed": (HIDDEN_LISTED, UNKNOWN_LISTED),
    }[kind]
    client = client_for(make_member("reviewer", "B"))
    answers = []
    for name in (hidden_name, unknown_name):
        title = f"Zqprobe deal in {name}"
        with transaction.atomic():
            status, text = import_answer(client, make_file(name, title), action)
            answers.append((status, shape(text, title, name)))
            if action == "apply":
                used = deal_using(title).locality
                assert used.name == name
                if kind == "custom":
                    assert used != hidden[kind]  # a place of their own
                    assert (used.latitude, used.longitude) != (Decimal("44.12345"),
                                                               Decimal("20.54321"))  # fmt: skip
            transaction.set_rollback(True)
    assert answers[0] == answers[1], answers
    status, text = answers[0]
    assert status == 200
    assert "place <name1>" in text
    assert "create locality" not in text and "would create locality" not in text
    assert snapshot(hidden[kind]) == before


@pytest.mark.parametrize("kind", ["custom", "listed"])
def test_the_counts_leave_places_out_for_a_web_importer(hidden, make_member, kind):
    """The report's counts (what the page and the summary line show) are the same numbers."""
    reviewer = make_member("reviewer", "B")
    names = {"custom": (HIDDEN_CUSTOM, UNKNOWN_CUSTOM), "listed": (HIDDEN_LISTED, UNKNOWN_LISTED)}
    counts = []
    for make_file in (csv_file, json_file):
        for name in names[kind]:
            upload = make_file(name, "Zqprobe deal")
            report = run_import(upload.read(), upload.name, dry_run=True, user=reviewer)
            assert report.ok, report.lines()
            counts.append((make_file.__name__, report.created, report.updated,
                           sum(report.unchanged.values()), report.counts_by_kind()))  # fmt: skip
    assert counts[0] == counts[1] and counts[2] == counts[3], counts
    for _name, created, _updated, _unchanged, by_kind in counts:
        assert set(by_kind.get("locality", {})) <= {"use"}
        assert created == by_kind["deployment"]["create"]


def test_the_command_line_keeps_the_full_report(hidden):
    upload = csv_file(UNKNOWN_LISTED, "Zqprobe deal")
    report = run_import(upload.read(), upload.name, dry_run=True)
    assert any(change.action == "create" and change.kind == "locality" for change in report.changes)


def test_the_api_answers_alike_and_never_reuses_a_hidden_custom_place(hidden, make_member):
    before = snapshot(hidden["custom"])
    token = create_token(make_member("reviewer", "B"), "b", "write")[1]
    answers = []
    for name in (HIDDEN_CUSTOM, UNKNOWN_CUSTOM):
        title = f"Zqprobe deal in {name}"
        with transaction.atomic():
            body = {"title": title, "country": "RS", "status": "announced",
                    "certainty": "reported", "locality": {"name": name}}  # fmt: skip
            response = Client().post(
                "/api/deployments",
                json.dumps(body),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
            data = response.json()
            for key in ("updated_at", "last_changed", "id", "slug", "url"):
                data.pop(key, None)
            if isinstance(data.get("locality"), dict):
                data["locality"].pop("id", None)
            answers.append((response.status_code, shape(json.dumps(data, sort_keys=True), title,
                                                         name)))  # fmt: skip
            assert deal_using(title).locality != hidden["custom"]
            transaction.set_rollback(True)
    assert answers[0] == answers[1], answers
    assert answers[0][0] == 201
    assert snapshot(hidden["custom"]) == before


def test_the_deal_page_never_reuses_a_hidden_custom_place(hidden, make_member):
    from test_deal_form import open_page

    before = snapshot(hidden["custom"])
    client = client_for(make_member("reviewer", "B"))
    values = open_page(client, "/deployments/new/")
    values.update({"deployment-title": "Zqprobe deal", "deployment-status": "announced",
                   "deployment-certainty": "reported", "deployment-visibility": "public",
                   "place-country": "RS", "place-name": HIDDEN_CUSTOM, "reason": "Probe.",
                   "save": "1"})  # fmt: skip
    values.pop("place-nationwide", None)
    response = client.post("/deployments/new/", values)
    assert response.status_code == 302, response.content.decode()[:3000]
    used = deal_using("Zqprobe deal").locality
    assert used.name == HIDDEN_CUSTOM and used != hidden["custom"]
    assert snapshot(hidden["custom"]) == before
    # Team A, who sees both, is told the name is ambiguous rather than given the wrong one.
    assert Locality.objects.filter(name=HIDDEN_CUSTOM).count() == 2


def test_place_search_lists_only_the_shipped_list(hidden, make_member):
    client = client_for(make_member("reviewer", "B"))
    for query in ("Hollow", HIDDEN_CUSTOM):
        response = client.get("/places/search.json", {"country": "RS", "q": query})
        assert response.status_code == 200
        assert response.json()["places"] == []
    response = client.get("/places/search.json", {"country": "RS", "lat": "44.12", "lon": "20.54"})
    assert HIDDEN_CUSTOM not in response.content.decode()
    response = client.get("/places/search.json", {"country": "RS", "q": "Novi S"})
    assert [place["name"] for place in response.json()["places"]][:1] == [HIDDEN_LISTED]


def test_visibility_of_places_is_decided_by_the_permission_module(hidden, make_member, teams):
    outsider, member = make_member("reviewer", "B"), make_member("viewer", "A")
    custom, listed = hidden["custom"], hidden["listed"]
    assert not permissions.can_view(None, custom) and not permissions.can_view(outsider, custom)
    assert permissions.can_view(member, custom)
    assert permissions.can_view(None, listed) and permissions.can_view(outsider, listed)
    lonely = Locality.objects.create(
        name="Zqnowhere", country_id="RS", latitude=Decimal(44), longitude=Decimal(20)
    )
    assert permissions.can_view(None, lonely)  # used by nothing: nothing hides behind it
    assert custom not in public_localities() and listed not in public_localities()
    # Once a public record uses the custom place, everyone sees it.
    deal = Deployment.objects.get(locality=custom)
    deal.visibility = "public"
    services.save_record(deal, by=permissions.INTERNAL)
    assert permissions.can_view(None, custom) and custom in public_localities()


def test_fact_suggestions_offer_only_places_the_user_may_see(hidden, make_member):
    text = f"The city of {HIDDEN_CUSTOM} bought 40 cameras."
    outsider, member = make_member("reviewer", "B"), make_member("viewer", "A")
    named = [s.value.get("name") for s in suggestions.suggest(text, user=outsider)]
    assert HIDDEN_CUSTOM not in named
    found = [s.value.get("locality") for s in suggestions.suggest(text, user=member)]
    assert hidden["custom"].pk in found


def eff_atlas_file(place: str, title: str) -> SimpleUploadedFile:
    header = (
        "AOSNUMBER,City,County,State,Agency,Type of LEA,Summary,Type of Juris,Technology,"
        "TECH ABV,Vendor,Link 1,Link 1 Snapshot,Link 1 Source,Link 1 Type,Link 1 Date,"
        "Link 2,Link 2 Snapshot,Link 2 Source,Link 2 Type,Link 2 Date,Link 3,Link 3 Snapshot,"
        "Link 3 Source,Link 3 Type,Link 3 Date,Other Links"
    )
    row = (
        f"AOS{abs(hash(title)) % 10**6:06d},{place},,VA,{title},Police,"
        "Body cameras.,Municipal,Body-worn Cameras,BWC,Axon" + "," * 16
    )
    return SimpleUploadedFile("atlas.csv", f"{header}\n{row}\n".encode(), "text/csv")


@pytest.mark.parametrize("action", ["check", "apply"])
def test_eff_atlas_imports_answer_alike_for_a_hidden_custom_place(demo, teams, make_member, action):
    custom = Locality(
        name=HIDDEN_CUSTOM,
        country_id="US",
        subdivision_code="US-VA",
        latitude=Decimal("37.5"),
        longitude=Decimal("-78.5"),
        approximate=True,
    )
    custom.full_clean()
    custom.save()
    deal = private_deal(teams["A"], custom)
    before = snapshot(custom)
    client = client_for(make_member("reviewer", "B"))
    answers = []
    for name in (HIDDEN_CUSTOM, UNKNOWN_CUSTOM):
        title = f"Zqprobe police of {name}"
        with transaction.atomic():
            status, text = import_answer(client, eff_atlas_file(name, title), action)
            answers.append((status, shape(text, title, name)))
            if action == "apply":
                assert not Deployment.objects.filter(locality=custom).exclude(pk=deal.pk).exists()
            transaction.set_rollback(True)
    assert answers[0] == answers[1], answers
    assert answers[0][0] == 200 and "place <name1>" in answers[0][1]
    assert snapshot(custom) == before


@pytest.mark.parametrize("action", ["check", "apply"])
@pytest.mark.parametrize("make_file", [csv_file, json_file], ids=["csv", "citywatch.json"])
@pytest.mark.parametrize("kind", ["custom", "listed"])
def test_a_contributors_import_answers_alike_for_a_hidden_place_and_an_unknown_one(
    hidden, make_member, action, make_file, kind
):
    """A contributor's import may only propose changes to existing deployments: a new one is
    refused, with the same words whether or not the atlas has its place (a listed city only a
    hidden deal uses, or a custom place typed by another team); nothing is written."""
    before = snapshot(hidden[kind])
    names = {"custom": (HIDDEN_CUSTOM, UNKNOWN_CUSTOM), "listed": (HIDDEN_LISTED, UNKNOWN_LISTED)}
    client = client_for(make_member("contributor", "B"))
    localities = Locality.objects.count()
    answers = []
    for name in names[kind]:
        title = f"Zqprobe deal in {name}"
        status, text = import_answer(client, make_file(name, title), action)
        text = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "<id>", text)  # the file's own random ids
        answers.append((status, shape(text, title, name)))
        assert not Deployment.objects.filter(title=title).exists()
    assert answers[0] == answers[1], answers
    assert "ask a reviewer" in answers[0][1]
    assert Locality.objects.count() == localities
    assert snapshot(hidden[kind]) == before


def moving_file(kind: str, place: str) -> SimpleUploadedFile:
    """The first exported deployment, named by its id, moved to ``place``."""
    data = json.loads(exports.export("citywatch.json").content)
    item = data["deployments"][0]
    if kind == "csv":
        text = (
            "id,title,country,locality,status,certainty\n"
            f"{item['id']},{item['title']},RS,{place},{item['status']},{item['certainty']}\n"
        )
        return SimpleUploadedFile("deals.csv", text.encode(), "text/csv")
    upload = json_file(place, "unused")
    kept = json.loads(upload.read())
    kept["deployments"] = [{**item, "country": "RS", "locality": kept["localities"][0]["id"]}]
    return SimpleUploadedFile("deals.json", json.dumps(kept).encode(), "application/json")


@pytest.mark.parametrize("kind", ["csv", "citywatch.json"])
def test_a_contributors_move_of_a_deal_answers_alike_for_a_hidden_place(hidden, make_member, kind):
    """Moving an existing deal is not something a contributor may propose: refused in the same
    words whether the new place is one only a hidden deal uses or one the atlas lacks."""
    client = client_for(make_member("contributor", "B"))
    localities = Locality.objects.count()
    answers = []
    for name in (HIDDEN_LISTED, UNKNOWN_LISTED):
        status, text = import_answer(client, moving_file(kind, name), "check")
        text = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "<id>", text)
        answers.append((status, shape(text, name)))
    assert answers[0] == answers[1], answers
    assert "you may not change" in answers[0][1]
    assert Locality.objects.count() == localities
