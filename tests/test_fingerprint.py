"""The public dataset's fingerprint (``exchange.queries.fingerprint``, behind the API's and the
exports' ETag and Last-Modified): it moves on every kind of change the public may see, never on
a change the public may not see, and costs the same number of queries whatever the number of
records (issue 13: the first request after a change waits for it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from citywatch.actors.models import Organisation
from citywatch.atlas.models import Component, Deployment, Party, Technology, VendorClaim
from citywatch.core.data_cache import data_changed
from citywatch.evidence.models import Citation, Source
from citywatch.exchange import queries
from citywatch.places.models import LegalCardEntry, Locality

pytestmark = pytest.mark.django_db


def parts() -> dict[str, str]:
    """The fingerprint's text per table (``label`` -> counts), and its latest change."""
    version, last = queries.fingerprint(queries.public_querysets())
    stamp, *tables = version.split("|")
    found = {"latest": stamp}
    for table in tables:
        label, _, counts = table.partition(":")
        found[label] = counts
    assert last is None or last.astimezone(dt.UTC).isoformat() == stamp
    return found


def state() -> tuple[str, dt.datetime | None]:
    """What the API and the exports send (ETag text and Last-Modified), read as they read it."""
    return queries.dataset_state()


def new_place(name: str) -> Locality:
    return Locality.objects.create(name=name, country_id="RS", latitude=45.0, longitude=20.0)


def make_public_source(title: str) -> Source:
    return Source.objects.create(title=title, kind="news", url=f"https://example.org/{title}")


@pytest.fixture
def world(demo, teams):
    """A public deployment with a vendor, a component, a cited source and a place; a private
    deployment of team A with a vendor only it names, a component, and a private source and a
    public source that only it cites; a partners-only and an embargoed deployment."""
    belgrade = Deployment.objects.get(slug="belgrade-safe-city")
    place = new_place("Novi Sad")
    public = Deployment.objects.create(
        title="Public cameras in Novi Sad",
        slug="public-novi-sad",
        country_id="RS",
        locality=place,
        status="announced",
        certainty="reported",
    )
    vendor = Organisation.objects.get(slug="huawei")
    party = Party.objects.create(deployment=public, organisation=vendor, role="supplier")
    cctv = Technology.objects.get(slug="cctv")
    component = Component.objects.create(deployment=public, technology=cctv, quantity=5)
    cited = make_public_source("novi-sad-news")
    citation = Citation.objects.create(source=cited, target=public, quote="five cameras")

    secret_vendor = Organisation.objects.create(
        name="Secret Vendor", slug="secret-vendor", kind="vendor"
    )
    private = Deployment.objects.create(
        title="Secret cameras in Nis",
        slug="secret-nis",
        country_id="RS",
        status="contracted",
        certainty="documented",
        visibility="private",
        owner_team=teams["A"],
    )
    secret_party = Party.objects.create(
        deployment=private, organisation=secret_vendor, role="supplier"
    )
    secret_component = Component.objects.create(deployment=private, technology=cctv, quantity=7)
    private_source = Source.objects.create(
        title="Secret contract", kind="leak", visibility="private", owner_team=teams["A"]
    )
    Citation.objects.create(source=private_source, target=secret_component, quote="7 cameras")
    only_privately_cited = make_public_source("cited-only-by-the-secret-record")
    Citation.objects.create(source=only_privately_cited, target=private, quote="Nis")
    private_too = Deployment.objects.create(
        title="More secret cameras",
        slug="secret-nis-too",
        country_id="RS",
        status="announced",
        certainty="reported",
        visibility="private",
        owner_team=teams["A"],
    )
    Party.objects.create(deployment=private_too, organisation=vendor, role="supplier")
    Citation.objects.create(source=private_source, target=private_too, quote="more")
    partners = Deployment.objects.create(
        title="Partners' cameras",
        slug="partners-only",
        country_id="RS",
        status="announced",
        certainty="reported",
        visibility="partners",
    )
    embargoed = Deployment.objects.create(
        title="Embargoed cameras",
        slug="embargoed",
        country_id="RS",
        status="announced",
        certainty="reported",
        embargo_until=timezone.localdate() + dt.timedelta(days=1),
    )
    return {
        "belgrade": belgrade,
        "public": public,
        "place": place,
        "party": party,
        "component": component,
        "cited": cited,
        "citation": citation,
        "vendor": vendor,
        "private": private,
        "private_too": private_too,
        "secret_vendor": secret_vendor,
        "secret_party": secret_party,
        "secret_component": secret_component,
        "private_source": private_source,
        "only_privately_cited": only_privately_cited,
        "partners": partners,
        "embargoed": embargoed,
        "cctv": cctv,
    }


