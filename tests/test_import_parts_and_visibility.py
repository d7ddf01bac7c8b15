"""Imports never move a part between deployments, and honour who may see a record (review 3,
G4 and G6).

G4: a citywatch.json row whose party, component, amount, event, claim or citation id names a
part of another deployment is refused with its JSON path, and nothing is written, whether the
row would go the bulk way or row by row; a part of a deployment the importer may not see answers
exactly as an unknown id. G6: a CSV ``visibility`` / ``embargo_until`` column and citywatch.json's
deployment ``visibility`` / ``embargo_until`` are honoured with the deal page's values (a hidden
record gets an unguessable slug), an invalid value is a problem of its row, a contributor may
not set them; a CSV column the format does not know is a warning naming it."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest

from citywatch.atlas import services as atlas_services
from citywatch.atlas.models import Component, Deployment, Event, Money, Party, VendorClaim
from citywatch.evidence.models import Citation
from citywatch.exchange.imports import bulk, run_import
from citywatch.teams import permissions

pytestmark = pytest.mark.django_db

PARTS = {"parties": Party, "components": Component, "money": Money, "events": Event}
PARTS["claims"] = VendorClaim

BASE = {
    "format": "citywatch-dataset",
    "format_version": "1.1",
    "sources": [
        {
            "id": "src-b",
            "title": "Zq Barcelona letter",
            "url": "https://zq.example.org/bcn",
            "kind": "media",
        }
    ],
    "organisations": [{"id": "org-h", "slug": "zq-huawei", "name": "Zq Huawei", "kind": "vendor"}],
    "localities": [],
    "deployments": [
        {
            "id": "dep-b",
            "slug": "zq-barcelona",
            "title": "Zq Barcelona letter of intention",
            "status": "announced",
            "certainty": "reported",
            "country": "ES",
            "parties": [{"id": "par-b", "organisation": "org-h", "role": "supplier"}],
            "components": [{"id": "com-b", "technology": "cctv", "quantity": 5, "unit": "cameras"}],
            "money": [{"id": "mon-b", "amount": "1000.00", "currency": "EUR", "dated": "2019"}],
            "events": [{"id": "evt-b", "kind": "announced", "title": "Letter signed"}],
            "claims": [{"id": "clm-b", "vendor": "org-h", "statement": "Zq smart city"}],
        }
    ],
    "citations": [
        {
            "id": "cit-b",
            "source": "src-b",
            "target": {"type": "component", "id": "com-b"},
            "quote": "five cameras",
        }
    ],
}
PART_IDS = ["par-b", "com-b", "mon-b", "evt-b", "clm-b"]


def attack(ids: dict[str, str] | None = None) -> bytes:
    """A new deployment whose parts carry the ids of the Barcelona deal's parts (or ``ids``)."""
    data = copy.deepcopy(BASE)
    deal = data["deployments"][0]
    deal.update(id="dep-new", slug="zq-new", title="Zq new", country="RS")
    data["citations"] = []
    text = json.dumps(data)
    for old, new in (ids or {}).items():
        text = text.replace(f'"{old}"', f'"{new}"')
    return text.encode()


def barcelona_parts() -> dict[str, list[int]]:
    deal = Deployment.objects.get(title="Zq Barcelona letter of intention")
    return {
        name: sorted(model.objects.filter(deployment=deal).values_list("pk", flat=True))
        for name, model in PARTS.items()
    }


@pytest.mark.parametrize("bulk_path", [True, False])
def test_part_ids_of_another_deployment_are_refused(monkeypatch, bulk_path):
    monkeypatch.setattr(bulk, "ENABLED", bulk_path)
    base = run_import(json.dumps(BASE).encode(), "base.json")
    assert base.ok, [str(p) for p in base.problems]
    before = barcelona_parts()
    assert all(before.values())

    report = run_import(attack(), "p2.json")

    assert not report.ok
    where = {problem.record: problem.message for problem in report.problems}
    for index, name in enumerate(PARTS):
        message = where[f"deployments[0].{name}[0].id"]
        assert f"the id {PART_IDS[index]} names a" in message
        assert "of another deployment" in message
    assert not Deployment.objects.filter(slug__startswith="zq-new").exists()
    assert barcelona_parts() == before


def test_citation_id_of_another_record_is_refused():
    assert run_import(json.dumps(BASE).encode(), "base.json").ok
    cited = Citation.objects.get(quote="five cameras")
    data = copy.deepcopy(BASE)
    data["citations"][0]["target"] = {"type": "deployment", "id": "dep-b"}

    report = run_import(json.dumps(data).encode(), "moved.json")

    assert not report.ok
    [problem] = report.problems
    assert problem.record == "citations[0].id"
    assert "the id cit-b names a citation of another record" in problem.message
    component = Component.objects.get(deployment__slug="zq-barcelona")
    cited.refresh_from_db()
    assert (cited.content_type.model_class(), cited.object_id) == (Component, component.pk)


