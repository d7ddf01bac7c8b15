"""Public reads are kept under the public dataset's version (issue 13: the first request after
a change). A visitor's map, API answers and pages are computed again when the public may see
the change (a public edit, an embargo ending at midnight, a country renamed), never for a
private edit: the API's next visitor waits only for the public fingerprint
(``citywatch.core.data_cache``, ``cached(..., public=True)``), and the map and pages, kept under
the public version once the fingerprint is known (``public=IF_KNOWN``), are not computed
again. Members keep reads keyed by the data's generation, so they see their private edit at
once.

The writes here are committed (``transaction=True``), as a site's are: inside an open
transaction that wrote, public reads fall back to the generation."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db import connection, transaction
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from citywatch.atlas import queries as atlas_queries
from citywatch.atlas.filters import apply_filters, parse_filters
from citywatch.atlas.map_data import encode, map_rows
from citywatch.atlas.models import Deployment
from citywatch.core import data_cache
from citywatch.exchange import queries
from citywatch.places.models import Country, Locality

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MAP = "/map/deployments.json"
API = "/api/deployments?country=RS"


@pytest.fixture
def world(transactional_db, demo_snapshot, request):
    """The demo dataset, committed, with a private deployment of team A and an embargoed one
    (both placed, so on a map); the shared tokens are removed afterwards (the cache table is
    not emptied between tests)."""
    import snapshot

    with transaction.atomic():
        # After a flush (a browser test's live server, or this module's previous test) the
        # search index and the content types need not hold what they held when the snapshot
        # was taken: put them back as they were.
        snapshot.restore(demo_snapshot, check=False)
    data_cache.data_changed()  # written without save(), as an import is
    member = request.getfixturevalue("make_member")("viewer", "A")
    team = member.memberships.get().team
    place = Locality.objects.create(
        name="Nis", country_id="RS", latitude=43.3209, longitude=21.8958
    )
    private = Deployment.objects.create(
        title="Secret cameras in Nis",
        slug="secret-nis",
        country_id="RS",
        locality=place,
        status="announced",
        certainty="reported",
        visibility="private",
        owner_team=team,
    )
    embargoed = Deployment.objects.create(
        title="Embargoed cameras in Nis",
        slug="embargoed-nis",
        country_id="RS",
        locality=place,
        status="announced",
        certainty="reported",
        embargo_until=timezone.localdate() + dt.timedelta(days=1),
    )
    yield {
        "member": member,
        "private": private,
        "embargoed": embargoed,
        "public": Deployment.objects.get(slug="belgrade-safe-city"),
    }
    caches["default"].clear()
    caches[data_cache.PAGES_CACHE].clear()


def get(client, url: str) -> tuple[bytes, list[str]]:
    """The answer's body (unzipped) and the SQL the request ran."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content, [query["sql"] for query in captured.captured_queries]


def map_sql() -> list[str]:
    """The SQL that computing a visitor's map reads (the rows: one query)."""
    deployments = apply_filters(
        atlas_queries.visible_deployments(AnonymousUser()), parse_filters(QueryDict())
    )
    with CaptureQueriesContext(connection) as captured:
        encode(map_rows(deployments))
    return [query["sql"] for query in captured.captured_queries]


def fingerprint_sql() -> set[str]:
    """The SQL of the public fingerprint computed afresh (what the next visitor may wait for
    after a private edit); the organisations named by visible records it reads are kept."""
    with CaptureQueriesContext(connection) as captured:
        queries.fingerprint(queries.public_querysets())
    return {query["sql"] for query in captured.captured_queries}


def beyond_fingerprint(ran: list[str], allowed: set[str]) -> list[str]:
    """The queries of a request that are neither the fingerprint's nor the page cache's
    tokens and shared values (the cache table)."""
    return [
        sql
        for sql in ran
        if sql not in allowed
        and "citywatch_cache" not in sql
        and not sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "BEGIN", "COMMIT"))
    ]


def slugs_on_map(body: bytes) -> set[str]:
    return {row[0] for row in json.loads(body)["rows"]}


def api_titles(body: bytes) -> set[str]:
    return {item["title"] for item in json.loads(body)["results"]}


def test_the_public_models_are_the_fingerprinted_ones(world):
    assert [records.model for records in queries.public_querysets()] == list(queries.PUBLIC_MODELS)


def test_a_private_edit_does_not_compute_the_public_map_or_api_again(client, world):
    """On a site whose API or exports are read (so the fingerprint is known before and after
    the change), the map kept under the public version outlives a private edit."""
    api_body, _ = get(client, API)
    map_body, _ = get(client, MAP)

    world["private"].title = "Secret cameras in Nis, renamed"
    world["private"].status = "operational"
    world["private"].save()
    allowed = fingerprint_sql()

    # The API needs the fingerprint for its ETag: it computes it, and nothing else.
    again, ran = get(client, API)
    assert again == api_body
    assert any("atlas_deployment" in sql for sql in ran), "the fingerprint is computed"
    assert beyond_fingerprint(ran, allowed) == []
    # The map then finds its rows kept under the same public version: no query at all.
    again, ran = get(client, MAP)
    assert again == map_body
    assert beyond_fingerprint(ran, set()) == [], "the fingerprint is kept: nothing else"
    assert not set(map_sql()) & set(ran), "the map's rows are not read again"


