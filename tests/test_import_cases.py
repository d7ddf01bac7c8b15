"""Every failing input of the import cases (copied into tests/data/import/) gives its right
result through `citywatch import` and through the web import page `/imports/`."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from citywatch.atlas.models import Component, Deployment, Money
from citywatch.evidence.models import Citation
from citywatch.places.models import Locality

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "import"
DOORS = ["command", "page"]


@dataclass
class Result:
    ok: bool
    text: str  # what the person reads: the command's output, or the page's text


@pytest.fixture
def run_import_via(client, django_user_model, tmp_path, capsys):
    """run_import_via(door, file name or bytes, ...) -> Result, through the command or the page
    (as a reviewer of a team, with two-factor set up, as the page requires)."""
    from conftest import join_team

    reviewer = django_user_model.objects.create_user("rita", "rita@example.org", "x" * 16)
    join_team(reviewer, "reviewer", "share")
    client.force_login(reviewer)

    def run(door: str, source: str | bytes, name: str = "", dry_run: bool = False) -> Result:
        data = source if isinstance(source, bytes) else (DATA / source).read_bytes()
        name = name or (source if isinstance(source, str) else "upload.csv")
        if door == "command":
            path = tmp_path / name
            path.write_bytes(data)
            capsys.readouterr()
            arguments = [str(path), "--dry-run"] if dry_run else [str(path)]
            try:
                call_command("import", *arguments)
                ok = True
            except CommandError:
                ok = False
            output = capsys.readouterr()
            return Result(ok, output.out + output.err)
        upload = SimpleUploadedFile(name, data, "text/csv")
        button = "check" if dry_run else "apply"
        response = client.post("/imports/", {"file": upload, "scheme": "external", button: "1"})
        assert response.status_code == 200
        report = response.context["report"]
        text = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
        return Result(report.ok, " ".join(text.split()))

    return run


def database_fingerprint() -> dict[str, tuple[int, str]]:
    """Row count and a checksum of every table, to show that a refused import wrote nothing."""
    found = {}
    for model in apps.get_models():
        rows = list(model._default_manager.order_by("pk").values_list())
        digest = hashlib.sha256(repr(rows).encode()).hexdigest()
        found[model._meta.db_table] = (len(rows), digest)
    return found


def fingerprint_without_sessions() -> dict[str, tuple[int, str]]:
    found = database_fingerprint()
    for table in ("django_session", "account_emailaddress"):
        found.pop(table, None)
    return found


# salem-or.csv then salem-ma.csv ---


@pytest.mark.parametrize("door", DOORS)
def test_salem_massachusetts_never_moves_salem_oregon(run_import_via, door):
    assert run_import_via(door, "salem-or.csv").ok
    oregon = Deployment.objects.get(title="Salem OR: cameras")
    place = (oregon.locality_id, oregon.locality.latitude, oregon.locality.longitude)
    assert oregon.locality.subdivision_code == "US-OR"

    second = run_import_via(door, "salem-ma.csv")
    assert second.ok, second.text
    oregon.refresh_from_db()
    oregon.locality.refresh_from_db()
    assert (oregon.locality_id, oregon.locality.latitude, oregon.locality.longitude) == place
    assert oregon.locality.subdivision_code == "US-OR"
    massachusetts = Deployment.objects.get(title="Salem MA: cameras")
    assert massachusetts.locality_id != oregon.locality_id
    assert (massachusetts.locality.subdivision_code, massachusetts.locality.latitude) == (
        "US-MA",
        Decimal("42.51950"),
    )
    assert sorted(
        Locality.objects.filter(name="Salem").values_list("subdivision_code", flat=True)
    ) == [
        "US-MA",
        "US-OR",
    ]
    again = run_import_via(door, "salem-ma.csv")
    assert again.ok and "0 created, 0 updated" in again.text


# A: two stated values of one sentence ---


@pytest.mark.parametrize("door", DOORS)
def test_two_citations_of_one_sentence_with_different_values_stay_two(run_import_via, door, client):
    result = run_import_via(door, "A_two_stated_values_same_quote.json")
    assert result.ok, result.text
    component = Component.objects.get()
    stated = sorted(
        Citation.objects.filter(component=component).values_list("stated_value", flat=True)
    )
    assert stated == ["1000", "1500"]
    page = client.get("/deployments/lusaka-safe-city/").content.decode()
    assert "Sources differ:" in page
    assert "1000" in page and "1500" in page
    again = run_import_via(door, "A_two_stated_values_same_quote.json")
    assert "0 created, 0 updated" in again.text
    assert Citation.objects.filter(component=component).count() == 2


# B: a locality without coordinates, imported twice ---


@pytest.mark.parametrize("door", DOORS)
def test_locality_without_coordinates_reimports_as_unchanged(run_import_via, door):
    first = run_import_via(door, "B_locality_without_coordinates.json")
    assert first.ok, first.text
    lusaka = Locality.objects.get(name="Lusaka")
    assert (lusaka.latitude, lusaka.geonames_id) == (Decimal("-15.40669"), 909137)
    second = run_import_via(door, "B_locality_without_coordinates.json")
    assert second.ok
    assert "0 created, 0 updated" in second.text
    third = run_import_via(door, "B_locality_without_coordinates.json", dry_run=True)
    assert "0 created, 0 updated" in third.text


# C and I: two parts that differ are two parts ---


@pytest.mark.parametrize("door", DOORS)
def test_two_cctv_components_stay_two(run_import_via, door):
    assert run_import_via(door, "C_two_cctv_components.json").ok
    assert sorted(Component.objects.values_list("quantity", "description")) == [
        (120, "traffic cameras"),
        (800, "street cameras"),
    ]
    assert "0 created, 0 updated" in run_import_via(door, "C_two_cctv_components.json").text


@pytest.mark.parametrize("door", DOORS)
def test_two_loans_of_the_same_year_stay_two(run_import_via, door):
    assert run_import_via(door, "I_two_loans_same_year.json").ok
    assert sorted(Money.objects.values_list("amount", "note")) == [
        (Decimal("20000000.00"), "second tranche"),
        (Decimal("50000000.00"), "first tranche"),
    ]
    assert "0 created, 0 updated" in run_import_via(door, "I_two_loans_same_year.json").text


# D and N: every problem, in one run, nothing written ---


@pytest.mark.parametrize("door", DOORS)
def test_every_problem_of_a_json_deployment_is_reported_with_path_and_line(run_import_via, door):
    before = fingerprint_without_sessions()
    result = run_import_via(door, "D_two_problems_one_deployment.json")
    assert not result.ok
    lines = (DATA / "D_two_problems_one_deployment.json").read_text().splitlines()
    quantity_line = next(n for n, text in enumerate(lines, 1) if '"1,800"' in text)
    amount_line = next(n for n, text in enumerate(lines, 1) if '"USD 126m"' in text)
    assert (
        f"line {quantity_line} (deployments[0].components[0].quantity): quantity must be a "
        'whole number or null, not "1,800"' in result.text
    )
    assert (
        f'line {amount_line} (deployments[0].money[0].amount): amount "USD 126m" is not in '
        "the right form" in result.text
    )
    assert "126000000.00" in result.text, "the message says what to write instead"
    assert "Nothing imported" in result.text
    assert fingerprint_without_sessions() == before


@pytest.mark.parametrize("door", DOORS)
def test_csv_row_problems_are_reported_with_line_and_column(run_import_via, door):
    before = fingerprint_without_sessions()
    result = run_import_via(door, "N_csv_several_problems_one_row.csv")
    assert not result.ok
    # "Operational" and "Reported" are accepted in any case; the latitude is not.
    assert "line 2, column latitude: latitude 95.50000 is outside -90…90" in result.text
    assert "Operational" not in result.text.split("rejected")[-1]
    assert fingerprint_without_sessions() == before

    several = (
        b"external_id,title,country,status,certainty,locality,latitude,longitude\n"
        b"x-1,,QQ,exploded,maybe,Kabwe,95.5,28.4\n"
        b"x-2,Fine row,ZM,operational,reported,Kabwe,,\n"
        b"x-3,Bad amount,ZM,operativo,Reportado,Kabwe,abc,\n"
    )
    result = run_import_via(door, several, "several.csv")
    for expected in (
        "line 2, column title: the title is empty",
        "line 2, column country: unknown country 'QQ'",
        "line 2, column status: unknown status 'exploded'",
        "line 2, column certainty: unknown certainty 'maybe'",
        "line 2, column latitude: latitude 95.50000 is outside",
        "line 4, column latitude: latitude is not a number: 'abc'",
    ):
        assert expected in result.text
    assert "rejected: line 3" not in result.text and "line 3, column" not in result.text
    assert fingerprint_without_sessions() == before


# E: an accent ---


@pytest.mark.parametrize("door", DOORS)
def test_a_place_written_with_an_accent_is_the_same_place(run_import_via, door):
    result = run_import_via(door, "E_place_with_accent.csv")
    assert result.ok, result.text
    assert list(Locality.objects.values_list("name", "geonames_id")) == [("Lusaka", 909137)]
    assert set(Deployment.objects.values_list("locality__name", flat=True)) == {"Lusaka"}
    assert "0 created, 0 updated" in run_import_via(door, "E_place_with_accent.csv").text


# F: quantities and amounts as people write them ---


@pytest.mark.parametrize("door", DOORS)
def test_quantities_and_amounts_of_the_csv_are_kept(run_import_via, door):
    result = run_import_via(door, "F_quantities_amounts_ignored.csv")
    assert result.ok, result.text
    deployment = Deployment.objects.get(title="Ndola police cameras")
    assert list(deployment.components.values_list("technology__slug", "quantity", "unit")) == [
        ("cctv", 1800, "cameras")
    ]
    assert list(deployment.money.values_list("amount", "currency", "financing")) == [
        (Decimal("126000000.00"), "USD", "unknown")
    ]
    assert "0 created, 0 updated" in run_import_via(door, "F_quantities_amounts_ignored.csv").text


# G and semicolon-excel: semicolons, BOM, CRLF ---


@pytest.mark.parametrize("door", DOORS)
def test_semicolon_separated_files_import(run_import_via, door):
    result = run_import_via(door, "G_semicolon.csv")
    assert result.ok, result.text
    kitwe = Deployment.objects.get(title="Kitwe police cameras")
    assert sorted(kitwe.components.values_list("technology__slug", flat=True)) == [
        "cctv",
        "command-centre",
    ]
    assert kitwe.locality.name == "Kitwe"

    excel = run_import_via(door, "semicolon-excel.csv")
    assert excel.ok, excel.text
    assert sorted(
        Deployment.objects.filter(country="RS").values_list("title", "locality__name")
    ) == [
        ("Kragujevac: cámaras test", "Kragujevac"),
        ("Čačak: kamere", "Čačak"),
    ]


# J and K: EFF Atlas of Surveillance ---


@pytest.mark.parametrize("door", DOORS)
def test_atlas_county_agency_is_placed_at_its_county_marked_approximate(run_import_via, door):
    result = run_import_via(door, "J_atlas_county_agency.csv")
    assert result.ok, result.text
    deployment = Deployment.objects.get()
    assert deployment.title == "Maricopa County Sheriff's Office: Drones"
    place = deployment.locality
    assert (place.name, place.subdivision_code, place.approximate) == (
        "Maricopa County",
        "US-AZ",
        True,
    )
    assert not Locality.objects.filter(name__contains="County County").exists()
    assert "Maricopa County is not in the place list: placed at its region, US-AZ" in result.text
    assert deployment.parties.get(role="buyer").organisation.name.startswith("Maricopa County")


@pytest.mark.parametrize("door", DOORS)
def test_atlas_small_towns_import_and_unknown_towns_are_placed_approximately(run_import_via, door):
    result = run_import_via(door, "K_atlas_small_town.csv")
    assert result.ok, result.text
    woodstock = Locality.objects.get(name="Woodstock")
    assert (woodstock.subdivision_code, woodstock.geonames_id, woodstock.approximate) == (
        "US-VA",
        4794641,
        False,
    )
    assert Locality.objects.get(name="Richmond").subdivision_code == "US-VA"

    text = (DATA / "K_atlas_small_town.csv").read_text()
    made_up = (
        text.splitlines()[2]
        .replace("AOS777003", "AOS777004")
        .replace("Richmond", "Hollowbrook Gap")
    )
    with_unknown = (text.rstrip("\n") + "\n" + made_up + "\n").encode()
    result = run_import_via(door, with_unknown, "atlas.csv")
    assert result.ok, result.text
    unknown = Locality.objects.get(name="Hollowbrook Gap")
    assert (unknown.subdivision_code, unknown.approximate) == ("US-VA", True)
    assert "Hollowbrook Gap is not in the place list: placed at its region, US-VA" in result.text


def test_a_web_reimport_that_changes_nothing_lists_no_change(run_import_via):
    """Review 4, F5: the places a file names are listed apart from the changes, so importing an
    unchanged file again shows no "Changes made" (only the places, as for any web import)."""
    assert run_import_via("page", "K_atlas_small_town.csv").ok
    again = run_import_via("page", "K_atlas_small_town.csv")
    assert again.ok, again.text
    assert "Changes made" not in again.text
    assert "Places the file names line 2: place Woodstock line 3: place Richmond" in again.text
