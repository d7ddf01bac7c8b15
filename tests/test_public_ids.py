"""No public page, API answer, feed or export shows the database number of an FOI request or
a source (review R6, the kind of the map's finding): numbers are sequential, so the gap between
two public ones counts the hidden records made between them and dates them. Public addresses and
ids are random keys instead; old numeric addresses work only for the records that were public
when keys came (migration foi 0006), and every other number is 404 like an unknown one."""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import re
import zipfile
from typing import Any
from urllib.parse import quote

import pytest
from conftest import join_team
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from test_permission_matrix import records  # noqa: F401 (the matrix's records, as a fixture)

from citywatch.actors.models import Organisation
from citywatch.atlas.models import Deployment
from citywatch.core.public_keys import KEY_PATTERN, mint_key
from citywatch.evidence.models import Citation, Source
from citywatch.foi.models import FoiLaw, FoiRequest
from citywatch.teams import permissions

pytestmark = pytest.mark.django_db

WORD = "zqpubidword"
# Numbers far from any other in the demo, so that finding one anywhere in an answer means it
# was shown (the requests and sources A, H and B of the scenario).
NUMBERS = {"A": 618_033_101, "H": 618_033_102, "B": 618_033_103}
SOURCE_NUMBERS = {"A": 618_034_201, "H": 618_034_202, "B": 618_034_203}
# Any numeric address or id of an FOI request or a source, in any answer.
NUMERIC_ADDRESSES = re.compile(
    r"(?:/foi/|/sources/|/api/foi/requests/|/api/sources/|\brequest-|\bquote-|/archive/"
    r"|\bsource-|\bfoi-)\d+(?![\w-]|-[0-9a-f]{4}-)|\bfoi-\d+-(?:due|appeal)@|\brequest-\d+-"
)
# What differs from one answer to the next whatever the record: a CSP nonce, a CSRF token.
PER_ANSWER = re.compile(r"""(nonce(?:="|-)|csrfmiddlewaretoken" value=")[A-Za-z0-9+/=_-]+""")
MIGRATION = "citywatch.foi.migrations.0006_record_public_numbers_and_give_keys"


def shape(response: Any, url: str) -> str:
    """A 404 answer as a visitor could compare it with another: its text with the address
    asked for (which a page may repeat) written URL, without the headers that follow that
    address by construction (its length, and an ETag that hashes the address)."""
    text = body_of(response).replace(url, "URL").replace(quote(url, safe=""), "URL")
    return "\n".join(
        line for line in text.splitlines() if not line.startswith(("Content-Length:", "ETag:"))
    )


def content_of(response: Any) -> bytes:
    if not hasattr(response, "_read_content"):
        streamed = response.streaming
        response._read_content = (
            b"".join(response.streaming_content) if streamed else response.content
        )
    return response._read_content


def body_of(response: Any) -> str:
    """The answer's text (every member of a zip) and its headers, without what changes with
    every answer (``PER_ANSWER``)."""
    content = content_of(response)
    if content[:2] == b"PK":  # a zip (the data package): read every member
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = b"\n".join(archive.read(name) for name in archive.namelist())
    headers = "\n".join(f"{name}: {value}" for name, value in response.items())
    text = content.decode("utf-8", errors="replace") + "\n" + headers
    return PER_ANSWER.sub(r"\1…", text)


def numbered_ids(value: Any, found: list[str], where: str = "") -> list[str]:
    """Integer ids in a JSON answer that name a request, a source, a deployment or an
    organisation (objects with an address of one, or search hits of those kinds)."""
    if isinstance(value, dict):
        address = str(value.get("url", "")) + str(value.get("page", ""))
        names_record = any(p in address for p in ("/foi/", "/sources/", "/deployments/"))
        kind = value.get("kind") if isinstance(value.get("kind"), str) else ""
        hit_kind = kind in {"deployment", "organisation", "source", "document", "foi_request"}
        if (names_record or hit_kind) and isinstance(value.get("id"), int):
            found.append(f"{where}: id {value['id']}")
        if "source_title" in value and isinstance(value.get("source"), int):  # a citation
            found.append(f"{where}: source {value['source']}")
        for key, inner in value.items():
            numbered_ids(inner, found, f"{where}.{key}")
    elif isinstance(value, list):
        for inner in value:
            numbered_ids(inner, found, where)
    return found


