"""An id or key that names a record the importer may not see answers exactly as an unknown one
(review R3): in the dry run, the import and a later import of the same file, in every format
(deployments CSV with ``external_id`` or ``id``, citywatch.json, EFF Atlas), for every kind of
record a file names by id; the hidden records are never touched; the API and the exports name
the new record by the id it was imported with, as for an unknown id. The command line (which
sees everything) takes the oldest of two records a key names, and says so."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import models, transaction

from citywatch.actors.models import Organisation
from citywatch.atlas import services as atlas_services
from citywatch.atlas.models import Component, Deployment, Money, Party
from citywatch.evidence.models import Citation, Source
from citywatch.exchange import exports, keys
from citywatch.exchange.imports.eff_atlas import COLUMNS
from citywatch.exchange.models import RecordKey
from citywatch.places.models import Locality
from citywatch.teams.models import Membership

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)
KINDS = [Deployment, Party, Component, Money, Organisation, Source, Citation, Locality]

DEALS_CSV = "title,external_id,country,status,certainty\nZqext deal,{key},RS,announced,reported\n"
STABLE_ID_CSV = "id,title,country,status,certainty\n{key},Zqstable deal,RS,announced,reported\n"

DATASET = {
    "format": "citywatch-dataset",
    "format_version": "1.1",
    "sources": [
        {
            "id": "src-1",
            "title": "Lusaka police cameras",
            "url": "https://news.example.org/lusaka-zq",
            "published_on": "2021-03",
            "kind": "media",
        }
    ],
    "organisations": [
        {
            "id": "org-1",
            "slug": "zq-lusaka-police",
            "name": "Zq Lusaka Police",
            "kind": "authority",
        },
        {"id": "org-2", "slug": "zq-state-bank", "name": "Zq State Bank", "kind": "financier"},
    ],
    "localities": [
        {"id": "loc-1", "name": "Lusaka", "country": "ZM", "latitude": None, "longitude": None}
    ],
    "deployments": [
        {
            "id": "dep-1",
            "slug": "zq-lusaka-safe-city",
            "title": "Zq Lusaka safe city",
            "status": "deploying",
            "certainty": "reported",
            "country": "ZM",
            "locality": "loc-1",
            "parties": [{"id": "par-1", "organisation": "org-1", "role": "buyer"}],
            "components": [
                {"id": "com-1", "technology": "cctv", "quantity": 1000, "unit": "cameras"}
            ],
            "money": [
                {
                    "id": "mon-1",
                    "amount": "126000000.00",
                    "currency": "USD",
                    "dated": "2018",
                    "financing": "loan",
                    "lender": "org-2",
                }
            ],
        }
    ],
    "citations": [
        {
            "id": "cit-1",
            "source": "src-1",
            "target": {"type": "component", "id": "com-1"},
            "field_name": "quantity",
            "stated_value": "1000",
            "quote": "1,000 cameras are installed.",
            "language": "en",
        }
    ],
}
DATASET_IDS = ["src-1", "org-1", "org-2", "loc-1", "dep-1", "par-1", "com-1", "mon-1", "cit-1"]

FRESNO = {
    "AOSNUMBER": "{key}",
    "City": "Fresno",
    "County": "Fresno",
    "State": "CA",
    "Agency": "Fresno Police Department",
    "Type of LEA": "Police",
    "Summary": "The Fresno Police Department uses automated license plate readers.",
    "Type of Juris": "Municipal",
    "Technology": "Automated License Plate Readers",
    "TECH ABV": "ALPR",
    "Vendor": "Vigilant Solutions",
    "Link 1": "https://example.org/fresno-alpr-zq",
    "Link 1 Source": "Fresno Bee",
    "Link 1 Type": "News",
    "Link 1 Date": "2019-05-13",
}


def atlas_csv(key: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, quoting=csv.QUOTE_ALL)
    writer.writeheader()
    writer.writerow({column: FRESNO.get(column, "").replace("{key}", key) for column in COLUMNS})
    return buffer.getvalue().encode()


def dataset(ids: dict[str, str]) -> bytes:
    """The dataset with its ids (or other values) renamed (``ids``: old -> new)."""
    text = json.dumps(DATASET, indent=1)
    for old, new in ids.items():
        text = text.replace(f'"{old}"', f'"{new}"')
    return text.encode()


# Doors ----------------------------------------------------------------------------------------


def web_import(client, data: bytes, name: str, button: str) -> list[str]:
    """The report the /imports/ page shows for this file ("check": the dry run)."""
    upload = SimpleUploadedFile(name, data, "text/plain")
    response = client.post("/imports/", {"file": upload, "scheme": "external", button: "1"})
    assert response.status_code == 200
    report = response.context["report"]
    assert report is not None
    page = html.unescape(response.content.decode())
    for line in report.lines():  # the page shows each, without the command's prefixes
        shown = re.sub(r"^(rejected|warning|approximate): ", "", line)
        assert shown in page, line
    return report.lines()


def public_ids() -> dict[str, Any]:
    """What the public doors say about the new records: each public deployment's id in the API
    and in the citywatch.json export, by slug."""
    from django.test import Client

    visitor = Client()
    exported = json.loads(exports.export("citywatch.json", MOMENT).content)
    found = {}
    for deployment in Deployment.objects.filter(visibility="public").order_by("slug"):
        api = visitor.get(f"/api/deployments/{deployment.slug}")
        assert api.status_code == 200
        in_export = [d["id"] for d in exported["deployments"] if d["slug"] == deployment.slug]
        found[deployment.slug] = {"api": api.json()["id"], "export": in_export}
    found["export kinds"] = {
        name: sorted(item["id"] for item in exported.get(name, []))
        for name in ("sources", "organisations", "localities", "citations")
    }
    return found


def outcome(client, data: bytes, name: str, user_sees: Callable[[], Any]) -> dict[str, Any]:
    """Everything the importer learns from this file: the dry run, the import, a second
    import and a second dry run, what they then see, and what the public doors say. Undone
    afterwards, so the next file starts from the same data."""
    with transaction.atomic():
        result = {
            "dry run": web_import(client, data, name, "check"),
            "import": web_import(client, data, name, "apply"),
            "again": web_import(client, data, name, "apply"),
            "dry run again": web_import(client, data, name, "check"),
            "sees": user_sees(),
            "public": public_ids(),
        }
        transaction.set_rollback(True)
    return result


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def neutral(result: dict[str, Any], keys_named: list[str]) -> str:
    """The outcome as text with each key replaced by a placeholder (its position), and each
    id minted meanwhile (a random UUID) by one in order of appearance."""
    text = json.dumps(result, sort_keys=True, default=str, ensure_ascii=False)
    for index, key in enumerate(sorted(keys_named, key=len, reverse=True)):
        text = text.replace(key, f"KEY{index}")
    minted: dict[str, str] = {}
    return UUID.sub(lambda m: minted.setdefault(m.group(), f"MINTED{len(minted)}"), text)


# The hidden rows ------------------------------------------------------------------------------


def state_of(records: list[models.Model]) -> list[Any]:
    """Rows, history and key claims of these records, as stored."""
    rows = []
    for record in records:
        model = type(record)
        rows.append(list(model.objects.filter(pk=record.pk).values()))
        if hasattr(model, "history"):
            history = model.history.filter(**{model._meta.pk.attname: record.pk})
            rows.append(list(history.values()))
        content_type = ContentType.objects.get_for_model(model)
        rows.append(
            list(RecordKey.objects.filter(content_type=content_type, object_id=record.pk).values())
        )
    return rows


def team_records(team) -> list[models.Model]:
    """Every record team A's import made (the deal, its parts, what they name)."""
    deals = list(Deployment.objects.filter(owner_team=team))
    found: list[models.Model] = list(deals)
    for deal in deals:
        found += list(deal.parties.all()) + list(deal.components.all()) + list(deal.money.all())
        found += [p.organisation for p in deal.parties.all()]
        found += [m.lender for m in deal.money.all() if m.lender]
    found += list(Source.objects.filter(owner_team=team))
    found += list(Citation.objects.filter(source__owner_team=team))
    return found