def save(record, **changes) -> None:
    for name, value in changes.items():
        setattr(record, name, value)
    record.save()


# Each public change, and the table whose part of the fingerprint must move with it.
PUBLIC_CHANGES: dict[str, tuple[Callable[[dict], None], str]] = {
    "a public deployment edited": (
        lambda w: save(w["public"], title="Renamed in public"),
        "atlas.deployment",
    ),
    "a public deployment added": (
        lambda w: Deployment.objects.create(
            title="New", slug="new", country_id="RS", status="announced", certainty="reported"
        ),
        "atlas.deployment",
    ),
    "a public deployment deleted": (lambda w: w["public"].delete(), "atlas.deployment"),
    "a public deployment made private": (
        lambda w: save(w["public"], visibility="private"),
        "atlas.deployment",
    ),
    "a public deployment embargoed": (
        lambda w: save(w["public"], embargo_until=timezone.localdate() + dt.timedelta(days=3)),
        "atlas.deployment",
    ),
    "a private deployment published": (
        lambda w: save(w["private"], visibility="public"),
        "atlas.deployment",
    ),
    "a public deployment's vendor edited": (
        lambda w: save(w["party"], role="contractor"),
        "atlas.party",
    ),
    "a public deployment's vendor removed": (lambda w: w["party"].delete(), "atlas.party"),
    "a public deployment's component edited": (
        lambda w: save(w["component"], quantity=6),
        "atlas.component",
    ),
    "a public deployment's component added": (
        lambda w: Component.objects.create(deployment=w["public"], technology=w["cctv"]),
        "atlas.component",
    ),
    "a vendor's own claim added": (
        lambda w: VendorClaim.objects.create(
            vendor=w["vendor"], statement="Safe cities everywhere", claimed_on="2023"
        ),
        "atlas.vendorclaim",
    ),
    "a cited public source edited": (
        lambda w: save(w["cited"], title="Retitled news"),
        "evidence.source",
    ),
    "a cited public source made private": (
        lambda w: save(w["cited"], visibility="private"),
        "evidence.source",
    ),
    "a public citation edited": (
        lambda w: save(w["citation"], quote="five new cameras"),
        "evidence.citation",
    ),
    "a public citation deleted": (lambda w: w["citation"].delete(), "evidence.citation"),
    "a public source cited by a public record for the first time": (
        lambda w: Citation.objects.create(
            source=w["only_privately_cited"], target=w["public"], quote="Nis too"
        ),
        "evidence.source",
    ),
    "a source becomes visible as the record citing it is published": (
        lambda w: save(w["private"], visibility="public"),
        "evidence.source",
    ),
    "an organisation becomes visible as the record naming it is published": (
        lambda w: save(w["private"], visibility="public"),
        "actors.organisation",
    ),
    "a named organisation edited": (
        lambda w: save(w["vendor"], name="Huawei Technologies Co."),
        "actors.organisation",
    ),
    "an organisation named by nothing added": (
        lambda w: Organisation.objects.create(name="Newcomer", slug="newcomer", kind="vendor"),
        "actors.organisation",
    ),
    "a public deployment's place edited": (
        lambda w: save(w["place"], name="Novi Sad (city)"),
        "places.locality",
    ),
    "a place gets its first public deployment": (
        lambda w: (
            save(w["private"], visibility="public", locality=w["place"])
            or save(w["public"], locality=new_place("Subotica"))
        ),
        "places.locality",
    ),
    "a legal card entry edited": (
        lambda w: save(LegalCardEntry.objects.first(), summary="Changed in public"),
        "places.legalcardentry",
    ),
}


@pytest.mark.parametrize("change", PUBLIC_CHANGES)
def test_every_public_change_moves_the_fingerprint(world, change):
    act, table = PUBLIC_CHANGES[change]
    before, header_before = parts(), state()
    act(world)
    after = parts()
    assert after[table] != before[table] or after["latest"] != before["latest"], change
    assert after != before, change
    assert state()[0] != header_before[0], "the ETag moves"