# --- the scenario: public A, hidden H, public B ---------------------------------------------


@pytest.fixture
def trio(demo, teams):
    """FOI requests A (public), H (private, team A's) and B (public) made one after another,
    each with a source of the same visibility, as numbered by the database: H's numbers lie
    between A's and B's."""
    requester = Organisation.objects.get(slug="privacy-international")
    authority = Organisation.objects.get(slug="barcelona-city-council")
    law = FoiLaw.objects.get(law_id="es-ct-19-2014")
    deal = Deployment.objects.get(slug="barcelona-letter-of-intention")
    made: dict[str, tuple[FoiRequest, Source]] = {}
    for name in ("A", "H", "B"):
        hidden = name == "H"
        visibility = "private" if hidden else "public"
        source = Source.objects.create(
            pk=SOURCE_NUMBERS[name],
            title=f"Contract {name} {WORD}",
            kind="procurement",
            visibility=visibility,
            owner_team=teams["A"] if hidden else None,
        )
        Citation.objects.create(
            source=source,
            content_type=ContentType.objects.get_for_model(Deployment),
            object_id=deal.pk,
            quote=f"Quote {name}",
        )
        request = FoiRequest.objects.create(
            pk=NUMBERS[name],
            title=f"Request {name} {WORD}",
            requester=requester,
            authority=authority,
            law=law,
            status="awaiting_response",
            visibility=visibility,
            owner_team=teams["A"],
            source=source,
        )
        request.deployments.add(deal)
        made[name] = (request, source)
    return made


def public_answers(trio) -> dict[str, Any]:
    (a, sa), (_h, _sh), (b, sb) = trio["A"], trio["H"], trio["B"]
    urls = [
        "/foi/",
        "/foi/?status=awaiting_response",
        a.get_absolute_url(),
        b.get_absolute_url(),
        "/api/foi/requests?page_size=200",
        f"/api/foi/requests/{a.key}",
        f"/api/foi/requests/{b.key}",
        "/api/sources?page_size=200",
        f"/api/sources?q={WORD}",
        f"/api/sources/{sa.key}",
        f"/api/sources/{sb.key}",
        sa.get_absolute_url(),
        sb.get_absolute_url(),
        f"/search/?q={WORD}",
        f"/api/search?q={WORD}",
        f"/api/search?q={WORD}&kind=foi_request&kind=source",
        "/deployments/barcelona-letter-of-intention/",
        "/api/deployments/barcelona-letter-of-intention",
        "/organisations/barcelona-city-council/",
        "/countries/es/",
        "/feeds/deployments.atom",
        "/feeds/countries/ES.atom",
        "/exports/",
        "/exports/citywatch.json",
        "/exports/deployments.csv",
        "/exports/deployments.geojson",
        "/exports/ocds.json",
        "/exports/datapackage.zip",
    ]
    client = Client()
    answers = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        answers[url] = response
    return answers


def test_nothing_public_shows_the_number_of_a_request_or_source(trio):
    answers = public_answers(trio)
    numbers = [*NUMBERS.values(), *SOURCE_NUMBERS.values()]
    shown = []
    for url, response in answers.items():
        text = body_of(response)
        shown += [f"{url}: {n}" for n in numbers if re.search(rf"(?<!\d){n}(?!\d)", text)]
        shown += [f"{url}: {m}" for m in NUMERIC_ADDRESSES.findall(text)]
        if response["Content-Type"].startswith("application/json"):
            shown += numbered_ids(json.loads(content_of(response)), [], url)
    assert shown == []
    # Not an empty test: the public answers do name A and B, by their keys.
    (a, sa), (h, _sh), (b, sb) = trio["A"], trio["H"], trio["B"]
    listing = answers["/api/foi/requests?page_size=200"].json()["results"]
    assert {a.key, b.key} <= {row["id"] for row in listing}
    assert h.key not in {row["id"] for row in listing}
    assert answers[f"/api/sources/{sa.key}"].json()["id"] == str(sa.key)
    hits = answers[f"/api/search?q={WORD}&kind=foi_request&kind=source"].json()["results"]
    assert {(hit["kind"], hit["id"]) for hit in hits} == {
        ("foi_request", a.key),
        ("foi_request", b.key),
        ("source", str(sa.key)),
        ("source", str(sb.key)),
    }