def hide(deal: Deployment, by) -> None:
    deal.visibility = "private"
    atlas_services.save_record(deal, by=by, reason="test")


def visible_to(user) -> Callable[[], Any]:
    from citywatch.teams import permissions

    def sees() -> dict[str, Any]:
        return {
            model.__name__: sorted(
                label(r) for r in model.objects.filter(permissions.visible_q(user, model))
            )
            for model in KINDS
        }

    return sees


def label(record: models.Model) -> str:
    if isinstance(record, Citation):
        return f"{record.field_name}: {record.quote}"
    return str(getattr(record, "slug", "") or record)


@pytest.fixture
def reviewers(make_member):
    return make_member("reviewer", "A"), make_member("reviewer", "B")


# Each format, through the /imports/ page ------------------------------------------------------


def compare(client, reviewer_b, hidden_records, files: dict[str, bytes], name: str, keys_named):
    """The hidden file and the unknown file give the same outcome; no hidden row changes."""
    before = state_of(hidden_records)
    client.force_login(reviewer_b)
    hidden = outcome(client, files["hidden"], name, visible_to(reviewer_b))
    assert state_of(hidden_records) == before
    unknown = outcome(client, files["unknown"], name, visible_to(reviewer_b))
    assert state_of(hidden_records) == before
    assert hidden["import"][-1].endswith(" 0 rejected."), hidden["import"]
    assert "0 created, 0 updated" in hidden["again"][-1], hidden["again"]
    assert neutral(hidden, keys_named["hidden"]) == neutral(unknown, keys_named["unknown"])
    return hidden


