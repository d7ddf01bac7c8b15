"""Benchmark data: a database with many synthetic deployments, and quick timings of the pages.

    CITYWATCH_DATA_DIR=/tmp/cw-bench python benchmarks/atlas_scale.py --count 100000

Creates (once; a database that already holds COUNT synthetic deployments is reused) COUNT
deployments spread over 5,000 places of the shipped city list, each with a supplier, a
component and a citation of one of 2,000 sources, all with their history rows, as a site
that has been edited through its forms would hold them. About 6 % are not public (partners
only, private to a team, or under embargo), so visibility filters have work to do. Then times
the main pages through Django's test client (the median of five requests; the first one
computes, the others are served from the page cache unless CITYWATCH_PAGE_CACHE=0).

``--search-index`` also fills the full-text index (slow: about a minute per 10,000
deployments). It is a benchmark, not a test: numbers depend on the machine. The side-by-side
comparison with Datasette is ``benchmarks/side_by_side.py``; figures are in
docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import os
import random
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citywatch.settings")

import django

django.setup()

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from simple_history.utils import bulk_create_with_history

from citywatch.actors.models import Organisation
from citywatch.atlas.models import Component, Deployment, Party, Technology
from citywatch.core.data_cache import data_changed
from citywatch.evidence.models import Citation, Source
from citywatch.places.gazetteer import all_cities
from citywatch.places.models import Locality
from citywatch.teams.models import Team

STATUSES = ["announced", "contracted", "deploying", "operational", "agreement_signed"]
CERTAINTIES = ["documented", "reported", "vendor_claim", "speculative"]
VENDORS = ["Huawei", "Hikvision", "Dahua", "ZTE", "NEC"]
SOURCES = 2000
BATCH = 5000
# visibility, embargo: 94 % public; the rest partners-only, private or under embargo.
VISIBILITIES = [("public", None)] * 94 + [("partners", None)] * 2 + [("private", None)] * 2
EMBARGOED = [("public", dt.date(2099, 1, 1))] * 2


def synthetic_count() -> int:
    return Deployment.objects.filter(slug__startswith="synthetic-").count()


def places(rng: random.Random) -> list[Locality]:
    cities = rng.sample(list(all_cities()), 5000)
    Locality.objects.bulk_create(
        [
            Locality(
                name=c.name,
                country_id=c.country_code,
                latitude=c.latitude,
                longitude=c.longitude,
                geonames_id=c.geonames_id,
            )
            for c in cities
        ],
        ignore_conflicts=True,
    )
    return list(Locality.objects.all())


def sources(rng: random.Random) -> list[Source]:
    existing = list(Source.objects.filter(title__startswith="Synthetic report "))
    if len(existing) >= SOURCES:
        return existing
    made = [
        Source(
            title=f"Synthetic report {n}",
            url=f"https://news.example.org/reports/{n}",
            publisher="Example News",
            kind="media",
            language="en",
        )
        for n in range(SOURCES)
    ]
    return bulk_create_with_history(made, Source, batch_size=1000)


def populate(count: int) -> None:
    """Add synthetic deployments until there are ``count`` of them."""
    existing = synthetic_count()
    if existing >= count:
        return
    rng = random.Random(7 + existing)
    localities = places(rng)
    vendors = [
        Organisation.objects.get_or_create(
            slug=name.lower(), defaults={"name": name, "kind": "vendor"}
        )[0]
        for name in VENDORS
    ]
    team, _created = Team.objects.get_or_create(slug="bench-team", defaults={"name": "Bench"})
    technologies = list(Technology.objects.all())
    reports = sources(rng)
    deployment_type = ContentType.objects.get_for_model(Deployment)
    for start in range(existing, count, BATCH):
        with transaction.atomic():
            made = []
            for n in range(start, min(start + BATCH, count)):
                place = rng.choice(localities)
                visibility, embargo = rng.choice(VISIBILITIES + EMBARGOED)
                year = rng.randint(2010, 2024)
                made.append(
                    Deployment(
                        title=f"Synthetic deal {n}",
                        slug=f"synthetic-{n}",
                        summary="Cameras and a command centre.",
                        country_id=place.country_id,
                        locality=None if n % 50 == 0 else place,
                        status=rng.choice(STATUSES),
                        certainty=rng.choice(CERTAINTIES),
                        visibility=visibility,
                        embargo_until=embargo,
                        owner_team=team if visibility == "private" else None,
                        first_year=year,
                        last_year=year + rng.randint(0, 3),
                        search_text=f"synthetic deal {n} cameras {place.name.lower()}",
                    )
                )
            deployments = bulk_create_with_history(made, Deployment, batch_size=1000)
            bulk_create_with_history(
                [
                    Party(deployment=d, organisation=rng.choice(vendors), role="supplier")
                    for d in deployments
                ],
                Party,
                batch_size=1000,
            )
            bulk_create_with_history(
                [
                    Component(
                        deployment=d,
                        technology=rng.choice(technologies),
                        quantity=rng.randint(1, 2000),
                        unit="cameras",
                        facial_recognition=rng.choice(["unknown", "present"]),
                    )
                    for d in deployments
                ],
                Component,
                batch_size=1000,
            )
            bulk_create_with_history(
                [
                    Citation(
                        source=rng.choice(reports),
                        content_type=deployment_type,
                        object_id=d.pk,
                        field_name="status",
                        quote="The city signed for cameras.",
                    )
                    for d in deployments
                ],
                Citation,
                batch_size=1000,
            )
        print(f"  created {min(start + BATCH, count)} deployments", flush=True)
    data_changed()  # written in bulk, without save(): tell the page caches


def prepare(count: int, search_index: bool = False) -> None:
    """Create or update the database, fill it, and (optionally) index it for search."""
    call_command("init", verbosity=0)
    populate(count)
    if search_index:
        from citywatch.research.search import rebuild_index

        print("  indexing for search…", flush=True)
        rebuild_index()
        data_changed()


def timed(client: Client, url: str, repeat: int = 5) -> tuple[float, int, int]:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        return statistics.median(timings), len(gzip.decompress(body)), len(body)
    return statistics.median(timings), len(body), len(gzip.compress(body))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--search-index", action="store_true")
    args = parser.parse_args()
    prepare(args.count, args.search_index)
    client = Client(SERVER_NAME="localhost")
    print(f"{Deployment.objects.count()} deployments")
    for url in [
        "/map/deployments.json",
        "/map/deployments.json?vendor=huawei&technology=cctv",
        "/map/countries.json",
        "/deployments/",
        "/deployments/?vendor=huawei&technology=facial-recognition&year_from=2018",
        "/deployments/?q=cameras+paris",
        "/",
    ]:
        median, size, compressed = timed(client, url)
        sizes = f"{size / 1024:9.1f} KB ({compressed / 1024:.1f} KB gzip)"
        print(f"{url:75s} {median * 1000:8.0f} ms {sizes}")


if __name__ == "__main__":
    main()