def test_a_requests_key_is_random_letters_never_its_number(trio):
    keys = [trio[name][0].key for name in ("A", "H", "B")]
    assert all(KEY_PATTERN.fullmatch(key) and not key.isdigit() for key in keys)
    assert len(set(keys)) == 3
    assert all(str(number) not in key for key, number in zip(keys, NUMBERS.values(), strict=True))
    assert trio["A"][0].get_absolute_url() == f"/foi/{keys[0]}/"
    fresh = {mint_key() for _ in range(200)}
    assert len(fresh) == 200 and not any(key.isdigit() for key in fresh)


def test_numbers_tell_nothing_hidden_records_and_unknown_numbers_answer_alike(trio):
    """No record of the scenario was public when keys came, so none has an old number: the
    public A and B, the hidden H and a number that never existed all answer the same 404."""
    client = Client()
    unknown = 618_039_999
    for template in ("/foi/{}/", "/sources/{}/", "/api/foi/requests/{}", "/api/sources/{}"):
        urls = {"unknown": template.format(unknown)}
        for name in ("A", "H", "B"):
            number = NUMBERS[name] if "foi" in template else SOURCE_NUMBERS[name]
            urls[name] = template.format(number)
        answers = {name: client.get(url) for name, url in urls.items()}
        assert {r.status_code for r in answers.values()} == {404}, template
        bodies = {name: shape(answers[name], url) for name, url in urls.items()}
        assert len(set(bodies.values())) == 1, template
    # The hidden request's key answers like a key nobody holds, even with its key.
    hidden, _source = trio["H"]
    assert client.get(f"/foi/{hidden.key}/").status_code == 404
    assert client.get(f"/api/foi/requests/{hidden.key}").status_code == 404


def test_every_public_door_of_the_matrix_shows_no_numeric_address(records):  # noqa: F811
    """Every GET of every door in the permission matrix, as an anonymous visitor, for every
    state's records: no numeric address or id of a request or source, in body or headers."""
    from test_permission_matrix import reads_for

    client = Client()
    shown = []
    for door, url in reads_for(records):
        response = client.get(url)
        if response.status_code >= 500:
            shown.append(f"{door} {url}: {response.status_code}")
            continue
        # A page may repeat the address asked for (a sign-in link's ?next=): not a leak.
        text = body_of(response).replace(url, "").replace(quote(url, safe=""), "")
        shown += [f"{door} {url}: {m}" for m in NUMERIC_ADDRESSES.findall(text)]
        if response.get("Content-Type", "").startswith("application/json"):
            with contextlib.suppress(ValueError):  # not JSON after all: the text checks hold
                shown += numbered_ids(json.loads(content_of(response)), [], f"{door} {url}")
    assert shown == [], "\n".join(shown)


# --- old numeric addresses: only for records public when keys came --------------------------


def state_apps(migration: str):
    """The historical models as the migration ``foi.<migration>`` sees them when ``migrate``
    applies it (every migration it depends on applied, itself not yet)."""
    executor = MigrationExecutor(connection)
    return executor.loader.project_state(("foi", migration), at_end=False).apps


def run_data_migration(name: str) -> None:
    """Run one function of the data migration foi 0006 with its historical models."""
    migration = importlib.import_module(MIGRATION)
    getattr(migration, name)(state_apps("0006_record_public_numbers_and_give_keys"), None)


