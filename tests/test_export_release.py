"""`citywatch release`: a dated, versioned snapshot with a changelog of what was added,
changed and removed since the previous release."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command

from citywatch.atlas.models import Deployment
from citywatch.exchange import exports
from citywatch.exchange.models import Release
from citywatch.exchange.releases import cut_release

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def test_first_release_adds_everything_and_writes_every_format(demo, data_dir):
    release = cut_release("2026.01", released_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    added = [e for e in release.changelog["added"] if e["type"] == "deployment"]
    assert len(added) == 8
    assert release.changelog["changed"] == [] and release.changelog["removed"] == []
    folder = data_dir / "releases" / "2026.01"
    names = sorted(path.name for path in folder.iterdir())
    # Every export file (formats and tables), the changelog, and the version of the public
    # data they were made from.
    assert names == sorted([*exports.FILENAMES, "CHANGELOG.md", "DATASET_VERSION"])
    data = json.loads((folder / "citywatch.json").read_text())
    assert data["release"] == "2026.01" and "release 2026.01" in data["cite_as"]


def test_changelog_lists_added_and_changed_and_counts_what_left(demo, data_dir):
    cut_release("one")
    belgrade = Deployment.objects.get(slug="belgrade-safe-city")
    belgrade.status = "contracted"
    belgrade.save()
    Deployment.objects.filter(slug="kampala-highway-cctv").update(visibility="private")
    Deployment.objects.create(
        title="Nis: smart cameras",
        slug="nis-cameras",
        country_id="RS",
        status="rumoured",
        certainty="speculative",
    )
    release = cut_release("two")
    log = {
        kind: [(e["type"], e["label"]) for e in release.changelog[kind]]
        for kind in ("added", "changed")
    }
    assert ("deployment", "Nis: smart cameras") in log["added"]
    assert [e for e in log["changed"] if e[0] == "deployment"] == [("deployment", belgrade.title)]
    # Kampala was made private: the changelog counts what left, never names it (issue 10).
    assert release.changelog["no_longer_public"] >= 1
    assert release.counts()["removed"] == release.changelog["no_longer_public"]
    text = (data_dir / "releases" / "two" / "CHANGELOG.md").read_text()
    assert "## Added" in text and "Nis: smart cameras" in text and "## No longer public" in text
    assert "Kampala" not in text and "kampala" not in json.dumps(release.changelog)


def test_release_command_names_versions_by_date_and_refuses_duplicates(demo, data_dir, capsys):
    call_command("release", "--notes", "First public release")
    first = Release.objects.get()
    assert first.version == dt.date.today().strftime("%Y.%m.%d")
    output = capsys.readouterr().out
    assert "deployment: 8 added" in output
    assert "added: Belgrade" in output
    call_command("release")
    assert Release.objects.count() == 2
    second = Release.objects.order_by("-pk").first()
    assert second.version == f"{first.version}.2"
    assert second.counts() == {"added": 0, "changed": 0, "removed": 0}
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("release", "--name", first.version)


def test_release_files_are_served_with_the_changelog(client, demo, data_dir):
    cut_release("2026.02")
    page = client.get("/exports/").content.decode()
    assert "2026.02" in page
    response = client.get("/exports/releases/2026.02/CHANGELOG.md")
    assert response.status_code == 200
    assert b"release 2026.02" in b"".join(response.streaming_content)
    assert client.get("/exports/releases/2026.02/ocds.json").status_code == 200
    assert client.get("/exports/releases/2026.02/../secret_key").status_code == 404
    assert client.get("/exports/releases/1999.01/ocds.json").status_code == 404


def test_exports_are_served_from_the_release_while_the_public_data_is_unchanged(
    client, demo, data_dir, teams
):
    cut_release("2026.03")
    response = client.get("/exports/citywatch.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="citywatch.json"'
    assert response["ETag"] and response["Last-Modified"]
    body = b"".join(response.streaming_content)
    assert body == (data_dir / "releases" / "2026.03" / "citywatch.json").read_bytes()
    assert json.loads(body)["release"] == "2026.03"
    for filename in exports.FILENAMES:
        served = b"".join(client.get(f"/exports/{filename}").streaming_content)
        assert served == (data_dir / "releases" / "2026.03" / filename).read_bytes(), filename

    # A change to a record the public cannot see changes nothing public: still the release.
    hidden = Deployment.objects.create(
        title="Hidden deal",
        slug="hidden-deal",
        country_id="RS",
        status="rumoured",
        certainty="speculative",
        visibility="private",
        owner_team=teams["A"],
    )
    again = b"".join(client.get("/exports/citywatch.json").streaming_content)
    assert json.loads(again)["release"] == "2026.03"

    # A public change: the export is made afresh, with it.
    hidden.visibility = "public"
    hidden.save()
    fresh = json.loads(b"".join(client.get("/exports/citywatch.json").streaming_content))
    assert "release" not in fresh
    assert "hidden-deal" in [d["slug"] for d in fresh["deployments"]]
