"""The documented, validated exchange format: the JSON Schema of citywatch.json (served, used
first on every import, matching the models), every docs example as a test input, exports safe
for spreadsheets, the new fields round-tripping, OCDS telling the truth, places by region, and
imports that write only what the importer may change."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType

from citywatch.actors.models import Organisation
from citywatch.atlas.models import (
    Capability,
    Component,
    Deployment,
    DeploymentStatus,
    Event,
    EventKind,
    FinancingKind,
    Money,
    PartyRole,
    QuantityQualifier,
)
from citywatch.atlas.taxonomy import TECHNOLOGIES
from citywatch.core.choices import Certainty
from citywatch.evidence.models import Citation, Source, SourceKind
from citywatch.exchange import exports
from citywatch.exchange.imports import run_import
from citywatch.exchange.imports.schema import SCHEMA_FILE, validator
from citywatch.places.models import Country, LegalStatus, LegalTopic, Locality

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parent.parent / "docs"
MOMENT = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)


def export(name: str) -> bytes:
    return exports.export(name, MOMENT).content


def schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text())


# The schema ----------------------------------------------------------------------------------


def test_every_citywatch_json_export_validates_against_the_shipped_schema(demo):
    data = json.loads(export("citywatch.json"))
    assert [e.message for e in validator().iter_errors(data)] == []
    assert data["format_version"] == "1.1"


def test_the_schema_allows_exactly_the_values_the_models_allow(db):
    definitions = schema()["$defs"]
    enums = {
        "certainty": Certainty,
        "qualifier": QuantityQualifier,
        "capability": Capability,
    }
    for name, choices in enums.items():
        assert definitions[name]["enum"] == list(choices.values), name
    properties = {name: d.get("properties", {}) for name, d in definitions.items()}
    assert properties["deployment"]["status"]["enum"] == list(DeploymentStatus.values)
    assert properties["party"]["role"]["enum"] == list(PartyRole.values)
    assert properties["money"]["financing"]["enum"] == list(FinancingKind.values)
    assert properties["event"]["kind"]["enum"] == list(EventKind.values)
    assert properties["source"]["kind"]["enum"] == list(SourceKind.values)
    assert properties["legal_entry"]["topic"]["enum"] == list(LegalTopic.values)
    assert properties["legal_entry"]["status"]["enum"] == list(LegalStatus.values)
    assert properties["component"]["technology"]["enum"] == [slug for slug, *_ in TECHNOLOGIES]
    assert sorted(definitions["country"]["enum"]) == sorted(
        Country.objects.values_list("code", flat=True)
    )


def test_the_schema_is_served_at_a_stable_address(client, db):
    response = client.get("/exports/schema/citywatch.schema.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/schema+json")
    assert response.content == SCHEMA_FILE.read_bytes()
    assert "/exports/schema/citywatch.schema.json" in client.get("/exports/").content.decode()


def test_a_file_that_breaks_the_schema_is_refused_before_anything_else(db):
    data = {
        "format": "citywatch-dataset",
        "format_version": "1.1",
        "sources": [{"id": "s1", "title": "A source", "kind": "gossip", "colour": "red"}],
        "deployments": [{"id": "d1", "slug": "x", "title": "X", "status": "operational"}],
    }
    report = run_import(json.dumps(data, indent=1).encode(), "x.json")
    messages = {(p.record, p.message) for p in report.problems}
    assert (
        "sources[0]",
        "unknown field colour: remove it or check its spelling (allowed: "
        "id, title, url, publisher, published_on, language, kind, notes)",
    ) in messages
    assert any(r == "sources[0].kind" and "gossip" in m and "media" in m for r, m in messages)
    assert any(r == "deployments[0]" and "certainty is missing" in m for r, m in messages)
    assert any(r == "deployments[0]" and "country is missing" in m for r, m in messages)
    assert all(p.line for p in report.problems)
    assert Source.objects.count() == 0


# Every docs example is a test input -----------------------------------------------------------


def doc_examples(language: str) -> list[tuple[str, str]]:
    """Every ```json or ```csv block of the pages on exchange formats."""
    found = []
    for name in ("citywatch-json.md", "exports-and-imports.md"):
        text = (DOCS / name).read_text()
        for block in re.findall(rf"```{language}\n(.*?)```", text, re.S):
            found.append((name, block))
    return found


@pytest.mark.parametrize(("page", "example"), doc_examples("json"))
def test_every_json_example_in_the_docs_imports_and_reimports_unchanged(db, page, example):
    first = run_import(example.encode(), "example.json")
    assert first.ok, [str(p) for p in first.problems]
    second = run_import(example.encode(), "example.json")
    assert (second.created, second.updated, second.rejected) == (0, 0, 0)


@pytest.mark.parametrize(("page", "example"), doc_examples("csv"))
def test_every_csv_example_in_the_docs_imports_and_reimports_unchanged(db, page, example):
    first = run_import(example.encode(), "example.csv")
    assert first.ok, [str(p) for p in first.problems]
    assert first.created > 0
    second = run_import(example.encode(), "example.csv")
    assert (second.created, second.updated, second.rejected) == (0, 0, 0)


def test_the_docs_examples_are_there_and_say_what_they_show(db):
    assert len(doc_examples("json")) >= 2 and len(doc_examples("csv")) >= 1
    run_import(doc_examples("json")[1][1].encode(), "example.json")
    component = Component.objects.get(deployment__slug="lusaka-safe-city-example")
    assert (component.quantity, component.planned_quantity) == (1000, 1500)
    loan = Money.objects.get()
    assert (loan.amount_qualifier, loan.interest_rate, loan.maturity_months) == (
        "about",
        Decimal("2.500"),
        240,
    )
    assert set(Citation.objects.values_list("language", flat=True)) == {"en"}


# The new fields round-trip --------------------------------------------------------------------


def give_new_fields(demo_deployment: Deployment) -> None:
    component = demo_deployment.components.first()
    component.quantity = component.quantity or 10
    component.planned_quantity = component.quantity + 100
    component.unit = component.unit or "cameras"
    component.save()
    Money.objects.create(
        deployment=demo_deployment,
        amount=Decimal("2000000"),
        amount_max=Decimal("3000000"),
        amount_qualifier="about",
        currency="USD",
        dated="2019-03",
        financing="loan",
        interest_rate=Decimal("2.5"),
        maturity_months=240,
        grace_period_months=60,
    )
    locality = demo_deployment.locality
    locality.approximate = True
    locality.save()
    citation = Citation.objects.filter(deployment=demo_deployment).first()
    citation.language = "sr-Latn"
    citation.save()


def test_new_fields_round_trip_through_citywatch_json_exactly(demo):
    from test_imports import wipe_dataset

    deployment = Deployment.objects.filter(
        locality__isnull=False, components__isnull=False, citations__isnull=False
    ).first()
    give_new_fields(deployment)
    first = export("citywatch.json")
    assert '"interest_rate": "2.5"' in first.decode()
    assert '"approximate": true' in first.decode()
    wipe_dataset()
    report = run_import(first, "citywatch.json")
    assert report.ok, [str(p) for p in report.problems]
    assert export("citywatch.json") == first
    again = run_import(first, "citywatch.json")
    assert (again.created, again.updated) == (0, 0)


def test_deployments_csv_with_new_fields_reimports_unchanged(demo):
    deployment = Deployment.objects.filter(
        locality__isnull=False, components__isnull=False, citations__isnull=False
    ).first()
    give_new_fields(deployment)
    text = export("deployments.csv").decode()
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["slug"] == deployment.slug)
    assert row["approximate"] == "true"
    assert "planned)" in row["quantities"]
    assert "about 2000000.00–3000000.00 USD (loan, 2019-03)" in row["amounts"]
    report = run_import(text.encode(), "deployments.csv")
    assert report.ok, [str(p) for p in report.problems]
    assert (report.created, report.updated) == (0, 0)


# Spreadsheet-safe exports ---------------------------------------------------------------------


FORMULAS = ['=HYPERLINK("http://x.example")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rReturn"]


def test_formula_like_cells_are_neutralised_in_csv_but_exact_in_json(demo):
    deployment = Deployment.objects.filter(visibility="public", embargo_until__isnull=True).first()
    deployment.title = FORMULAS[0]
    deployment.summary = FORMULAS[2]
    deployment.save()
    organisation = deployment.parties.first().organisation
    organisation.name = FORMULAS[3]
    organisation.description = FORMULAS[4] + FORMULAS[5] + FORMULAS[1]
    organisation.save()

    rows = list(csv.DictReader(io.StringIO(export("deployments.csv").decode())))
    row = next(r for r in rows if r["slug"] == deployment.slug)
    assert row["title"] == "'" + FORMULAS[0]
    assert row["summary"] == "'" + FORMULAS[2]
    assert row["buyers"].startswith("'@") or row["suppliers"].startswith("'@")
    assert any(r["longitude"].startswith("-") for r in rows) or all(
        not r["longitude"].startswith("'") for r in rows
    ), "numbers stay numbers"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "@", "\t", "\r")), value
            assert not value.startswith("-") or re.match(r"^-\d+(\.\d+)?$", value), value
    organisations = list(csv.DictReader(io.StringIO(export("organisations.csv").decode())))
    described = next(r for r in organisations if r["id"] and r["name"] == "'" + FORMULAS[3])
    assert described["description"].startswith("'\t")

    data = json.loads(export("citywatch.json"))
    exported = next(d for d in data["deployments"] if d["slug"] == deployment.slug)
    assert (exported["title"], exported["summary"]) == (FORMULAS[0], FORMULAS[2])
    geojson = json.loads(export("deployments.geojson"))
    assert any(f["properties"]["title"] == FORMULAS[0] for f in geojson["features"])
    ocds = json.loads(export("ocds.json"))
    assert any(r["tender"]["title"] == FORMULAS[0] for r in ocds["releases"])

    again = run_import(export("deployments.csv"), "deployments.csv")
    assert (again.created, again.updated) == (0, 0), "the apostrophe is taken off on import"
    deployment.refresh_from_db()
    assert deployment.title == FORMULAS[0]


# OCDS tells the truth -------------------------------------------------------------------------


def test_ocds_keeps_partial_dates_in_an_extension_and_approximate_amounts_out_of_values(demo):
    deployment = (
        Deployment.objects.filter(status__in=["contracted", "operational", "deploying"])
        .filter(visibility="public", embargo_until__isnull=True)
        .first()
    )
    deployment.events.filter(kind="contracted").delete()
    Event.objects.create(
        deployment=deployment, date="2019-03", kind="contracted", title="Contract signed"
    )
    deployment.money.all().delete()
    Money.objects.create(
        deployment=deployment,
        amount=Decimal("5000000"),
        amount_qualifier="about",
        currency="USD",
        financing="purchase",
    )
    from citywatch.exchange import keys

    stable_id = keys.stable_ids(Deployment, [deployment.pk])[deployment.pk]
    releases = json.loads(export("ocds.json"))["releases"]
    release = next(r for r in releases if r["ocid"] == f"ocds-citywatch-{stable_id}")
    award = release["awards"][0]
    assert award["x_datePartial"] == "2019-03" and "date" not in award
    assert release["contracts"][0]["x_dateSignedPartial"] == "2019-03"
    assert "value" not in award, "an approximate amount is not an OCDS value"
    assert release["x_citywatchMoney"][0]["qualifier"] == "about"


# Places by region ------------------------------------------------------------------------------

PLACES_CSV = """title,country,status,certainty,locality,subdivision,technologies
Springfield MA cameras,US,announced,reported,Springfield,US-MA,cctv
Springfield IL cameras,US,announced,reported,Springfield,IL,cctv
Portland ME cameras,US,announced,reported,Portland,Maine,cctv
Portland OR cameras,US,announced,reported,Portland,US-OR,cctv
Woodstock VA cameras,US,announced,reported,Woodstock,US-VA,cctv
Woodstock GA cameras,US,announced,reported,Woodstock,US-GA,cctv
"""


def test_same_name_places_in_different_regions_stay_apart(db):
    report = run_import(PLACES_CSV.encode(), "places.csv")
    assert report.ok, [str(p) for p in report.problems]
    places = {
        (d.title.split()[0], d.locality.subdivision_code): d.locality
        for d in Deployment.objects.select_related("locality")
    }
    assert sorted(places) == [
        ("Portland", "US-ME"),
        ("Portland", "US-OR"),
        ("Springfield", "US-IL"),
        ("Springfield", "US-MA"),
        ("Woodstock", "US-GA"),
        ("Woodstock", "US-VA"),
    ]
    assert Locality.objects.count() == 6
    assert places[("Portland", "US-OR")].longitude < -120 < places[("Portland", "US-ME")].longitude
    again = run_import(PLACES_CSV.encode(), "places.csv")
    assert (again.created, again.updated) == (0, 0)


def test_an_ambiguous_place_is_reported_never_placed_at_the_biggest(db):
    text = (
        "title,country,status,certainty,locality,latitude,longitude\n"
        "Somewhere in Salem,US,announced,reported,Salem,,\n"
        "Salem by its point,US,announced,reported,Salem,42.5195,-70.8967\n"
    )
    report = run_import(text.encode(), "salem.csv")
    assert [(p.line, p.column) for p in report.problems] == [(2, "locality")]
    message = report.problems[0].message
    assert message.startswith("ambiguous place: 17 places called Salem in US (US-AR, US-CT")
    assert message.endswith("give the region (subdivision, e.g. US-AR) or the coordinates")
    assert Deployment.objects.count() == 0
    fixed = text.replace("Salem,,", "Salem,,").replace("Somewhere in Salem,US", "Salem OR,US")
    fixed = fixed.replace("Salem OR,US,announced,reported,Salem,,", "")
    report = run_import(fixed.encode(), "salem.csv")
    assert report.ok
    assert Locality.objects.get().subdivision_code == "US-MA", "the point tells them apart"


def test_the_admin_locality_form_never_guesses_between_namesakes(db):
    from django.core.exceptions import ValidationError

    salem = Locality(name="Salem", country_id="US")
    with pytest.raises(ValidationError) as error:
        salem.full_clean()
    assert "ambiguous place" in str(error.value)
    salem.subdivision_code = "US-OR"
    salem.full_clean()
    assert salem.geonames_id == 5750162


def test_places_are_resolved_with_accents_regions_and_approximations(db):
    from citywatch.places.services import UnknownSubdivision, resolve_place

    assert resolve_place("Lusáka", "ZM").geonames_id == 909137
    town = resolve_place("Hollowbrook Gap", "US", "Virginia")
    assert (town.level, town.approximate, town.subdivision_code) == ("region", True, "US-VA")
    nowhere = resolve_place("Hollowbrook Gap", "ZM")
    assert (nowhere.level, nowhere.approximate) == ("country", True)
    assert (nowhere.latitude, nowhere.longitude) == (
        Country.objects.get(code="ZM").latitude,
        Country.objects.get(code="ZM").longitude,
    )
    with pytest.raises(UnknownSubdivision):
        resolve_place("Salem", "US", "Atlantis")


# EFF Atlas: Excel date serials ----------------------------------------------------------------


def test_an_excel_date_serial_in_an_atlas_link_date_is_read_and_reported(db):
    from test_import_eff_atlas import FRESNO, atlas_csv

    report = run_import(atlas_csv({**FRESNO, "Link 1 Date": "44197"}), "atlas.csv")
    assert report.ok
    assert Source.objects.get(url=FRESNO["Link 1"]).published_on == "2021-01-01"
    assert any(
        w.column == "Link 1 Date" and "44197 read as an Excel date serial: 2021-01-01" in w.message
        for w in report.warnings
    )
    unreadable = run_import(
        atlas_csv(
            {**FRESNO, "AOSNUMBER": "2", "Link 1": "https://e.example/2", "Link 1 Date": "soon"}
        ),
        "atlas.csv",
    )
    assert any("'soon' is not a date" in w.message for w in unreadable.warnings)


# Who may import what -----------------------------------------------------------------------------


def private_deal(teams, slug: str = "private-deal") -> Deployment:
    return Deployment.objects.create(
        title="Team A's private deal",
        slug=slug,
        country_id="RS",
        status="announced",
        certainty="reported",
        visibility="private",
        owner_team=teams["A"],
    )


def upload(client, text: str, name: str, button: str = "apply"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile(name, text.encode(), "text/csv")
    response = client.post("/imports/", {"file": file, "scheme": "external", button: "1"})
    assert response.status_code == 200
    return response.context["report"]


def test_a_hidden_slug_is_treated_like_an_unknown_one(client, teams, make_member):
    hidden = private_deal(teams)
    client.force_login(make_member("reviewer", "B"))
    text = (
        "slug,title,country,status,certainty\n"
        "private-deal,Another title,RS,operational,documented\n"
    )
    checked = upload(client, text, "deals.csv", "check")
    assert [c.action for c in checked.changes if c.kind == "deployment"] == ["create"]
    assert "private-deal" not in " ".join(str(c) for c in checked.changes).replace(
        "private-deal-2", ""
    )
    report = upload(client, text, "deals.csv")
    assert report.ok and report.updated == 0
    hidden.refresh_from_db()
    assert (hidden.title, hidden.status) == ("Team A's private deal", "announced")
    created = Deployment.objects.get(slug="private-deal-2")
    assert created.owner_team == teams["B"]


def test_a_hidden_record_named_by_its_id_is_treated_like_an_unknown_one(client, teams, make_member):
    """The id names team A's private deal: team B's import creates a new deal that claims the
    id too, as it would for an unknown id (tests/test_import_hidden_keys.py compares them)."""
    from citywatch.exchange import keys

    hidden = private_deal(teams)
    key = keys.stable_ids(Deployment, [hidden.pk])[hidden.pk]
    client.force_login(make_member("reviewer", "B"))
    text = f"id,title,country,status,certainty\n{key},Renamed,RS,operational,documented\n"
    report = upload(client, text, "deals.csv")
    assert report.ok and [c.action for c in report.changes] == ["create"]
    hidden.refresh_from_db()
    assert hidden.title == "Team A's private deal"
    created = Deployment.objects.get(title="Renamed")
    assert created.owner_team == teams["B"]
    assert keys.named(Deployment, key) == [hidden.pk, created.pk]


def test_a_record_seen_but_not_reviewable_is_not_changed(client, teams, make_member):
    deal = private_deal(teams)
    deal.visibility = "partners"
    deal.save()
    client.force_login(make_member("reviewer", "B"))
    text = "slug,title,country,status,certainty\nprivate-deal,Renamed,RS,announced,reported\n"
    report = upload(client, text, "deals.csv")
    assert not report.ok
    assert "you may not change deployment private-deal" in report.problems[0].message
    deal.refresh_from_db()
    assert deal.title == "Team A's private deal"

    client.force_login(make_member("reviewer", "A"))
    report = upload(client, text, "deals.csv")
    assert report.ok and report.updated == 1
    deal.refresh_from_db()
    assert deal.title == "Renamed"


def test_history_says_imported_never_the_file_or_the_person(db):
    text = "title,country,status,certainty\nAna Petrović's list: cameras,RS,announced,reported\n"
    assert run_import(text.encode(), "ana-petrovic-notes.csv").ok
    deployment = Deployment.objects.get()
    reasons = set(deployment.history.values_list("history_change_reason", flat=True))
    assert reasons == {"imported"}
    assert Organisation.objects.count() == 0
    assert ContentType.objects.get_for_model(Deployment)


def test_a_contributors_import_becomes_proposals_for_the_owning_team(client, teams, make_member):
    from citywatch.commons.models import ChangeProposal

    deal = private_deal(teams)
    contributor = make_member("contributor", "A")
    client.force_login(contributor)
    page = client.get("/imports/").content.decode()
    assert "your team&#x27;s reviewers apply them" in page or "your team's reviewers" in page
    text = (
        "slug,title,country,status,certainty\nprivate-deal,A better title,RS,operational,reported\n"
    )
    report = upload(client, text, "deals.csv")
    assert report.ok, [str(p) for p in report.problems]
    assert [str(c) for c in report.changes] == [
        "line 2: propose a change to deployment private-deal"
    ]
    assert "1 change proposed for review." in report.summary()
    deal.refresh_from_db()
    assert (deal.title, deal.status) == ("Team A's private deal", "announced")
    proposal = ChangeProposal.objects.get()
    assert proposal.proposed_values == {"title": "A better title", "status": "operational"}
    assert (proposal.team, proposal.proposed_by, proposal.reason) == (
        teams["A"],
        contributor,
        "imported",
    )

    new = "title,country,status,certainty\nA new deal,RS,announced,reported\n"
    refused = upload(client, new, "new.csv")
    assert not refused.ok
    assert "ask a reviewer to import the new deployment" in refused.problems[0].message
    assert not Deployment.objects.filter(title="A new deal").exists()
    assert ChangeProposal.objects.count() == 1