@pytest.fixture
def before_upgrade(demo, teams):
    """Requests and sources in every state, as an install held them before the upgrade
    (no old numbers kept yet)."""
    import datetime as dt

    requester = Organisation.objects.get(slug="privacy-international")
    authority = Organisation.objects.get(slug="barcelona-city-council")
    law = FoiLaw.objects.get(law_id="es-ct-19-2014")
    deal = Deployment.objects.get(slug="barcelona-letter-of-intention")
    hidden_deal = Deployment.objects.create(
        title="Zq hidden deal",
        slug="zq-hidden-deal-abcdef",
        country_id="ES",
        status="announced",
        certainty="reported",
        visibility="private",
        owner_team=teams["A"],
    )
    today = dt.date.today()
    states = {
        "public": {"visibility": "public"},
        "private": {"visibility": "private"},
        "partners": {"visibility": "partners"},
        "embargoed": {"visibility": "public", "embargo_until": today + dt.timedelta(days=9)},
        "embargo_passed": {"visibility": "private", "embargo_until": today},
    }
    made: dict[str, Any] = {}
    for state, fields in states.items():
        made[f"request {state}"] = FoiRequest.objects.create(
            title=f"Upgrade {state}",
            requester=requester,
            authority=authority,
            law=law,
            status="awaiting_response",
            owner_team=teams["A"],
            **fields,
        )
        source = Source.objects.create(
            title=f"Upgrade source {state}", kind="media", owner_team=teams["A"], **fields
        )
        Citation.objects.create(
            source=source,
            content_type=ContentType.objects.get_for_model(Deployment),
            object_id=deal.pk,
        )
        made[f"source {state}"] = source
    made["request draft"] = FoiRequest.objects.create(
        title="Upgrade draft",
        requester=requester,
        authority=authority,
        law=law,
        status="draft",
        visibility="public",
        owner_team=teams["A"],
    )
    made["source uncited"] = Source.objects.create(title="Upgrade uncited", kind="media")
    cited_by_hidden = Source.objects.create(title="Upgrade cited by hidden", kind="media")
    Citation.objects.create(
        source=cited_by_hidden,
        content_type=ContentType.objects.get_for_model(Deployment),
        object_id=hidden_deal.pk,
    )
    made["source cited by hidden"] = cited_by_hidden
    made["source held by a public request"] = Source.objects.create(
        title="Upgrade reply", kind="foi_response"
    )
    made["request public"].source = made["source held by a public request"]
    made["request public"].save()
    FoiRequest.objects.update(legacy_number=None)
    Source.objects.update(legacy_number=None)
    return made


def test_the_upgrade_keeps_the_numbers_of_exactly_the_requests_public_then(before_upgrade):
    run_data_migration("keep_public_numbers")
    numbered = set(
        FoiRequest.objects.filter(legacy_number__isnull=False).values_list("pk", flat=True)
    )
    assert numbered == set(permissions.visible(None, FoiRequest).values_list("pk", flat=True))
    assert before_upgrade["request public"].pk in numbered
    assert before_upgrade["request embargo_passed"].pk in numbered
    for state in ("private", "partners", "embargoed", "draft"):
        assert before_upgrade[f"request {state}"].pk not in numbered, state
    assert all(
        request.legacy_number == request.pk
        for request in FoiRequest.objects.filter(legacy_number__isnull=False)
    )


def test_the_upgrade_keeps_the_numbers_only_of_sources_public_then(before_upgrade):
    run_data_migration("keep_public_numbers")
    numbered = set(Source.objects.filter(legacy_number__isnull=False).values_list("pk", flat=True))
    public = set(permissions.visible(None, Source).values_list("pk", flat=True))
    assert numbered <= public  # never a source the public could not see
    for name in ("public", "embargo_passed"):
        assert before_upgrade[f"source {name}"].pk in numbered, name
    assert before_upgrade["source held by a public request"].pk in numbered
    for name in ("private", "partners", "embargoed", "uncited", "cited by hidden"):
        assert before_upgrade[f"source {name}"].pk not in numbered, name
    report = Source.objects.get(title__startswith="Mapping Huawei")
    assert report.legacy_number == report.pk  # the demo's report, cited by public deals


