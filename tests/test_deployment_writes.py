"""One owner for deployment writes (issue 16 item 5): outside ``citywatch/atlas/``, no code
creates, saves or deletes a deployment, a part, a vendor claim or a citation of one directly;
it calls ``citywatch.atlas.services``. A static scan (AST) of every app's source, plus the
behaviour of the services it relies on: permission checks and one ``deployment_changed``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from citywatch.atlas import services
from citywatch.atlas.models import Component, Deployment
from citywatch.core.signals import deployment_changed
from citywatch.exchange.imports import run_import
from citywatch.teams import permissions
from citywatch.teams.models import Team

SOURCE = Path(__file__).resolve().parents[1] / "src" / "citywatch"
MODELS = {"Deployment", "Party", "Component", "Money", "Event", "VendorClaim", "Citation"}
WRITES = {"create", "bulk_create", "get_or_create", "update_or_create", "bulk_update"}
INSTANCE_WRITES = {"save", "delete"}
# A receiver name that holds one of these records when it is saved: a deployment or part by
# its usual name in the code base.
RECORD_NAMES = {"deployment", "party", "component", "money", "event", "claim"}

# Files outside atlas allowed to write these records, and why.
ALLOWED = {
    # Migrations run on historical models, before any service exists.
    "migrations": "data migrations use the historical models",
}


def python_files() -> list[Path]:
    files = []
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE)
        if relative.parts[0] == "atlas" or "migrations" in relative.parts:
            continue
        files.append(path)
    return files


def chain_root(node: ast.AST) -> str:
    """The first name of an attribute/call chain: ``Deployment`` in
    ``Deployment.objects.filter(...).first()``."""
    while True:
        if isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            return node.id if isinstance(node, ast.Name) else ""


class WriteFinder(ast.NodeVisitor):
    """Finds direct writes of the atlas's records in one module."""

    def __init__(self) -> None:
        self.found: list[tuple[int, str]] = []
        self.bound: set[str] = set()  # names bound to a record of MODELS in this module

    def visit_Assign(self, node: ast.Assign) -> None:
        if chain_root(node.value) in MODELS:
            for target in node.targets:
                if isinstance(target, ast.Name):
                    self.bound.add(target.id)
        self.generic_visit(node)

    def visit_For(self, node: ast.For) -> None:
        if chain_root(node.iter) in MODELS and isinstance(node.target, ast.Name):
            self.bound.add(node.target.id)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            root = chain_root(func.value)
            if func.attr in WRITES and root in MODELS:
                self.found.append((node.lineno, f"{root}.objects.{func.attr}"))
            if func.attr in INSTANCE_WRITES and not node.args and not node.keywords:
                receiver = func.value
                name = receiver.id if isinstance(receiver, ast.Name) else ""
                if root in MODELS or name in self.bound or name in RECORD_NAMES:
                    self.found.append((node.lineno, f"{name or root}.{func.attr}()"))
        if (
            isinstance(func, ast.Name)
            and func.id == "bulk_create_with_history"
            and any(isinstance(a, ast.Name) and a.id in MODELS for a in node.args)
        ):
            self.found.append((node.lineno, "bulk_create_with_history"))
        self.generic_visit(node)


def direct_writes(path: Path) -> list[str]:
    finder = WriteFinder()
    tree = ast.parse(path.read_text(), filename=str(path))
    finder.visit(tree)
    finder.found.clear()
    finder.visit(tree)  # again, now that every binding of the module is known
    relative = path.relative_to(SOURCE)
    return [f"{relative}:{line}: {what}" for line, what in finder.found]


def test_no_app_but_atlas_writes_deployments_directly():
    offenders = [hit for path in python_files() for hit in direct_writes(path)]
    assert offenders == [], "write these through citywatch.atlas.services:\n" + "\n".join(offenders)