def test_a_csv_external_id_of_a_hidden_deal_answers_as_an_unknown_one(client, reviewers):
    reviewer_a, reviewer_b = reviewers
    client.force_login(reviewer_a)
    web_import(client, DEALS_CSV.format(key="zq-ext-1").encode(), "a.csv", "apply")
    deal = Deployment.objects.get(title="Zqext deal")
    hide(deal, reviewer_a)
    files = {
        "hidden": DEALS_CSV.format(key="zq-ext-1").encode(),
        "unknown": DEALS_CSV.format(key="zq-ext-2").encode(),
    }
    result = compare(
        client,
        reviewer_b,
        [deal],
        files,
        "b.csv",
        {"hidden": ["zq-ext-1"], "unknown": ["zq-ext-2"]},
    )
    assert any("create deployment zqext-deal" in line for line in result["dry run"])


def test_a_csv_stable_id_of_a_deal_now_hidden_answers_as_an_unknown_one(client, reviewers):
    """The id was public (in an export) before the deal was hidden."""
    reviewer_a, reviewer_b = reviewers
    client.force_login(reviewer_a)
    web_import(
        client, STABLE_ID_CSV.format(key=uuid.uuid4()).encode(), "a.csv", "apply"
    )  # its own id
    deal = Deployment.objects.get(title="Zqstable deal")
    public_id = public_ids()["zqstable-deal"]["api"]
    hide(deal, reviewer_a)
    unknown_id = str(uuid.uuid4())
    files = {
        "hidden": STABLE_ID_CSV.format(key=public_id).encode(),
        "unknown": STABLE_ID_CSV.format(key=unknown_id).encode(),
    }
    result = compare(
        client,
        reviewer_b,
        [deal],
        files,
        "b.csv",
        {"hidden": [public_id], "unknown": [unknown_id]},
    )
    # The public doors name the new deal by the id it was imported with, as for an unknown id.
    assert result["public"]["zqstable-deal"]["api"] == public_id


