"""Exports pass their official validators offline and state their licence and how to cite.

OCDS: the vendored 1.1.5 release-package schema (jsonschema + a local `referencing` registry).
Data Package: the `frictionless validate` command. GeoJSON: shapely, RFC 7946 coordinates.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4
from shapely.geometry import shape

from citywatch.atlas.models import Deployment
from citywatch.exchange import exports, tables
from citywatch.exchange.ocds import SCHEMA_DIR
from citywatch.foi.models import FoiRequest

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)
FRICTIONLESS = Path(sys.executable).with_name("frictionless")


def export(filename: str) -> bytes:
    return exports.export(filename, MOMENT).content


def ocds_validator() -> Draft4Validator:
    release = json.loads((SCHEMA_DIR / "release-schema.json").read_text())
    package = json.loads((SCHEMA_DIR / "release-package-schema.json").read_text())
    registry = Registry().with_resources(
        (schema["id"], Resource.from_contents(schema, default_specification=DRAFT4))
        for schema in (release, package)
    )
    checker = FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def is_date_time(value: object) -> bool:
        if not isinstance(value, str):
            return True
        return "T" in value and bool(dt.datetime.fromisoformat(value))

    @checker.checks("uri")
    def is_uri(value: object) -> bool:
        parts = urlsplit(value) if isinstance(value, str) else None
        return parts is None or bool(parts.scheme and parts.netloc)

    return Draft4Validator(package, registry=registry, format_checker=checker)


def test_ocds_package_is_valid_against_the_vendored_1_1_5_schema(demo):
    package = json.loads(export("ocds.json"))
    errors = [
        f"{list(e.absolute_path)}: {e.message}" for e in ocds_validator().iter_errors(package)
    ]
    assert errors == []
    assert package["version"] == "1.1"
    assert package["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert len(package["releases"]) == 8
    valenciennes = next(r for r in package["releases"] if "Valenciennes" in r["tender"]["title"])
    assert valenciennes["buyer"]["name"] == "City of Valenciennes"
    award = valenciennes["awards"][0]
    assert "value" not in award, "a donation is not paid for: no award value"
    assert award["description"].startswith("Donation")
    assert valenciennes["x_citywatchMoney"][0]["financing"] == "donation"
    assert valenciennes["x_citywatchMoney"][0]["amount"] == "2000000.00"
    assert [s["name"] for s in award["suppliers"]] == ["Huawei"]
    assert valenciennes["tender"]["documents"][0]["title"] == "Mapping Huawei’s Smart Cities creep"
    assert any(item["quantity"] == 240 for item in valenciennes["tender"]["items"])
    barcelona = next(r for r in package["releases"] if "Barcelona" in r["tender"]["title"])
    assert barcelona["buyer"]["name"] == "Barcelona City Council"
    assert "awards" not in barcelona, "a letter of intention is no award"
    assert barcelona["tag"] == ["planning"] and barcelona["tender"]["status"] == "planned"
    assert "memorandum" in barcelona["planning"]["x_agreement"]["description"]
    assert "contracts" not in barcelona


def test_the_ocds_validator_catches_a_broken_release(demo):
    package = json.loads(export("ocds.json"))
    package["releases"][0]["tag"] = ["signed-on-a-napkin"]
    package["releases"][1]["awards"] = [{"title": "no id"}]
    assert len(list(ocds_validator().iter_errors(package))) >= 2


def test_ocds_release_id_changes_when_the_deployment_changes(demo):
    before = {r["ocid"]: r["id"] for r in json.loads(export("ocds.json"))["releases"]}
    deployment = Deployment.objects.get(slug="belgrade-safe-city")
    deployment.status = "contracted"
    deployment.save()
    after = {r["ocid"]: r["id"] for r in json.loads(export("ocds.json"))["releases"]}
    changed = [ocid for ocid in before if before[ocid] != after[ocid]]
    assert len(changed) == 1


def test_geojson_parses_with_shapely_and_has_valid_coordinates(demo):
    collection = json.loads(export("deployments.geojson"))
    assert collection["type"] == "FeatureCollection"
    assert collection["licence"]["id"] == "CC-BY-4.0"
    assert "CC BY 4.0" in collection["cite_as"]
    assert len(collection["features"]) == 8
    for feature in collection["features"]:
        geometry = shape(feature["geometry"])
        assert geometry.geom_type == "Point" and geometry.is_valid
        longitude, latitude = feature["geometry"]["coordinates"]
        assert -180 <= longitude <= 180 and -90 <= latitude <= 90
    belgrade = next(
        f for f in collection["features"] if f["properties"]["slug"] == "belgrade-safe-city"
    )
    longitude, latitude = belgrade["geometry"]["coordinates"]
    assert (round(longitude), round(latitude)) == (20, 45), "[longitude, latitude] order"
    assert belgrade["properties"]["nationwide"] is False


def test_datapackage_passes_frictionless_validate(demo, tmp_path):
    archive = zipfile.ZipFile(io.BytesIO(export("datapackage.zip")))
    archive.extractall(tmp_path)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert "Cite as:" in descriptor["description"]
    assert {r["path"] for r in descriptor["resources"]} == {
        "deployments.csv",
        *exports.TABLE_FILES,
    }
    assert "CC BY 4.0" in (tmp_path / "README.md").read_text()
    result = subprocess.run(
        [str(FRICTIONLESS), "validate", "--json", "datapackage.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = json.loads(result.stdout)
    assert report["valid"] is True, result.stdout[:3000]
    assert result.returncode == 0

    # The validator really checks: a quantity that is not a whole number fails it.
    components = (tmp_path / "components.csv").read_text()
    (tmp_path / "components.csv").write_text(components.replace(",335,", ",many,", 1))
    broken = subprocess.run(
        [str(FRICTIONLESS), "validate", "--json", "datapackage.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert json.loads(broken.stdout)["valid"] is False


def test_deployments_csv_one_row_per_deployment_with_joined_fields(demo):
    rows = list(csv.DictReader(io.StringIO(export("deployments.csv").decode())))
    assert len(rows) == 8
    assert list(rows[0]) == [column.name for column in tables.DEPLOYMENT_COLUMNS]
    valenciennes = next(r for r in rows if r["slug"] == "valenciennes-cameras")
    assert valenciennes["buyers"] == "City of Valenciennes"
    assert valenciennes["suppliers"] == "Huawei"
    assert "240 cameras" in valenciennes["quantities"]
    assert "2000000.00 EUR" in valenciennes["amounts"]
    assert valenciennes["permalink"].endswith("/deployments/valenciennes-cameras/")
    assert valenciennes["licence"] == "CC-BY-4.0"
    assert "CC BY 4.0" in valenciennes["attribution"]
    barcelona = next(r for r in rows if r["slug"] == "barcelona-letter-of-intention")
    assert (barcelona["buyers"], barcelona["suppliers"]) == ("Barcelona City Council", "Huawei")


def test_per_table_csvs_link_by_stable_ids(demo):
    dataset_ids = {d["id"] for d in json.loads(export("citywatch.json"))["deployments"]}
    parties = list(csv.DictReader(io.StringIO(export("parties.csv").decode())))
    assert parties and {p["deployment"] for p in parties} <= dataset_ids
    citations = list(csv.DictReader(io.StringIO(export("citations.csv").decode())))
    assert any("we never received a response" in c["quote"] for c in citations)


def test_citywatch_json_states_licence_and_citation(demo):
    data = json.loads(export("citywatch.json"))
    assert data["format"] == "citywatch-dataset"
    assert data["licence"]["url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "CityWatch contributors" in data["cite_as"] and "2026-01-15" in data["cite_as"]
    assert len(data["deployments"]) == 8
    assert len({s["id"] for s in data["sources"]}) == len(data["sources"])
    assert data["citations"] and all(c["source"] for c in data["citations"])


def test_exports_of_the_same_data_are_identical_and_ids_stable(demo):
    assert export("citywatch.json") == export("citywatch.json")
    assert export("datapackage.zip") == export("datapackage.zip")


def test_private_partners_and_embargoed_records_never_leave(demo):
    Deployment.objects.filter(slug="kampala-highway-cctv").update(visibility="private")
    Deployment.objects.filter(slug="belgrade-safe-city").update(visibility="partners")
    Deployment.objects.filter(slug="valenciennes-cameras").update(
        embargo_until=dt.date.today() + dt.timedelta(days=3)
    )
    # The ministry is also the authority of a public FOI request: hide that too, so it is
    # named only by hidden records.
    FoiRequest.objects.filter(authority__slug="ministry-of-interior-serbia").update(
        visibility="private"
    )
    for filename in exports.FILENAMES:
        content = export(filename)
        if filename.endswith(".zip"):
            archive = zipfile.ZipFile(io.BytesIO(content))
            text = "".join(archive.read(name).decode() for name in archive.namelist())
        else:
            text = content.decode()
        for secret in ("Kampala", "kampala-highway-cctv", "Belgrade", "Valenciennes"):
            assert secret not in text, (filename, secret)
        for only_hidden in ("Uganda Police Force", "Ministry of Interior of Serbia"):
            assert only_hidden not in text, (filename, only_hidden)
    assert len(json.loads(export("citywatch.json"))["deployments"]) == 5


def test_export_pages_and_headers(client, demo):
    page = client.get("/exports/").content.decode()
    assert "CC BY 4.0" in page and "How to cite" in page
    for filename in exports.FILENAMES:
        response = client.get(f"/exports/{filename}")
        assert response.status_code == 200, filename
        assert response["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
        assert response["ETag"] and response["Last-Modified"]
    response = client.get("/exports/deployments.csv")
    assert response["Content-Type"].startswith("text/csv")
    again = client.get("/exports/deployments.csv", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert client.get("/exports/secrets.csv").status_code == 404
    assert client.get("/exports/deployments.geojson")["Content-Type"] == "application/geo+json"


def test_export_command_writes_each_format(demo, tmp_path, capsys):
    from django.core.management import call_command

    target = tmp_path / "out.geojson"
    call_command("export", "--format", "geojson", "--output", str(target))
    assert json.loads(target.read_text())["type"] == "FeatureCollection"
    call_command("export", "--format", "sources", "--output", "-")
    assert capsys.readouterr().out.startswith("id,title,url,publisher")
