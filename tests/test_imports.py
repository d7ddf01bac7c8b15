"""Imports: the round trip, idempotent upserts, line-numbered problems and one transaction."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import ProtectedError

from citywatch.actors.models import Organisation
from citywatch.atlas.models import Component, Deployment, Party
from citywatch.evidence.models import Citation, Source
from citywatch.exchange import exports
from citywatch.exchange.imports import run_import
from citywatch.exchange.models import RecordKey
from citywatch.places.models import LegalCardEntry, Locality

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)
WIPED_APPS = {"foi", "atlas", "actors", "evidence", "exchange"}
KEPT = {"atlas.Technology"}

HEADER = (
    "external_id,title,country,locality,latitude,longitude,status,certainty,"
    "technologies,buyers,suppliers,source_urls\n"
)
PARTNER_CSV = (
    HEADER
    + """\
P-1,Novi Sad: smart cameras,RS,Novi Sad,,,announced,reported,cctv; facial-recognition,\
City of Novi Sad,Huawei,https://example.org/novi-sad
P-2,Kragujevac cameras,Serbia,Kragujevac,44.01667,20.91667,contracted,documented,CCTV,,Hikvision,
P-3,"Croatia: biometric ID cards",HR,,,,operational,reported,biometric-id,Government of Croatia,,
"""
)

MALFORMED_CSV = """\
title,country,summary,locality,latitude,longitude,status,certainty
Good row,RS,"a summary on
two lines",Novi Sad,,,announced,reported
Bad coordinates,RS,,Somewhere,95.5,20.1,announced,reported
Unknown country,QQ,,,,,announced,reported
Bad status,RS,,,,,exploded,reported
Not a number,RS,,Nis,abc,21.9,announced,reported
"""


def wipe_dataset() -> None:
    """Empty every table of the dataset (countries and the taxonomy are reference data)."""
    pending = [
        model
        for model in apps.get_models()
        if model._meta.app_label in WIPED_APPS
        and model._meta.label not in KEPT
        and not model.__name__.startswith("Historical")
    ] + [Locality, LegalCardEntry]
    Organisation.objects.update(parent=None)
    for _attempt in range(6):
        for model in list(pending):
            try:
                with transaction.atomic():
                    model._default_manager.all().delete()
                pending.remove(model)
            except ProtectedError:
                continue
    assert pending == []


def snapshot() -> dict[str, int]:
    models = [Deployment, Organisation, Source, Locality, Citation, Party, Component, RecordKey]
    return {model.__name__: model.objects.count() for model in models}


def test_round_trip_export_import_into_empty_database_export_is_identical(demo):
    first = exports.export("citywatch.json", MOMENT).content
    wipe_dataset()
    assert Deployment.objects.count() == 0 and Source.objects.count() == 0
    report = run_import(first, "citywatch.json")
    assert report.ok, report.problems
    assert report.created > 100 and report.updated == 0
    second = exports.export("citywatch.json", MOMENT).content
    assert json.loads(second) == json.loads(first)
    assert second == first


def test_importing_the_same_json_twice_changes_nothing_the_second_time(demo):
    data = exports.export("citywatch.json", MOMENT).content
    wipe_dataset()
    first = run_import(data, "citywatch.json")
    assert first.ok and first.created > 0
    before = snapshot()
    second = run_import(data, "citywatch.json")
    assert (second.created, second.updated, second.rejected) == (0, 0, 0)
    assert "0 created, 0 updated" in second.summary()
    assert snapshot() == before


def test_a_partner_csv_pushed_twice_creates_no_duplicates(demo):
    first = run_import(PARTNER_CSV.encode(), "partner.csv", scheme="share")
    assert first.ok, [str(p) for p in first.problems]
    novi_sad = Deployment.objects.get(title="Novi Sad: smart cameras")
    assert novi_sad.locality.latitude is not None, "coordinates from the shipped city list"
    assert sorted(novi_sad.components.values_list("technology__slug", flat=True)) == [
        "cctv",
        "facial-recognition",
    ]
    assert novi_sad.parties.get(role="supplier").organisation.slug == "huawei"
    assert novi_sad.parties.get(role="buyer").organisation.kind == "authority"
    assert Deployment.objects.get(title="Kragujevac cameras").country_id == "RS"
    assert Deployment.objects.get(title__startswith="Croatia").locality is None
    before = snapshot()
    second = run_import(PARTNER_CSV.encode(), "partner.csv", scheme="share")
    assert (second.created, second.updated, second.rejected) == (0, 0, 0)
    assert snapshot() == before

    changed = PARTNER_CSV.replace("Kragujevac cameras,Serbia", "Kragujevac: 200 cameras,Serbia")
    third = run_import(changed.encode(), "partner.csv", scheme="share")
    assert (third.created, third.updated) == (0, 1)
    assert Deployment.objects.filter(title="Kragujevac: 200 cameras").count() == 1


def test_our_own_deployments_csv_imports_as_unchanged(demo):
    data = exports.export("deployments.csv", MOMENT).content
    before = snapshot()
    report = run_import(data, "deployments.csv")
    assert report.ok, [str(p) for p in report.problems]
    assert (report.created, report.updated) == (0, 0)
    assert sum(report.unchanged.values()) >= 8
    assert snapshot() == before


def test_malformed_csv_reports_each_problem_by_line_and_changes_nothing(demo):
    before = snapshot()
    report = run_import(MALFORMED_CSV.encode(), "bad.csv")
    assert not report.ok
    by_line = {problem.line: problem.message for problem in report.problems}
    assert sorted(by_line) == [4, 5, 6, 7]
    assert "latitude 95.50000 is outside -90…90" in by_line[4]
    assert "unknown country 'QQ'" in by_line[5]
    assert "unknown status 'exploded'" in by_line[6]
    assert "latitude is not a number" in by_line[7]
    assert snapshot() == before
    assert not Deployment.objects.filter(title="Good row").exists(), "one transaction"
    assert "Nothing imported" in report.summary()


def test_missing_columns_are_reported(demo):
    before = snapshot()
    report = run_import(b"title,locality\nSomething,Belgrade\n", "partial.csv", "citywatch-csv")
    assert [(p.line, p.message) for p in report.problems] == [
        (1, "missing columns: country, status, certainty")
    ]
    assert snapshot() == before


def test_broken_encoding_is_reported_by_line(demo):
    before = snapshot()
    data = (
        b"title,country,locality,status,certainty\nMadrid cameras,ES,Madrid,announced,reported\n"
    ) + "Cáceres cameras,ES,Cáceres,announced,reported\n".encode("latin-1")
    report = run_import(data, "latin1.csv")
    assert len(report.problems) == 1
    assert report.problems[0].line == 3
    assert "not UTF-8" in report.problems[0].message
    assert snapshot() == before


def test_malformed_json_reports_lines_and_changes_nothing(demo):
    text = exports.export("citywatch.json", MOMENT).content.decode()
    data = json.loads(text)
    data["localities"][1]["latitude"] = 123.4
    data["deployments"][2]["country"] = "QQ"
    broken = json.dumps(data, ensure_ascii=False, indent=2)
    before = snapshot()
    report = run_import(broken.encode(), "citywatch.json")
    lines = broken.splitlines()
    found = {problem.record: problem for problem in report.problems}
    locality = found["localities[1].latitude"]
    assert "latitude 123.4 is out of range (at most 90)" in locality.message
    assert '"latitude": 123.4' in lines[locality.line - 1]
    deployment = found["deployments[2].country"]
    assert 'country "QQ" is not allowed: use the two-letter ISO 3166-1 code' in deployment.message
    assert '"country": "QQ"' in lines[deployment.line - 1]
    assert snapshot() == before

    truncated = run_import(text[: len(text) // 2].encode(), "citywatch.json")
    assert truncated.problems[0].line > 1
    assert "not valid JSON" in truncated.problems[0].message


def test_dry_run_says_what_would_happen_and_saves_nothing(demo, tmp_path, capsys):
    path = tmp_path / "partner.csv"
    path.write_text(PARTNER_CSV)
    before = snapshot()
    call_command("import", str(path), "--dry-run", "--scheme", "share")
    output = capsys.readouterr().out
    assert "line 2: would create deployment novi-sad-smart-cameras" in output
    assert "Dry run: " in output and "Nothing was saved" in output
    assert snapshot() == before
    call_command("import", str(path), "--scheme", "share")
    assert Deployment.objects.filter(slug="novi-sad-smart-cameras").exists()
    bad = tmp_path / "bad.csv"
    bad.write_text(MALFORMED_CSV)
    with pytest.raises(CommandError):
        call_command("import", str(bad))
    assert "line 5" in capsys.readouterr().err


def test_upload_page_is_for_reviewers_and_checks_before_importing(client, demo, django_user_model):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assert client.get("/imports/").status_code == 302
    someone = django_user_model.objects.create_user("someone", "s@example.org", "x" * 16)
    client.force_login(someone)
    assert client.get("/imports/").status_code == 403, "not a reviewer: refused"
    from conftest import join_team

    reviewer = django_user_model.objects.create_user("rita", "rita@example.org", "x" * 16)
    join_team(reviewer, "reviewer", "share")
    client.force_login(reviewer)
    assert client.get("/imports/").status_code == 200
    upload = SimpleUploadedFile("partner.csv", PARTNER_CSV.encode(), "text/csv")
    checked = client.post("/imports/", {"file": upload, "scheme": "share", "check": "1"})
    assert "Dry run" in checked.content.decode()
    assert not Deployment.objects.filter(slug="novi-sad-smart-cameras").exists()
    upload = SimpleUploadedFile("partner.csv", PARTNER_CSV.encode(), "text/csv")
    applied = client.post("/imports/", {"file": upload, "scheme": "share", "apply": "1"})
    assert "0 rejected" in applied.content.decode()
    assert Deployment.objects.filter(slug="novi-sad-smart-cameras").exists()
    bad = SimpleUploadedFile("bad.csv", MALFORMED_CSV.encode(), "text/csv")
    refused = client.post("/imports/", {"file": bad, "scheme": "share", "apply": "1"})
    html = refused.content.decode()
    assert "line 4" in html and "Nothing imported" in html
