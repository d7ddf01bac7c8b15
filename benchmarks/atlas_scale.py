"""Benchmark: the map data, the list and its facets with many deployments.

    CITYWATCH_DATA_DIR=/tmp/cw-bench python benchmarks/atlas_scale.py --count 100000

Creates (once) a database with COUNT synthetic deployments spread over the shipped city list,
then times the endpoints through Django's test client and prints sizes and timings. It is a
benchmark, not a test: numbers depend on the machine. Figures are recorded in docs/performance.md.
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citywatch.settings")

import django

django.setup()

from django.core.management import call_command
from django.test import Client

from citywatch.actors.models import Organisation
from citywatch.atlas.models import Component, Deployment, Party, Technology
from citywatch.atlas.services import refresh_derived_fields
from citywatch.places.gazetteer import all_cities
from citywatch.places.models import Locality

STATUSES = ["announced", "contracted", "deploying", "operational", "agreement_signed"]
VENDORS = ["Huawei", "Hikvision", "Dahua", "ZTE", "NEC"]


def populate(count: int) -> None:
    existing = Deployment.objects.count()
    if existing >= count:
        return
    rng = random.Random(7)
    cities = rng.sample(list(all_cities()), 5000)
    localities = Locality.objects.bulk_create(
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
    localities = list(Locality.objects.all())
    vendors = [
        Organisation.objects.get_or_create(
            slug=name.lower(), defaults={"name": name, "kind": "vendor"}
        )[0]
        for name in VENDORS
    ]
    technologies = list(Technology.objects.all())
    batch = 5000
    for start in range(existing, count, batch):
        deployments = Deployment.objects.bulk_create(
            [
                Deployment(
                    title=f"Synthetic deal {n}",
                    slug=f"synthetic-{n}",
                    summary="Cameras and a command centre.",
                    country_id=loc.country_id,
                    locality=loc,
                    status=rng.choice(STATUSES),
                    certainty="reported",
                    first_year=(year := rng.randint(2010, 2024)),
                    last_year=year + rng.randint(0, 3),
                    search_text=f"synthetic deal {n} cameras {loc.name.lower()}",
                )
                for n in range(start, min(start + batch, count))
                for loc in [rng.choice(localities)]
            ]
        )
        Party.objects.bulk_create(
            [
                Party(deployment=d, organisation=rng.choice(vendors), role="supplier")
                for d in deployments
            ]
        )
        Component.objects.bulk_create(
            [
                Component(
                    deployment=d,
                    technology=rng.choice(technologies),
                    quantity=rng.randint(1, 2000),
                    unit="cameras",
                    facial_recognition=rng.choice(["unknown", "present"]),
                )
                for d in deployments
            ]
        )
        print(f"  created {min(start + batch, count)} deployments")


def timed(client: Client, url: str, repeat: int = 5) -> tuple[float, int, int]:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    body = response.content
    return statistics.median(timings), len(body), len(gzip.compress(body))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()
    call_command("init", verbosity=0)
    populate(args.count)
    refresh_derived_fields([])  # nothing: synthetic rows carry their derived fields
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