def test_citywatch_json_ids_of_hidden_records_of_every_kind_answer_as_unknown_ones(
    client, reviewers
):
    reviewer_a, reviewer_b = reviewers
    client.force_login(reviewer_a)
    # Team A's organisations have other slugs: here they are named by their ids only.
    own_slugs = {"zq-lusaka-police": "zq-a-police", "zq-state-bank": "zq-a-bank"}
    report = web_import(client, dataset(own_slugs), "a.json", "apply")
    assert report[-1].endswith(" 0 rejected."), report
    deal = Deployment.objects.get(slug="zq-lusaka-safe-city")
    hide(deal, reviewer_a)
    hidden_records = team_records(reviewer_a.memberships.get().team)
    assert {type(r) for r in hidden_records} >= {Deployment, Party, Component, Money, Source}
    # Lusaka is a public place (shared reference data), so its id names it for everyone.
    renamed = {old: f"u-{old}" for old in DATASET_IDS if old != "loc-1"}
    files = {"hidden": dataset({}), "unknown": dataset(renamed)}
    compare(
        client,
        reviewer_b,
        hidden_records,
        files,
        "b.json",
        {"hidden": list(renamed), "unknown": list(renamed.values())},
    )


def test_an_eff_atlas_row_number_of_a_hidden_deal_answers_as_an_unknown_one(client, reviewers):
    reviewer_a, reviewer_b = reviewers
    client.force_login(reviewer_a)
    report = web_import(client, atlas_csv("7001"), "atlas.csv", "apply")
    assert report[-1].endswith(" 0 rejected."), report
    deal = Deployment.objects.get(owner_team__slug="share")
    hide(deal, reviewer_a)
    hidden_records = team_records(reviewer_a.memberships.get().team)
    files = {"hidden": atlas_csv("7001"), "unknown": atlas_csv("7999")}
    compare(
        client,
        reviewer_b,
        hidden_records,
        files,
        "atlas.csv",
        {"hidden": ["7001"], "unknown": ["7999"]},
    )


# Who sees both --------------------------------------------------------------------------------


def two_claims(client, reviewers) -> tuple[Deployment, Deployment]:
    """Team A's hidden deal and team B's new one, both named by external id zq-ext-1."""
    reviewer_a, reviewer_b = reviewers
    client.force_login(reviewer_a)
    web_import(client, DEALS_CSV.format(key="zq-ext-1").encode(), "a.csv", "apply")
    hidden = Deployment.objects.get(owner_team__slug="share")
    hide(hidden, reviewer_a)
    client.force_login(reviewer_b)
    web_import(client, DEALS_CSV.format(key="zq-ext-1").encode(), "b.csv", "apply")
    mine = Deployment.objects.get(owner_team__slug="unwanted-witness")
    assert keys.named(Deployment, "zq-ext-1", "external") == [hidden.pk, mine.pk]
    return hidden, mine


def two_names(key: str, hidden: Deployment, mine: Deployment) -> str:
    return (
        f"the id {key} names 2 records of kind deployment here ({hidden.slug}, {mine.slug}): "
        f"it means the oldest, {hidden.slug}, as exports name them"
    )


def test_a_key_naming_two_visible_records_means_the_oldest_with_a_warning(client, reviewers):
    """Once team A shows its deal to partners, team B sees both: the key means A's deal (as
    the exports B reads name it), which B may not change; B's deal is untouched."""
    hidden, mine = two_claims(client, reviewers)
    hidden.visibility = "partners"
    atlas_services.save_record(hidden, by=reviewers[0], reason="test")
    hidden.refresh_from_db()
    renamed = DEALS_CSV.format(key="zq-ext-1").replace("Zqext deal", "Zqext deal renamed")
    lines = web_import(client, renamed.encode(), "b.csv", "apply")
    assert any(two_names("zq-ext-1", hidden, mine) in line for line in lines), lines
    assert any(f"you may not change deployment {hidden.slug}" in line for line in lines), lines
    mine.refresh_from_db()
    hidden.refresh_from_db()
    assert (mine.title, hidden.title) == ("Zqext deal", "Zqext deal")


def test_a_reviewer_of_both_teams_changes_the_oldest(client, reviewers, teams):
    hidden, mine = two_claims(client, reviewers)
    Membership.objects.create(team=teams["A"], user=reviewers[1], role="reviewer")
    renamed = DEALS_CSV.format(key="zq-ext-1").replace("Zqext deal", "Zqext deal renamed")
    lines = web_import(client, renamed.encode(), "b.csv", "apply")
    assert lines[0] == f"line 2: update deployment {hidden.slug}", lines
    assert any(two_names("zq-ext-1", hidden, mine) in line for line in lines), lines
    mine.refresh_from_db()
    hidden.refresh_from_db()
    assert (hidden.title, mine.title) == ("Zqext deal renamed", "Zqext deal")