def test_a_page_asked_first_after_a_change_does_not_wait_for_the_fingerprint(client, world):
    """Computing the fingerprint costs about what computing the map does: a map or page asked
    before anything computed it is computed as before (under the generation), not after
    waiting for the fingerprint as well."""
    get(client, MAP)
    world["private"].title = "Secret, renamed again"
    world["private"].save()
    _, ran = get(client, MAP)
    assert set(map_sql()) <= set(ran), "the map's rows are read"
    fingerprint_only = set(beyond_fingerprint(list(fingerprint_sql()), set()))
    assert fingerprint_only and not fingerprint_only & set(ran), "no fingerprint query"


def test_public_pages_for_visitors_stay_for_a_private_edit(client, world):
    """The list and record pages and the home page of a visitor without cookies."""
    addresses = ["/deployments/", "/deployments/belgrade-safe-city/", "/?country=RS"]
    get(client, API)  # the API is read: the fingerprint is known
    for address in addresses:
        get(client, address)
    world["private"].title = "Secret, renamed"
    world["private"].save()
    get(client, API)  # someone asks the API: the fingerprint is known
    for address in addresses:
        _, ran = get(client, address)
        assert beyond_fingerprint(ran, set()) == [], address
    world["public"].title = "Belgrade, renamed in public"
    world["public"].save()
    assert b"Belgrade, renamed in public" in get(client, "/deployments/")[0]
    assert b"Belgrade, renamed in public" in get(client, "/deployments/belgrade-safe-city/")[0]


def test_a_public_edit_computes_them_again(client, world):
    map_body, _ = get(client, MAP)
    api_body, _ = get(client, API)
    rows_query = map_sql()

    world["public"].title = "Belgrade, renamed in public"
    world["public"].status = "suspended"
    world["public"].save()

    again, ran = get(client, MAP)
    assert again != map_body
    assert set(rows_query) <= set(ran)
    again, _ = get(client, API)
    assert "Belgrade, renamed in public" in api_titles(again)
    assert again != api_body


def test_an_embargo_ending_at_midnight_computes_them_again(client, world, monkeypatch):
    """No write at all: the next day, the embargoed deployment is public."""
    map_body, _ = get(client, MAP)
    api_body, _ = get(client, API)
    assert "embargoed-nis" not in slugs_on_map(map_body)
    assert "Embargoed cameras in Nis" not in api_titles(api_body)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: tomorrow)

    again, ran = get(client, MAP)
    assert "embargoed-nis" in slugs_on_map(again)
    assert set(map_sql()) <= set(ran)
    again, _ = get(client, API)
    assert "Embargoed cameras in Nis" in api_titles(again)


def test_a_change_the_fingerprint_cannot_see_computes_them_again(client, world):
    """A country is not one of the fingerprinted tables: changing it, by ``save()`` or by
    ``update()`` and ``data_changed()``, replaces the public generation."""
    before, _ = get(client, "/api/countries/RS")
    assert json.loads(before)["alpha3"] == "SRB"
    Country.objects.filter(pk="RS").update(alpha3="SRX")
    data_cache.data_changed()
    after, _ = get(client, "/api/countries/RS")
    assert json.loads(after)["alpha3"] == "SRX"

    country = Country.objects.get(pk="RS")
    country.alpha3 = "SRY"
    country.save()
    again, _ = get(client, "/api/countries/RS")
    assert json.loads(again)["alpha3"] == "SRY"


def test_a_private_edit_is_seen_at_once_by_the_team(client, world):
    client.force_login(world["member"])
    body, _ = get(client, MAP)
    assert "secret-nis" in slugs_on_map(body)
    world["private"].locality = None  # country-wide: drawn at the country's point
    world["private"].save()
    again, ran = get(client, MAP)
    assert again != body
    assert any("atlas_deployment" in sql for sql in ran)


def test_a_public_record_saved_without_its_timestamp_computes_them_again(client, world):
    """``save(update_fields=[...])`` without ``updated_at`` leaves the fingerprint's newest
    timestamp where it was: such a save replaces the public generation."""
    get(client, API)
    world["public"].title = "Belgrade, quietly renamed"
    world["public"].save(update_fields=["title"])
    again, _ = get(client, API)
    assert "Belgrade, quietly renamed" in api_titles(again)


def test_a_tip_sent_costs_a_visitor_no_more_than_a_private_edit(client, world):
    """A tip is read by reviewers only: sending one replaces the generation, not the public
    one, so the next visitor's map waits for the fingerprint alone, as after a private
    edit (its timing tells no more than a private edit's)."""
    from citywatch.commons.models import Tip

    get(client, API)
    body, _ = get(client, MAP)
    Tip.objects.create(what="Cameras at the station", received_on=timezone.localdate())
    allowed = fingerprint_sql()
    _, ran = get(client, API)
    assert any("atlas_deployment" in sql for sql in ran), "the generation moved"
    assert beyond_fingerprint(ran, allowed) == []
    again, ran = get(client, MAP)
    assert again == body
    assert beyond_fingerprint(ran, set()) == []