def test_an_embargo_ending_at_midnight_moves_the_fingerprint(world, monkeypatch):
    """No write at all: the day changes, and the embargoed deployment (and what hangs off
    it) becomes public."""
    today = timezone.localdate()
    Citation.objects.create(source=world["cited"], target=world["embargoed"], quote="soon")
    before, header_before = parts(), state()
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today + dt.timedelta(days=1))
    after = parts()
    assert after["atlas.deployment"] != before["atlas.deployment"]
    assert after["evidence.citation"] != before["evidence.citation"]
    assert state()[0] != header_before[0]


def test_a_withdrawal_moves_last_modified(world):
    """A record leaving the public set stamps the time (``PublicWithdrawal``), so
    Last-Modified moves on too, not only the ETag."""
    before = state()[1]
    save(world["public"], visibility="private")
    assert state()[1] > before


# Changes nobody outside the team may see: none moves the fingerprint.
PRIVATE_CHANGES: dict[str, Callable[[dict], object]] = {
    "a private deployment edited": lambda w: save(w["private"], title="Renamed in private"),
    "a private deployment's vendor edited": lambda w: save(w["secret_party"], role="operator"),
    "a private deployment's component edited": lambda w: save(w["secret_component"], quantity=8),
    "a component added to a private deployment": lambda w: Component.objects.create(
        deployment=w["private"], technology=w["cctv"]
    ),
    "a private deployment's component deleted": lambda w: w["secret_component"].delete(),
    "a private source edited": lambda w: save(w["private_source"], title="Secret, retitled"),
    "a public source cited only privately edited": lambda w: save(
        w["only_privately_cited"], title="Still hidden"
    ),
    "a public source cited by a private record": lambda w: Citation.objects.create(
        source=w["cited"], target=w["private"], quote="also Nis"
    ),
    "a private source cited by a public record": lambda w: Citation.objects.create(
        source=w["private_source"], target=w["public"], quote="secretly"
    ),
    "an organisation named only privately edited": lambda w: save(
        w["secret_vendor"], name="Secret Vendor Holdings"
    ),
    "a private deployment added": lambda w: Deployment.objects.create(
        title="Another secret",
        slug="another-secret",
        country_id="RS",
        status="announced",
        certainty="reported",
        visibility="private",
    ),
    "a private deployment deleted": lambda w: w["private_too"].delete(),
    "a partners-only deployment edited": lambda w: save(w["partners"], title="Partners, renamed"),
    "an embargoed deployment edited": lambda w: save(w["embargoed"], title="Embargoed, renamed"),
    "a place of private deployments only edited": lambda w: save(
        w["private"], locality=new_place("Nis")
    ),
}


@pytest.mark.parametrize("change", PRIVATE_CHANGES)
def test_no_private_change_moves_the_fingerprint(world, change):
    before, header_before = parts(), state()
    PRIVATE_CHANGES[change](world)
    data_changed()
    assert parts() == before, change
    assert state() == header_before, change


def add_deployments(count: int, visibility: str = "public") -> None:
    """``count`` more deployments with a vendor, a component and a cited source each."""
    huawei = Organisation.objects.get(slug="huawei")
    cctv = Technology.objects.get(slug="cctv")
    start = Deployment.objects.count()
    for number in range(start, start + count):
        deployment = Deployment.objects.create(
            title=f"Extra deal {number}",
            slug=f"extra-{number}",
            country_id="RS",
            locality=new_place(f"Town {number}"),
            status="announced",
            certainty="reported",
            visibility=visibility,
        )
        Party.objects.create(deployment=deployment, organisation=huawei, role="supplier")
        Component.objects.create(deployment=deployment, technology=cctv, quantity=10)
        source = make_public_source(f"extra-{number}")
        Citation.objects.create(source=source, target=deployment, quote="ten cameras")


def fingerprint_queries() -> int:
    data_changed()  # the organisations named by visible records are read again too
    with CaptureQueriesContext(connection) as captured:
        queries.fingerprint(queries.public_querysets())
    return len(captured)


def test_the_fingerprint_costs_the_same_queries_whatever_the_number_of_records(demo):
    fingerprint_queries()  # content types: read once per process
    few = fingerprint_queries()
    add_deployments(10)
    add_deployments(5, visibility="private")
    assert fingerprint_queries() == few
    # One aggregate per public table, one read of its newest change, the organisations
    # named by visible records (one query per scope, and their parents), the organisations
    # not listed while no record names them (one query), the withdrawals, the data generation.
    assert few <= 2 * len(queries.public_querysets()) + 13, few