def test_the_command_line_takes_the_oldest_of_two_records_a_key_names_and_warns(
    client, reviewers, tmp_path: Path
):
    """The operator sees every record: an id claimed by two teams' deals means the older one,
    as the operator's exports name it, and the report names both
    (docs/exports-and-imports.md)."""
    hidden, mine = two_claims(client, reviewers)
    before = state_of([mine])
    path = tmp_path / "deals.csv"
    path.write_text(DEALS_CSV.format(key="zq-ext-1").replace("Zqext deal", "Zqext deal v2"))
    err, out = io.StringIO(), io.StringIO()
    call_command("import", str(path), "--dry-run", stdout=out, stderr=err)
    assert two_names("zq-ext-1", hidden, mine) in err.getvalue()
    assert f"would update deployment {hidden.slug}" in out.getvalue()
    call_command("import", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    hidden.refresh_from_db()
    assert hidden.title == "Zqext deal v2"
    assert state_of([mine]) == before
    call_command("import", str(path), stdout=(out := io.StringIO()), stderr=io.StringIO())
    assert "0 created, 0 updated" in out.getvalue()


# Exports: one id per record in a file ---------------------------------------------------------


def test_an_export_that_sees_both_records_gives_each_its_own_id(client, reviewers):
    """Team B's deal was imported with the stable id of team A's hidden deal: while A's is
    hidden, the public doors name B's by that id (as for an unknown id); once both are public,
    A's keeps its id and B's gets a new one, and no file names two records alike."""
    reviewer_a, reviewer_b = reviewers
    client.force_login(reviewer_a)
    web_import(client, STABLE_ID_CSV.format(key=uuid.uuid4()).encode(), "a.csv", "apply")
    theirs = Deployment.objects.get(owner_team__slug="share")
    public_id = keys.stable_ids(Deployment, [theirs.pk])[theirs.pk]
    hide(theirs, reviewer_a)
    client.force_login(reviewer_b)
    text = STABLE_ID_CSV.format(key=public_id).replace("Zqstable deal", "Zqother deal")
    web_import(client, text.encode(), "b.csv", "apply")
    mine = Deployment.objects.get(owner_team__slug="unwanted-witness")
    assert public_ids()[mine.slug]["api"] == public_id
    assert keys.stable_ids(Deployment, [theirs.pk, mine.pk]) != {
        theirs.pk: public_id,
        mine.pk: public_id,
    }

    theirs.visibility = "public"
    atlas_services.save_record(theirs, by=reviewer_a, reason="test")
    ids = public_ids()
    assert ids[theirs.slug]["api"] == public_id == ids[theirs.slug]["export"][0]
    new_id = ids[mine.slug]["api"]
    assert new_id != public_id and ids[mine.slug]["export"] == [new_id]
    exported = json.loads(exports.export("citywatch.json", MOMENT).content)
    every_id = [d["id"] for d in exported["deployments"]]
    assert len(every_id) == len(set(every_id))
    assert re.fullmatch(r"[0-9a-f-]{36}", new_id)
    # The ids stay as they are on the next export, and the operator's read agrees.
    assert public_ids() == ids
    assert keys.stable_ids(Deployment, [theirs.pk, mine.pk]) == {
        theirs.pk: public_id,
        mine.pk: new_id,
    }
    # Now that B sees A's deal, the old id means A's deal (as B's exports say), and B's deal
    # is changed by its own new id.
    lines = web_import(client, text.encode(), "b.csv", "check")
    assert any(f"you may not change deployment {theirs.slug}" in line for line in lines), lines
    lines = web_import(client, text.replace(public_id, new_id).encode(), "b.csv", "check")
    assert "0 created, 0 updated" in lines[-1], lines
