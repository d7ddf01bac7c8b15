"""Every door × every kind of visitor × every visibility state, for reads and for writes.

The doors are enumerated from the URLconf and from the OpenAPI document, so a new door fails
``test_every_door_is_in_the_matrix`` until it is listed here with the requests that try it.
Team A owns every record (see ``permission_fixtures``); the six visitors are anonymous, a
logged-in user with no team ("outsider"), a viewer, a contributor and a reviewer of team B, and
a staff user with no team. Each may read only the states in ``MAY_SEE`` and write none of
team A's records.

- Reads: every GET of every door, for every state's records, answers without a server error
  and without any marker of a state the visitor may not see.
- Writes: every POST/PATCH of every write door, for every state's records, changes nothing of
  team A's (a fingerprint of its records, citations, documents, FOI requests, proposals and
  tokens), and reveals no hidden marker. A control shows the same writes do work for team A's
  own reviewer, so the writes tried here are real ones.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from permission_fixtures import (
    ACTORS,
    MAY_SEE,
    SEEN_BY_ALL,
    STATES,
    StateRecords,
    client_for,
    forbidden_markers,
    make_actor,
    make_records,
    marker,
    word,
)

from citywatch.commons.history import version_id
from citywatch.research.forms import fact_value

pytestmark = pytest.mark.django_db

R = StateRecords


# --- the doors ---------------------------------------------------------------------------


@dataclass
class Door:
    """How to knock on one URL pattern: GET addresses and write attempts, per state."""

    reads: Callable[[R], list[str]] = lambda r: []
    writes: Callable[[R], list[tuple[str, str, dict]]] = lambda r: []
    note: str = ""


def get(*paths: str) -> Callable[[R], list[str]]:
    return lambda r: [path.format(r=r) for path in paths]


def deployment_doors() -> dict[str, Door]:
    return {
        "web:home": Door(get("/")),
        "web:favicon": Door(get("/favicon.ico")),
        "web:javascript_catalog": Door(get("/jsi18n/")),
        "web:continue": Door(get("/account/continue/")),
        "web:outbox": Door(get("/outbox/")),
        "web:outbox_message": Door(get("/outbox/not-a-message/")),
        "atlas:deployment_list": Door(
            get(
                "/deployments/",
                "/deployments/?q={r.word}",
                "/deployments/?country=RS&vendor={r.vendor.slug}",
                "/deployments/?country=RS&technology=cctv&sort=-changed",
            )
        ),
        "atlas:deployment": Door(get("/deployments/{r.deployment.slug}/")),
        "atlas:country": Door(get("/countries/rs/", "/countries/RS/")),
        "atlas:organisation": Door(
            get("/organisations/{r.vendor.slug}/", "/organisations/{r.authority.slug}/")
        ),
        "atlas:source_by_number": Door(
            get("/sources/{r.source.legacy_number}/", "/sources/{r.reply.pk}/")
        ),
        "atlas:source": Door(get("/sources/{r.source.key}/", "/sources/{r.reply.key}/")),
        "atlas:map_deployments": Door(
            get("/map/deployments.json", "/map/deployments.json?q={r.word}")
        ),
        "atlas:map_countries": Door(get("/map/countries.json")),
        "atlas:map_popup": Door(get("/map/deployments/{r.deployment.slug}.json")),
        "commons:propose_edit": Door(
            get("/deployments/{r.deployment.slug}/propose/"),
            lambda r: [
                (
                    "post",
                    f"/deployments/{r.deployment.slug}/propose/",
                    {
                        "title": "Taken over",
                        "summary": "x",
                        "status": "operational",
                        "certainty": "documented",
                        "visibility": "public",
                        "reason": "take",
                    },
                )
            ],
        ),
        "commons:history": Door(get("/deployments/{r.deployment.slug}/history/")),
        "commons:revert": Door(
            writes=lambda r: [
                (
                    "post",
                    f"/deployments/{r.deployment.slug}/history/"
                    f"{version_id(r.deployment.history.earliest().history_id)}/revert/",
                    {},
                )
            ]
        ),
        "commons:review_queue": Door(get("/review/")),
        "commons:proposal": Door(
            lambda r: [f"/review/proposals/{r.proposal.key}/"],
            lambda r: [
                (
                    "post",
                    f"/review/proposals/{r.proposal.key}/",
                    {"apply": "1", "seen_values": "{}"},
                ),
                (
                    "post",
                    f"/review/proposals/{r.proposal.key}/",
                    {"reject": "1", "reject-reason": "no"},
                ),
            ],
        ),
        "commons:account": Door(get("/account/")),
        "commons:tip_new": Door(get("/tips/new/")),
        "commons:tip_thanks": Door(get("/tips/thanks/")),
        "commons:tip_review": Door(get("/review/tips/{r.tip.key}/")),
        "commons:tip_file": Door(get("/review/tips/{r.tip.key}/file/")),
    }


def deal_page_data(r: R, **changes: Any) -> dict[str, Any]:
    """A whole POST of the deal page: a title change, management forms of every formset."""
    data: dict[str, Any] = {
        "deployment-title": "Taken over",
        "deployment-summary": "x",
        "deployment-status": "operational",
        "deployment-certainty": "documented",
        "deployment-visibility": "public",
        "deployment-embargo_until": "",
        "place-country": "RS",
        "place-nationwide": "on",
        "save": "1",
    }
    for prefix in ("sources", "organisations", "citations", *DEAL_PARTS):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    data.update(changes)
    return data


DEAL_PARTS = ("parties", "components", "money", "events")


def deal_doors() -> dict[str, Door]:
    """The deal page: reading it must show no hidden source or organisation in its lists;
    writing another team's deal must change nothing; a new deal citing another team's hidden
    source and naming its hidden vendor (and missing a title, so nobody's attempt saves)
    must echo none of them."""

    def new_deal(r: R) -> list[tuple[str, str, dict]]:
        return [
            (
                "post",
                "/deployments/new/",
                deal_page_data(
                    r,
                    **{
                        "deployment-title": "",
                        "components-TOTAL_FORMS": "1",
                        "components-0-technology": "1",
                        "components-0-quantity": "40",
                        "components-0-unit": "cameras",
                        "components-0-supplier": r.vendor.slug,
                        "components-0-citations-TOTAL_FORMS": "1",
                        "components-0-citations-INITIAL_FORMS": "0",
                        "components-0-citations-0-source": str(r.source.key),
                        "components-0-citations-0-field_name": "quantity",
                        "components-0-citations-0-quote": "Report",
                    },
                ),
            ),
            ("post", "/deployments/new/", {**deal_page_data(r), "more": "parties"}),
        ]

    def edit(r: R) -> list[tuple[str, str, dict]]:
        url = f"/deployments/{r.deployment.slug}/edit/"
        return [("post", url, deal_page_data(r)), ("post", url, {"more": "parties"})]

    return {
        "commons:deployment_new": Door(get("/deployments/new/"), new_deal),
        "commons:deployment_edit": Door(get("/deployments/{r.deployment.slug}/edit/"), edit),
        "commons:place_search": Door(
            get(
                "/places/search.json?country=RS&q=beo",
                "/places/search.json?country=RS&lat=44.8&lon=20.46",
                "/places/search.json?country=XX&q=beo",
            )
        ),
    }


def foi_doors() -> dict[str, Door]:
    actions = {
        "send": {"subject": "s", "body": "b", "channel": "email"},
        "reply": {"on": dt.date.today().isoformat(), "channel": "email", "body": "taken"},
        "follow-up": {"subject": "s", "body": "b", "channel": "email"},
        "escalate": {"stage": "commissioner", "subject": "s", "body": "b", "channel": "email"},
        "status": {"status": "resolved", "resolution": "successful", "note": "n"},
        "clock": {"action": "stop", "kind": "clarification", "on": dt.date.today().isoformat()},
        "extend": {"on": dt.date.today().isoformat()},
        "publish": lambda r: {"attachment": str(r.reply.key)},  # the reply, by its key
    }
    return {
        "foi:list": Door(get("/foi/", "/foi/?status=awaiting_response")),
        "foi:new": Door(
            get(
                "/foi/new/?deployment={r.deployment.slug}", "/foi/new/?authority={r.authority.slug}"
            ),
            lambda r: [
                (
                    "post",
                    "/foi/new/",
                    {
                        "requester": r.foi.requester.slug,
                        "authority": r.authority.slug,
                        "law": r.foi.law_id,
                        "deployments": [r.deployment.slug],
                        "title": "t",
                        "language": "en",
                        "since": 2015,
                        "questions": "q",
                        "visibility": "public",
                    },
                )
            ],
        ),
        "foi:deadline": Door(get("/foi/deadline/", "/foi/deadline/?law=rs-2004&sent=2024-01-01")),
        "foi:calendars": Door(
            get("/foi/calendars/"),
            lambda r: [("post", "/foi/calendars/", {"organisation": r.foi.requester.slug})],
        ),
        "foi:calendar": Door(get("/foi/calendar/not-the-token.ics")),
        "foi:request_by_number": Door(get("/foi/{r.foi.legacy_number}/", "/foi/{r.foi.pk}/")),
        "foi:detail": Door(get("/foi/{r.foi.key}/")),
        "foi:action": Door(
            writes=lambda r: [
                ("post", f"/foi/{r.foi.key}/{action}/", data(r) if callable(data) else data)
                for action, data in actions.items()
            ]
        ),
        "foi:law": Door(get("/foi/laws/rs-2004/", "/foi/laws/es-md-10-2019/")),
        "foi:unmatched": Door(get("/foi/mail/")),
        "foi:unmatched_detail": Door(
            lambda r: [f"/foi/mail/{unmatched_mail(r).pk}/"],
            lambda r: [
                ("post", f"/foi/mail/{unmatched_mail(r).pk}/", {"request": r.foi.key}),
                ("post", f"/foi/mail/{unmatched_mail(r).pk}/", {"delete": "on"}),
            ],
        ),
    }


def unmatched_mail(r: R):
    """A mail that matched no request, naming the state's request (only site administrators
    read the unmatched queue: it may hold any team's mail)."""
    from django.utils import timezone

    from citywatch.foi.models import InboundMail, MailState

    subject = f"Re: {marker(r.state, 'foi')}"
    raw = f"From: a@example.org\nSubject: {subject}\n\nAbout {marker(r.state, 'foi')}.\n"
    found, _created = InboundMail.objects.get_or_create(
        message_id=f"unmatched-{r.state}@example.org",
        defaults={
            "received_at": timezone.now(),
            "subject": subject,
            "state": MailState.UNMATCHED,
            "raw": raw.encode(),
        },
    )
    return found


def evidence_doors() -> dict[str, Door]:
    def cite(r: R) -> list[tuple[str, str, dict]]:
        from citywatch.atlas.models import Component

        content_type = ContentType.objects.get_for_model(Component)
        fact = fact_value(content_type, r.component.pk, "quantity")
        quote = f"Report {marker(r.state, 'text')}."
        return [
            (
                "post",
                f"/sources/{r.source.key}/cite/",
                {"deployment": r.deployment.slug, "fact": fact, "quote": quote},
            ),
            (
                "post",
                f"/sources/{r.public_source.key}/cite/",
                {"deployment": r.deployment.slug, "fact": fact, "quote": "Belgrade"},
            ),
        ]

    def accept(r: R) -> list[tuple[str, str, dict]]:
        return [
            (
                "post",
                f"/sources/{r.source.key}/suggestions/accept/",
                {"deployment": r.deployment.slug, "key": r.suggestion_key},
            )
        ]

    def attach(r: R) -> list[tuple[str, str, dict]]:
        upload = SimpleUploadedFile("new.txt", b"A replacement " + r.state.encode(), "text/plain")
        return [("post", f"/sources/{r.source.key}/document/", {"upload": upload})]

    return {
        "research:search": Door(
            get(
                "/search/?q={r.word}",
                "/search/?q=kamera",
                "/search/?q={r.word}&kind=document",
                "/search/?q={r.word}&country=RS",
                "/search/?q={r.word}&vendor={r.vendor.slug}",
            )
        ),
        "research:document_new": Door(get("/sources/new/")),
        "research:source_text": Door(
            get(
                "/sources/{r.source.key}/text/",
                "/sources/{r.public_source.key}/text/?deployment={r.deployment.slug}",
            )
        ),
        "research:cite": Door(writes=cite),
        "research:source_file": Door(get("/sources/{r.source.key}/file/")),
        "research:document_attach": Door(get("/sources/{r.source.key}/document/"), attach),
        "research:archive_now": Door(
            writes=lambda r: [("post", f"/sources/{r.source.key}/archive/", {})]
        ),
        "research:snapshot_file": Door(get("/sources/{r.source.key}/archive/{r.snapshot.stamp}/")),
        "research:suggestions": Door(
            get(
                "/sources/{r.source.key}/suggestions/",
                "/sources/{r.public_source.key}/suggestions/",
            )
        ),
        "research:accept_suggestion": Door(writes=accept),
    }


def exchange_doors() -> dict[str, Door]:
    from citywatch.exchange.exports import FILENAMES

    def csv_import(r: R) -> list[tuple[str, str, dict]]:
        text = (
            "slug,title,country,status,certainty\n"
            f"{r.deployment.slug},Taken over,RS,operational,documented\n"
        )
        return [
            (
                "post",
                "/imports/",
                {"file": SimpleUploadedFile("take.csv", text.encode(), "text/csv"), **mode},
            )
            for mode in ({"dry_run": "on"}, {})
        ]

    return {
        "exchange:index": Door(get("/exports/")),
        "exchange:dataset_schema": Door(get("/exports/schema/citywatch.schema.json")),
        "exchange:export": Door(lambda r: [f"/exports/{name}" for name in FILENAMES]),
        "exchange:release_file": Door(
            lambda r: (
                [f"/exports/releases/{r.release}/{name}" for name in ("CHANGELOG.md",)]
                + [f"/exports/releases/{r.release}/citywatch.json"]
            )
        ),
        "exchange:import": Door(get("/imports/"), csv_import),
        "exchange:feed": Door(get("/feeds/deployments.atom")),
        "exchange:country_feed": Door(get("/feeds/countries/rs.atom")),
        "exchange:vendor_feed": Door(get("/feeds/vendors/{r.vendor.slug}.atom")),
        "exchange:technology_feed": Door(get("/feeds/technologies/cctv.atom")),
    }


def api_doors() -> dict[str, Door]:
    """Web doors of the API app (the operations are tried from the OpenAPI document)."""
    return {
        "api_tokens": Door(get("/account/tokens/")),
        "api_revoke_token": Door(
            writes=lambda r: [("post", f"/account/tokens/{r.team_a_token.shown_id}/revoke/", {})]
        ),
        "set_language": Door(writes=lambda r: [("post", "/i18n/setlang/", {"language": "es"})]),
    }


def api_operations(r: R) -> dict[tuple[str, str], Door]:
    """Requests for each OpenAPI operation (method, path template)."""
    slug = r.deployment.slug
    return {
        ("get", "/api/deployments"): Door(
            get("/api/deployments?page_size=200", "/api/deployments?q={r.word}")
        ),
        ("post", "/api/deployments"): Door(
            writes=lambda r: [
                (
                    "post_json",
                    "/api/deployments",
                    {
                        "title": "New",
                        "slug": slug,
                        "country": "RS",
                        "status": "announced",
                        "certainty": "reported",
                    },
                )
            ]
        ),
        ("get", "/api/deployments/{slug}"): Door(get(f"/api/deployments/{slug}")),
        ("patch", "/api/deployments/{slug}"): Door(
            writes=lambda r: [
                ("patch_json", f"/api/deployments/{slug}", {}),
                ("patch_json", f"/api/deployments/{slug}", {"visibility": "public"}),
                ("patch_json", f"/api/deployments/{slug}", {"title": "Taken"}),
            ]
        ),
        ("get", "/api/organisations"): Door(
            get("/api/organisations?page_size=200", "/api/organisations?q={r.word}")
        ),
        ("get", "/api/organisations/{slug}"): Door(
            get("/api/organisations/{r.vendor.slug}", "/api/organisations/{r.authority.slug}")
        ),
        ("get", "/api/countries"): Door(get("/api/countries?page_size=300")),
        ("get", "/api/countries/{code}"): Door(get("/api/countries/RS")),
        ("get", "/api/sources"): Door(get("/api/sources?page_size=200", "/api/sources?q={r.word}")),
        ("post", "/api/sources"): Door(
            writes=lambda r: [
                ("post_json", "/api/sources", {"title": "t", "kind": "media", "team": "share"})
            ]
        ),
        ("get", "/api/sources/{source_id}"): Door(
            get(
                "/api/sources/{r.source.key}",
                "/api/sources/{r.reply.key}",
                "/api/sources/{r.source.pk}",
            )
        ),
        ("get", "/api/technologies"): Door(get("/api/technologies")),
        ("get", "/api/token"): Door(get("/api/token")),
        ("get", "/api/foi/deadline"): Door(get("/api/foi/deadline?law=rs-2004&sent=2024-01-01")),
        ("get", "/api/foi/laws"): Door(get("/api/foi/laws")),
        ("get", "/api/foi/laws/{law_id}"): Door(get("/api/foi/laws/rs-2004")),
        ("get", "/api/foi/requests"): Door(get("/api/foi/requests?page_size=200")),
        ("get", "/api/foi/requests/{request_key}"): Door(get("/api/foi/requests/{r.foi.key}")),
        ("get", "/api/search"): Door(
            get(
                "/api/search?q={r.word}",
                "/api/search?q={r.word}&kind=document",
                "/api/search?q=kamera",
            )
        ),
    }


API_WEB_NAMES = {"api:openapi-json", "api:openapi-view", "api:api-root"}
ACCOUNT_PREFIX = "accounts/"
ADMIN_NAMESPACE = "admin"


def all_doors() -> dict[str, Door]:
    doors: dict[str, Door] = {}
    for group in (
        deployment_doors,
        deal_doors,
        foi_doors,
        evidence_doors,
        exchange_doors,
        api_doors,
    ):
        doors.update(group())
    doors["api:openapi-json"] = Door(get("/api/openapi.json"))
    doors["api:openapi-view"] = Door(get("/api/docs"))
    doors["api:api-root"] = Door(get("/api/"))
    return doors


# --- enumerating the URLconf and the OpenAPI document --------------------------------------


def url_patterns() -> list[tuple[str, str]]:
    """(route, name) of every URL pattern, with namespaced names (unnamed ones get the route)."""
    found: list[tuple[str, str]] = []

    def walk(patterns: list, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                name = pattern.name
                if name is None and route == "favicon.ico":
                    name = "favicon"
                full = ":".join(filter(None, [namespace, name or route]))
                found.append((route, full))

    walk(get_resolver().url_patterns, "", "")
    return found


def openapi_operations(client: Client) -> list[tuple[str, str]]:
    document = client.get("/api/openapi.json").json()
    return [
        (method, path)
        for path, operations in document["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    ]


def test_every_door_is_in_the_matrix(client, records):
    doors = all_doors()
    missing = []
    for route, name in url_patterns():
        if name.startswith(ADMIN_NAMESPACE + ":") or route.startswith(ACCOUNT_PREFIX):
            continue  # tried generically below
        api_operation = name.startswith("api:") and name not in API_WEB_NAMES
        if not api_operation and name not in doors:
            missing.append(f"{route} ({name})")
    assert missing == [], f"doors with no permission test: {missing}"
    operations = api_operations(records["public"])
    unknown = [op for op in openapi_operations(client) if op not in operations]
    assert unknown == [], f"API operations with no permission test: {unknown}"


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture
def records(demo, teams, django_user_model, settings, tmp_path):
    from citywatch.api.services import create_token
    from citywatch.commons.models import Tip
    from citywatch.commons.services import propose_change
    from citywatch.evidence.models import Snapshot, Source
    from citywatch.exchange.releases import cut_release
    from citywatch.research import suggestions
    from citywatch.teams.models import Membership

    settings.DATA_DIR = tmp_path
    made = make_records(teams)
    contributor_a = django_user_model.objects.create_user("contributor-a", "ca@example.org", "x")
    Membership.objects.create(team=teams["A"], user=contributor_a, role="contributor")
    token, _text = create_token(contributor_a, "team A's", "write")
    public_source = Source.objects.get(title__startswith="Mapping Huawei")
    tip = Tip.objects.create(what="Cameras seen", received_on=dt.date.today())
    release = cut_release("2026.01.01").version
    for r in made.values():
        r.proposal = propose_change(
            r.deployment, {"title": "Proposed by A"}, user=contributor_a, reason="A's own"
        )
        r.team_a_token = token
        r.public_source = public_source
        r.word = word(r.state)
        r.tip = tip
        r.release = release
        r.snapshot = Snapshot.objects.create(
            source=r.source,
            stored_file=r.source.document,
            url="https://example.org/report",
            final_url="https://example.org/report",
            retrieved_at=dt.datetime.now(dt.UTC),
            http_status=200,
        )
        # As if every state's request and source had been public when public keys came (so
        # kept its old number) and had changed state since: old numbers must follow the
        # records' visibility of today.
        for record in (r.foi, r.source):
            type(record).objects.filter(pk=record.pk).update(legacy_number=record.pk + 10_000)
            record.refresh_from_db()
        found = suggestions.suggest(r.source.document.text)
        r.suggestion_key = found[0].key if found else "none"
    return made


@pytest.fixture
def actor_clients(teams):
    users = {name: make_actor(name, teams) for name in ACTORS}
    return users, {name: client_for(user) for name, user in users.items()}


def team_a_fingerprint() -> str:
    """Everything of team A's that no visitor of the matrix may change."""
    from citywatch.api.models import ApiToken
    from citywatch.atlas.models import Component, Deployment, Money, Party
    from citywatch.commons.models import ChangeProposal
    from citywatch.evidence.models import Citation, Snapshot, Source
    from citywatch.foi.models import FoiEvent, FoiMessage, FoiRequest

    def rows(queryset) -> list:
        return [list(map(str, row)) for row in queryset.order_by("pk").values_list()]

    state = {
        "deployments": rows(Deployment.objects.filter(owner_team__slug="share")),
        "parties": rows(Party.objects.filter(deployment__owner_team__slug="share")),
        "components": rows(Component.objects.filter(deployment__owner_team__slug="share")),
        "money": rows(Money.objects.filter(deployment__owner_team__slug="share")),
        "citations": rows(Citation.objects.all()),
        "sources": rows(Source.objects.filter(owner_team__slug="share")),
        "snapshots": rows(Snapshot.objects.all()),
        "foi": rows(FoiRequest.objects.filter(owner_team__slug="share")),
        "messages": rows(FoiMessage.objects.filter(request__owner_team__slug="share")),
        "events": rows(FoiEvent.objects.filter(request__owner_team__slug="share")),
        "proposals": rows(ChangeProposal.objects.filter(team__slug="share")),
        "tokens": rows(ApiToken.objects.filter(user__username="contributor-a")),
    }
    return json.dumps(state, sort_keys=True)


def send(client: Client, method: str, url: str, data: dict, token: str | None) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    if method == "post":
        return client.post(url, data, **headers)
    body = json.dumps(data)
    if method == "post_json":
        return client.post(url, body, content_type="application/json", **headers)
    return client.patch(url, body, content_type="application/json", **headers)


def reads_for(records: dict[str, R]) -> list[tuple[str, str]]:
    """(door, address) of every read, for every state's records, without repeats."""
    seen: dict[str, str] = {}
    for r in records.values():
        for name, door in all_doors().items():
            for url in door.reads(r):
                seen.setdefault(url, name)
        for (method, _path), door in api_operations(r).items():
            if method == "get":
                for url in door.reads(r):
                    seen.setdefault(url, f"api {_path}")
    return [(name, url) for url, name in seen.items()]


def writes_for(records: dict[str, R]) -> list[tuple[str, str, str, Any]]:
    found = []
    for r in records.values():
        for name, door in all_doors().items():
            for method, url, data in door.writes(r):
                found.append((name, method, url, data))
        for (method, path), door in api_operations(r).items():
            if method != "get":
                for kind, url, data in door.writes(r):
                    found.append((f"api {method} {path}", kind, url, data))
    return found


def leaks(response: Any, forbidden: list[str]) -> list[str]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", errors="replace")
    headers = " ".join(f"{k}: {v}" for k, v in response.items())
    return [m for m in forbidden if m in text or m in headers]


# --- reads ---------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ACTORS)
def test_reads_show_each_visitor_only_what_they_may_see(records, actor_clients, actor):
    _users, clients = actor_clients
    client = clients[actor]
    forbidden = forbidden_markers(actor, records)
    problems = []
    for door, url in reads_for(records):
        response = client.get(url)
        if response.status_code >= 500:
            problems.append(f"{door} {url}: {response.status_code}")
            continue
        found = leaks(response, forbidden)
        if found:
            problems.append(f"{door} {url}: shows {found}")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("actor", ["viewer", "anonymous"])
def test_reads_do_show_what_may_be_seen(records, actor_clients, actor):
    """The control: the doors above do show the states the visitor may see, so the absence of
    hidden markers is not an empty page's."""
    _users, clients = actor_clients
    client = clients[actor]
    for state in MAY_SEE[actor]:
        r = records[state]
        assert marker(state, "deal") in client.get(f"/deployments/{r.deployment.slug}/").text
        assert marker(state, "deal") in client.get("/deployments/?country=RS").text
        assert marker(state, "source") in client.get(f"/sources/{r.source.key}/").text
        assert marker(state, "vendor") in client.get(f"/organisations/{r.vendor.slug}/").text
        assert marker(state, "foi") in client.get(f"/foi/{r.foi.key}/").text
        old_address = client.get(f"/foi/{r.foi.legacy_number}/")
        assert (old_address.status_code, old_address["Location"]) == (301, f"/foi/{r.foi.key}/")
        old_address = client.get(f"/sources/{r.source.legacy_number}/")
        assert (old_address.status_code, old_address["Location"]) == (
            301,
            f"/sources/{r.source.key}/",
        )
        if state in SEEN_BY_ALL:  # exports publish what anyone may see, for everyone
            exported = client.get("/exports/deployments.csv")  # streamed: read to the end
            assert marker(state, "deal") in b"".join(exported.streaming_content).decode()


def test_admin_and_account_pages_reveal_nothing(records, actor_clients):
    """Every admin address (objects of each state) and every account page, for every visitor:
    no server error, no hidden marker; only superusers use the admin."""
    from django.apps import apps

    _users, clients = actor_clients
    admin_routes = [
        route
        for route, name in url_patterns()
        if name.startswith(ADMIN_NAMESPACE + ":")
        and "(" not in route
        and "^" not in route
        and not route.startswith("admin/r/")
    ]
    admin_routes.append("admin/r/1/1/")  # "view on site" redirects
    account_routes = [route for route, _name in url_patterns() if route.startswith("accounts/")]
    for actor, client in clients.items():
        forbidden = forbidden_markers(actor, records)
        for route in admin_routes:
            urls = [route]
            if "<path:object_id>" in route:
                app_label, model_name = route.split("/")[1:3]
                model = apps.get_model(app_label, model_name)
                ids = [str(pk) for pk in model.objects.values_list("pk", flat=True)[:50]] or ["1"]
                urls = [route.replace("<path:object_id>", pk) for pk in ids]
            for path in urls:
                url = "/" + path.replace("<id>", "1").replace("<path:content_type_id>", "1")
                response = client.get(url)
                allowed = (200, 302, 405) if url in ("/admin/login/", "/admin/logout/") else ()
                assert response.status_code in (302, 403, 404, *allowed), f"{actor} {url}"
                assert not leaks(response, forbidden), f"{actor} {url}"
        for route in account_routes:
            url = "/" + route.replace("^", "").replace("$", "")
            url = url.replace("(?P<key>[-:\\w]+)", "x").replace(
                "(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)", "1-x"
            )
            response = client.get(url)
            assert response.status_code < 500, f"{actor} {url}"
            assert not leaks(response, forbidden), f"{actor} {url}"


# --- writes --------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ACTORS)
def test_writes_change_nothing_of_another_team(records, actor_clients, actor):
    from citywatch.api.services import create_token

    users, clients = actor_clients
    client = clients[actor]
    token = create_token(users[actor], "matrix", "write")[1] if users[actor] else None
    forbidden = forbidden_markers(actor, records)
    before = team_a_fingerprint()
    problems = []
    for door, method, url, data in writes_for(records):
        response = send(client, method, url, data, token if method != "post" else None)
        if response.status_code >= 500:
            problems.append(f"{door} {url}: {response.status_code}")
        found = leaks(response, forbidden)
        if found:
            problems.append(f"{door} {url}: shows {found}")
        after = team_a_fingerprint()
        if after != before:
            problems.append(f"{door} {method} {url}: changed team A's records")
            before = after
    assert problems == [], "\n".join(problems)


def test_the_same_writes_work_for_the_owning_team(records, teams, django_user_model):
    """The control: team A's reviewer changes the record through the same doors, and team A's
    contributor's writes become proposals, so the writes above were real attempts."""
    from conftest import with_totp

    from citywatch.api.services import create_token
    from citywatch.commons.models import ChangeProposal
    from citywatch.evidence.models import Citation
    from citywatch.teams.models import Membership

    reviewer = django_user_model.objects.create_user("reviewer-a", "ra@example.org", "x")
    Membership.objects.create(team=teams["A"], user=reviewer, role="reviewer")
    with_totp(reviewer)
    client = client_for(reviewer)
    token = create_token(reviewer, "t", "write")[1]
    r = records["private"]
    response = send(
        client, "patch_json", f"/api/deployments/{r.deployment.slug}", {"title": "N"}, token
    )
    assert response.status_code == 200, response.content
    r.deployment.refresh_from_db()
    assert r.deployment.title == "N"
    citations = Citation.objects.count()
    for _door, method, url, data in [
        w for w in writes_for({"private": r}) if w[0] == "research:cite"
    ][:1]:
        send(client, method, url, data, None)
    assert Citation.objects.count() == citations + 1

    edits = [w for w in writes_for({"private": r}) if w[0] == "commons:deployment_edit"]
    response = send(client_for(reviewer), *edits[0][1:], None)
    assert response.status_code == 302, response.content.decode()[:2000]
    r.deployment.refresh_from_db()
    assert r.deployment.title == "Taken over"

    contributor = django_user_model.objects.get(username="contributor-a")
    client = client_for(contributor)
    proposals = ChangeProposal.objects.count()
    response = send(
        client,
        "patch_json",
        f"/api/deployments/{r.deployment.slug}",
        {"title": "By a contributor"},
        create_token(contributor, "c", "write")[1],
    )
    assert response.status_code == 202
    assert ChangeProposal.objects.count() == proposals + 1
    r.deployment.refresh_from_db()
    assert r.deployment.title == "Taken over"
    method, url, data = edits[0][1:]
    send(client, method, url, {**data, "deployment-title": "By a contributor"}, None)
    # the contributor's edit became a proposal, and changed nothing yet
    assert ChangeProposal.objects.filter(operation="save_deployment").count() == 1


def test_matrix_states_are_what_the_fixture_says(records):
    """Guard the fixture itself: each state's deployment is seen by exactly the visitors it
    should be (checked through the permission module)."""
    from citywatch.atlas.models import Deployment
    from citywatch.teams import permissions

    anonymous_sees = set(
        Deployment.objects.filter(permissions.visible_q(None, Deployment)).values_list(
            "slug", flat=True
        )
    )
    for state, r in records.items():
        assert (r.deployment.slug in anonymous_sees) is (state in MAY_SEE["anonymous"]), state
    assert set(STATES) == set(records)