def test_the_scan_finds_what_it_looks_for(tmp_path):
    """The scanner itself: each kind of direct write is caught, a service call is not."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f(d, values):\n"
        "    Deployment.objects.create(title='x')\n"
        "    Component.objects.bulk_create([])\n"
        "    party = Party(deployment=d)\n"
        "    party.save()\n"
        "    locked = Deployment.objects.select_for_update().get(pk=1)\n"
        "    locked.delete()\n"
        "    deployment.save()\n"
        "    bulk_create_with_history([], Citation)\n"
        "    services.save_record(party, by=None)\n"
        "    source.save()\n"
    )
    finder = WriteFinder()
    tree = ast.parse(sample.read_text())
    finder.visit(tree)
    finder.found.clear()
    finder.visit(tree)
    assert [line for line, _what in finder.found] == [2, 3, 5, 7, 8, 9]


@pytest.fixture
def team(db):
    return Team.objects.create(slug="writers", name="Writers")


def test_save_record_asks_the_permission_module(team, django_user_model):
    from citywatch.teams.models import Membership

    contributor = django_user_model.objects.create_user("c", password="x" * 16)
    reviewer = django_user_model.objects.create_user("r", password="x" * 16)
    Membership.objects.create(user=contributor, team=team, role="contributor")
    Membership.objects.create(user=reviewer, team=team, role="reviewer")
    deployment = Deployment(
        title="Test deal",
        slug="test-deal",
        country_id="RS",
        owner_team=team,
        status="announced",
        certainty="reported",
    )
    with pytest.raises(PermissionDenied):
        services.save_record(deployment, by=contributor)
    assert not Deployment.objects.filter(slug="test-deal").exists()
    services.save_record(deployment, by=reviewer, reason="test")
    assert deployment.history.first().history_change_reason == "test"
    deployment.title = "Changed"
    with pytest.raises(PermissionDenied):
        services.save_record(deployment, by=contributor)
    with pytest.raises(PermissionDenied):
        services.save_record(deployment, by=None)  # an anonymous visitor
    services.save_record(deployment, by=permissions.INTERNAL)
    with pytest.raises(ValueError):
        services.save_record(team, by=permissions.INTERNAL)  # not atlas's record


def test_one_deployment_changed_signal_per_deferred_block(team):
    sent: list[frozenset[int]] = []

    def listen(sender, deployment_ids, **kwargs):
        sent.append(deployment_ids)

    deployment_changed.connect(listen)
    try:
        with services.deferred_changes():
            deployment = Deployment(
                title="Deal with parts",
                slug="deal-with-parts",
                country_id="RS",
                status="announced",
                certainty="reported",
            )
            services.save_record(deployment, by=permissions.INTERNAL)
            component = Component(deployment=deployment, technology_id=1, unit="cameras")
            component.technology = component.technology.__class__.objects.get(slug="cctv")
            services.save_record(component, by=permissions.INTERNAL)
            assert sent == []
        assert sent == [frozenset({deployment.pk})]
        deployment.refresh_from_db()
        assert "deal with parts" in deployment.search_text
    finally:
        deployment_changed.disconnect(listen)


def synthetic_file(count: int) -> bytes:
    import json
    import sys

    sys.path.insert(0, str(SOURCE.parents[1] / "benchmarks"))
    try:
        from import_scale import synthetic_dataset
    finally:
        sys.path.pop(0)
    data = synthetic_dataset(count, seed=3)
    data["localities"] = data["localities"][:20]
    known = {item["id"] for item in data["localities"]}
    for deployment in data["deployments"]:
        if deployment["locality"] not in known:
            deployment["locality"] = None
    data["sources"] = data["sources"][:20]
    sources = [item["id"] for item in data["sources"]]
    for n, citation in enumerate(data["citations"]):
        citation["source"] = sources[n % len(sources)]
    return json.dumps(data).encode()


@pytest.mark.django_db
def test_import_queries_do_not_grow_much_per_deployment():
    """Derived fields, the search index and the cache generation are brought up to date once
    after the rows: what an import costs per row is the rows' own records."""
    small, large = synthetic_file(30), synthetic_file(300)
    counts = []
    for data in (small, large):
        Deployment.objects.all().delete()
        executed = []

        def count(execute, sql, params, many, context, executed=executed):
            executed.append(1)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            report = run_import(data, filename="x.json", dry_run=True)
        assert report.ok, report.lines()[:5]
        counts.append(len(executed))
    per_row = (counts[1] - counts[0]) / 270
    # Each deployment brings 7 records (deployment, 2 parties, component, money, event,
    # citation). Row by row, each was found by id, validated, saved with its history row and
    # its stable key, in a savepoint: 88 queries a deployment. New records are now written
    # a batch at a time (tests/test_import_scale_queries.py): only the inserts grow, each
    # writing many rows; derived fields and the search index add a few queries per batch.
    assert per_row < 1, counts


@pytest.mark.django_db
def test_an_import_sends_deployment_changed_once():
    sent: list[frozenset[int]] = []

    def listen(sender, deployment_ids, **kwargs):
        sent.append(deployment_ids)

    deployment_changed.connect(listen)
    try:
        report = run_import(synthetic_file(30), filename="x.json")
    finally:
        deployment_changed.disconnect(listen)
    assert report.ok
    assert sent == [frozenset(Deployment.objects.values_list("pk", flat=True))]
    assert not Deployment.objects.filter(search_text="").exists()
    assert not Deployment.objects.filter(first_year=None).exists()