@pytest.mark.parametrize("hidden", [False, True])
def test_parts_of_another_team_deal(make_member, hidden):
    """Another team's public deal: a clear refusal. Its hidden deal: exactly as unknown ids."""
    reviewer_a, reviewer_b = make_member("reviewer", "A"), make_member("reviewer", "B")
    assert run_import(json.dumps(BASE).encode(), "base.json", user=reviewer_a).ok
    deal = Deployment.objects.get(title="Zq Barcelona letter of intention")
    if hidden:
        deal.visibility = "private"
        atlas_services.save_record(deal, by=reviewer_a, reason="test")
    before = barcelona_parts()

    report = run_import(attack(), "p2.json", dry_run=True, user=reviewer_b)

    if hidden:
        unknown = {key: f"{key}-unknown" for key in PART_IDS}
        fresh = run_import(attack(unknown), "p2.json", dry_run=True, user=reviewer_b)
        assert report.lines() == fresh.lines()
        assert report.ok
        assert run_import(attack(), "p2.json", user=reviewer_b).ok
    else:
        assert not report.ok
        assert any("of another deployment" in p.message for p in report.problems)
    assert barcelona_parts() == before


# G6: visibility -------------------------------------------------------------------------------

CSV_HEAD = "title,country,status,certainty,visibility,embargo_until\n"


def csv_import(rows: str, user: Any, head: str = CSV_HEAD):
    return run_import((head + rows).encode(), "deals.csv", user=user)


@pytest.mark.parametrize(
    "cells,visibility,embargo",
    [
        ("private,", "private", None),
        ("Partners,", "partners", None),
        ("public,2099-01-01", "public", dt.date(2099, 1, 1)),
    ],
)
def test_csv_visibility_is_honoured(make_member, teams, cells, visibility, embargo):
    reviewer = make_member("reviewer", "A")
    report = csv_import(f"Zqimp hidden,RS,announced,reported,{cells}\n", reviewer)
    assert report.ok, report.lines()
    deal = Deployment.objects.get(title="Zqimp hidden")
    assert (deal.visibility, deal.embargo_until, deal.owner_team) == (
        visibility,
        embargo,
        teams["A"],
    )
    assert not permissions.is_public(deal)
    assert deal.slug.startswith("zqimp-hidden-") and deal.slug != "zqimp-hidden"
    assert not Deployment.objects.filter(permissions.public_q(), pk=deal.pk).exists()


def test_csv_invalid_visibility_and_embargo_are_problems(make_member):
    reviewer = make_member("reviewer", "A")
    report = csv_import("Zqimp bad,RS,announced,reported,secret,15/01/2099\n", reviewer)
    assert not report.ok
    columns = {problem.column: problem.message for problem in report.problems}
    assert "write public, partners or private" in columns["visibility"]
    assert "YYYY-MM-DD" in columns["embargo_until"]
    assert not Deployment.objects.filter(title="Zqimp bad").exists()


def test_contributor_may_not_set_visibility(make_member):
    reviewer, contributor = make_member("reviewer", "A"), make_member("contributor", "A")
    assert csv_import("Zqimp deal,RS,announced,reported,,\n", reviewer).ok
    report = csv_import("Zqimp deal,RS,operational,reported,private,\n", contributor)
    assert not report.ok
    [problem] = report.problems
    assert problem.column == "visibility"
    assert "a contributor's import cannot set visibility" in problem.message
    assert Deployment.objects.get(title="Zqimp deal").visibility == "public"


def test_unknown_csv_column_is_a_warning(make_member):
    reviewer = make_member("reviewer", "A")
    head = "title,country,status,certainty,visibilty,permalink\n"
    report = csv_import("Zqimp typo,RS,announced,reported,private,x\n", reviewer, head)
    assert report.ok
    warned = [w for w in report.warnings if w.column]
    assert [w.column for w in warned] == ["visibilty"]
    assert "visibilty" in warned[0].message
    assert "visibilty" in "\n".join(report.lines())


def json_deal(**fields: Any) -> bytes:
    deal = {
        "id": "dep-v",
        "slug": "zq-visible",
        "title": "Zq visibility deal",
        "status": "announced",
        "certainty": "reported",
        "country": "RS",
        **fields,
    }
    return json.dumps(
        {"format": "citywatch-dataset", "format_version": "1.1", "deployments": [deal]}
    ).encode()


@pytest.mark.parametrize(
    "fields,visibility,embargo",
    [
        ({"visibility": "private"}, "private", None),
        ({"visibility": "partners"}, "partners", None),
        ({"embargo_until": "2099-01-01"}, "public", dt.date(2099, 1, 1)),
    ],
)
@pytest.mark.parametrize("bulk_path", [True, False])
def test_json_visibility_is_honoured(
    make_member, monkeypatch, fields, visibility, embargo, bulk_path
):
    monkeypatch.setattr(bulk, "ENABLED", bulk_path)
    reviewer = make_member("reviewer", "A")
    report = run_import(json_deal(**fields), "v.json", user=reviewer)
    assert report.ok, report.lines()
    deal = Deployment.objects.get(title="Zq visibility deal")
    assert (deal.visibility, deal.embargo_until) == (visibility, embargo)
    assert deal.slug.startswith("zq-visible-") and not permissions.is_public(deal)


def test_json_invalid_visibility_and_contributor(make_member):
    reviewer, contributor = make_member("reviewer", "A"), make_member("contributor", "A")
    report = run_import(json_deal(visibility="secret"), "v.json", user=reviewer)
    assert not report.ok
    assert any("deployments[0].visibility" in str(p) for p in report.problems)
    assert not Deployment.objects.exists()

    assert run_import(json_deal(), "v.json", user=reviewer).ok
    report = run_import(json_deal(visibility="private"), "v.json", user=contributor)
    assert not report.ok
    [problem] = report.problems
    assert problem.record == "deployments[0].visibility"
    assert "a contributor's import cannot set visibility" in problem.message
    assert Deployment.objects.get(title="Zq visibility deal").visibility == "public"
