"""Benchmark: import a citywatch.json of many synthetic deployments into an empty database.

    CITYWATCH_DATA_DIR=/tmp/cw-import python benchmarks/import_scale.py --count 100000

Writes (once per count) ``citywatch-COUNT.json`` in the data folder: COUNT deployments spread
over 5,000 places of the shipped city list, each with a supplier, a buyer, a component, an
amount, an event and a citation of one of 2,000 sources, the shape ``citywatch export
--format json`` gives. Then empties the database (``flush``), imports the file as the command
line does (``citywatch import``: one transaction, every row checked, history kept, derived
search text and years, search index and page-cache generation brought up to date) and prints
the time, the peak memory and the counts. Run it a second time with ``--again`` to time a
re-import of the same file (every record found, nothing changed).

It is a benchmark, not a test: numbers depend on the machine. Figures are in
docs/performance.md ("Imports").
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import time
import uuid
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citywatch.settings")

import django

django.setup()

from django.conf import settings
from django.core.management import call_command

from citywatch.atlas.models import Deployment, Technology
from citywatch.atlas.taxonomy import sync_technologies
from citywatch.evidence.models import SearchEntry
from citywatch.exchange.imports import run_import
from citywatch.places.gazetteer import all_cities
from citywatch.places.models import Country
from citywatch.places.services import sync_countries

STATUSES = ["announced", "contracted", "deploying", "operational", "agreement_signed"]
CERTAINTIES = ["documented", "reported", "vendor_claim", "speculative"]
VENDORS = ["Huawei", "Hikvision", "Dahua", "ZTE", "NEC"]
TECHNOLOGIES = ["cctv", "facial-recognition", "video-analytics", "command-centre"]
PLACES = 5000
SOURCES = 2000


def key(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def synthetic_dataset(count: int, seed: int = 11) -> dict:
    """A citywatch.json document (as a dict) with ``count`` deployments."""
    rng = random.Random(seed)
    # One place per name and country: namesakes (three Troys in the US) are told apart by
    # their region, which this synthetic file does not give.
    unique = {(city.name, city.country_code): city for city in all_cities()}
    cities = rng.sample(sorted(unique.values(), key=lambda c: c.geonames_id), PLACES)
    localities = [
        {
            "id": key(rng),
            "name": city.name,
            "subdivision_code": "",
            "geonames_id": city.geonames_id,
            "approximate": False,
            "country": city.country_code,
            "latitude": float(city.latitude),
            "longitude": float(city.longitude),
        }
        for city in cities
    ]
    vendors = [
        {"id": key(rng), "slug": name.lower(), "name": name, "kind": "vendor", "country": None}
        for name in VENDORS
    ]
    authorities = [
        {
            "id": key(rng),
            "slug": f"synthetic-authority-{n}",
            "name": f"Synthetic city council {n}",
            "kind": "authority",
            "country": localities[n]["country"],
        }
        for n in range(500)
    ]
    sources = [
        {
            "id": key(rng),
            "title": f"Synthetic report {n}",
            "url": f"https://reports.example/{n}",
            "publisher": "Synthetic News",
            "published_on": str(rng.randint(2010, 2024)),
            "language": "en",
            "kind": "media",
            "notes": "",
        }
        for n in range(SOURCES)
    ]
    deployments, citations = [], []
    for n in range(count):
        place = localities[rng.randrange(PLACES)]
        year = rng.randint(2010, 2024)
        authority = authorities[rng.randrange(len(authorities))]
        deployment = {
            "id": key(rng),
            "slug": f"synthetic-{n}",
            "title": f"Synthetic deal {n}",
            "summary": "Cameras and a command centre.",
            "status": rng.choice(STATUSES),
            "certainty": rng.choice(CERTAINTIES),
            "country": place["country"],
            "locality": None if n % 50 == 0 else place["id"],
            "parties": [
                {
                    "id": key(rng),
                    "organisation": rng.choice(vendors)["id"],
                    "role": "supplier",
                    "started_on": str(year),
                    "certainty": "reported",
                },
                {"id": key(rng), "organisation": authority["id"], "role": "buyer"},
            ],
            "components": [
                {
                    "id": key(rng),
                    "technology": rng.choice(TECHNOLOGIES),
                    "quantity": rng.randint(1, 2000),
                    "quantity_qualifier": "exactly",
                    "unit": "cameras",
                    "facial_recognition": rng.choice(["unknown", "present"]),
                    "certainty": "reported",
                }
            ],
            "money": [
                {
                    "id": key(rng),
                    "financing": rng.choice(["purchase", "loan", "grant"]),
                    "amount": f"{rng.randint(10, 5000) * 1000}.00",
                    "currency": "USD",
                    "dated": str(year),
                    "certainty": "reported",
                }
            ],
            "events": [
                {
                    "id": key(rng),
                    "date": f"{year + rng.randint(0, 3)}-0{rng.randint(1, 9)}",
                    "kind": "announced",
                    "title": "Announced by the city",
                    "certainty": "reported",
                }
            ],
        }
        deployments.append(deployment)
        citations.append(
            {
                "id": key(rng),
                "source": sources[rng.randrange(SOURCES)]["id"],
                "target": {"type": "deployment", "id": deployment["id"]},
                "field_name": "status",
                "quote": "The city signed for cameras.",
            }
        )
    return {
        "format": "citywatch-dataset",
        "format_version": "1.1",
        "sources": sources,
        "organisations": vendors + authorities,
        "localities": localities,
        "deployments": deployments,
        "citations": citations,
    }


def dataset_file(count: int) -> Path:
    path = Path(settings.DATA_DIR) / f"citywatch-{count}.json"
    if not path.exists():
        path.write_text(json.dumps(synthetic_dataset(count), ensure_ascii=False))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--again", action="store_true", help="import into the filled database")
    args = parser.parse_args()
    call_command("init", verbosity=0)
    path = dataset_file(args.count)
    if not args.again:
        call_command("flush", interactive=False, verbosity=0)
        sync_countries(Country)  # reference data the migrations wrote, emptied by flush
        sync_technologies(Technology)
    data = path.read_bytes()
    print(f"{path.name}: {len(data) / 1e6:.1f} MB, {args.count} deployments")
    started, cpu_started = time.perf_counter(), time.process_time()
    report = run_import(data, filename=path.name)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for kind, counts in report.counts_by_kind().items():
        print(f"  {kind}: " + ", ".join(f"{n} {a}" for a, n in sorted(counts.items())))
    print(report.summary())
    rate = args.count / seconds
    print(
        f"import: {seconds:.1f} s, {rate:.0f} deployments/s, peak RSS {peak:.0f} MB "
        f"(CPU time of this process {cpu:.1f} s; load average {os.getloadavg()[0]:.1f})"
    )
    print(
        f"{Deployment.objects.count()} deployments, "
        f"{Deployment.objects.filter(search_text='').count()} without search text, "
        f"{SearchEntry.objects.filter(kind='deployment').count()} deployment index entries"
    )


if __name__ == "__main__":
    main()