def test_old_addresses_lead_only_to_records_public_at_the_upgrade(before_upgrade, teams):
    run_data_migration("keep_public_numbers")
    client = Client()
    public = before_upgrade["request public"]
    response = client.get(f"/foi/{public.pk}/")
    assert (response.status_code, response["Location"]) == (301, f"/foi/{public.key}/")
    source = before_upgrade["source public"]
    response = client.get(f"/sources/{source.pk}/")
    assert (response.status_code, response["Location"]) == (301, f"/sources/{source.key}/")

    def not_found(url: str, _number: int) -> str:
        response = client.get(url)
        assert response.status_code == 404, url
        return shape(response, url)

    unknown = 987_654_321
    expected = {
        "/foi/{}/": not_found(f"/foi/{unknown}/", unknown),
        "/sources/{}/": not_found(f"/sources/{unknown}/", unknown),
    }
    hidden_then = [
        ("/foi/{}/", before_upgrade[f"request {state}"].pk)
        for state in ("private", "partners", "embargoed", "draft")
    ] + [
        ("/sources/{}/", before_upgrade[f"source {state}"].pk)
        for state in ("private", "partners", "embargoed", "uncited", "cited by hidden")
    ]
    for template, number in hidden_then:
        assert not_found(template.format(number), number) == expected[template], number
    # Published after the upgrade: its page is public, its number still says nothing.
    later = before_upgrade["request private"]
    FoiRequest.objects.filter(pk=later.pk).update(visibility="public")
    assert client.get(later.get_absolute_url()).status_code == 200
    assert not_found(f"/foi/{later.pk}/", later.pk) == expected["/foi/{}/"]
    # Made after the upgrade: no old number at all.
    fresh = FoiRequest.objects.create(
        title="After the upgrade",
        requester=public.requester,
        authority=public.authority,
        law=public.law,
        status="awaiting_response",
        visibility="public",
    )
    assert fresh.legacy_number is None
    assert not_found(f"/foi/{fresh.pk}/", fresh.pk) == expected["/foi/{}/"]
    # Hidden since the upgrade: its old number follows today's visibility.
    FoiRequest.objects.filter(pk=public.pk).update(visibility="private")
    assert not_found(f"/foi/{public.pk}/", public.pk) == expected["/foi/{}/"]
    member = Client()
    user = get_user_model().objects.create_user("team-a-viewer", "v@example.org", "x")
    join_team(user, "viewer", teams["A"].slug)
    member.force_login(user)
    assert member.get(f"/foi/{public.pk}/")["Location"] == f"/foi/{public.key}/"


def test_a_fresh_install_keeps_no_old_numbers(db):
    """On a new site the migration finds no records: no number ever leads anywhere."""
    assert not FoiRequest.objects.exists() and not Source.objects.exists()
    run_data_migration("keep_public_numbers")
    assert not FoiRequest.objects.filter(legacy_number__isnull=False).exists()
    assert not Source.objects.filter(legacy_number__isnull=False).exists()


def test_the_migration_gives_every_existing_request_its_own_key(before_upgrade):
    run_data_migration("give_keys")
    keys = list(FoiRequest.objects.values_list("key", flat=True))
    assert len(keys) == len(set(keys)) > 5
    assert all(KEY_PATTERN.fullmatch(key) and not key.isdigit() for key in keys)


def test_the_migrations_run_in_order_and_leave_nothing_to_make():
    """The plan applies the key's column (0005), fills it and the old numbers (0006), then
    makes the key required and unique (0007); the models need no further migration."""
    from django.core.management import call_command

    executor = MigrationExecutor(connection)
    last = ("foi", "0007_request_keys_required_and_unique")
    plan = [f"{app}.{name}" for app, name in executor.loader.graph.forwards_plan(last)]
    order = [
        "evidence.0008_source_legacy_number",
        "foi.0005_public_keys_for_requests",
        "foi.0006_record_public_numbers_and_give_keys",
        "foi.0007_request_keys_required_and_unique",
    ]
    assert set(order) <= set(plan)
    assert plan.index(order[0]) < plan.index(order[2])  # the old numbers' column exists
    assert plan.index(order[1]) < plan.index(order[2]) < plan.index(order[3])
    call_command("makemigrations", "foi", "evidence", check=True, dry_run=True, verbosity=0)


# --- the same kind elsewhere: a proposal's number on the public history page --------------


def test_history_pages_never_show_a_proposals_number():
    """Versions saved before kept "Proposal #<number>: <reason>"; pages show the reason
    without the number (proposals are numbered across every team, hidden records' included)."""
    from citywatch.core import change_reasons

    assert change_reasons.shown("Proposal #17: fixed the status") == "Proposal: fixed the status"
    assert change_reasons.shown("Proposal: fixed the status") == "Proposal: fixed the status"
    assert change_reasons.shown("Tip #3 was right") == "Tip #3 was right"  # someone's own words
