"""Dataset releases: a dated, versioned snapshot of every export format, with a changelog of
what was added, changed and removed since the previous release."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from citywatch.exchange import exports, queries
from citywatch.exchange.dataset import dataset_document
from citywatch.exchange.models import Release

# Top-level lists of citywatch.json that the changelog follows, with the field that names them.
TRACKED = {
    "deployments": ("deployment", "title"),
    "organisations": ("organisation", "name"),
    "sources": ("source", "title"),
    "localities": ("locality", "name"),
    "legal_entries": ("legal_entry", "name"),
    "vendor_claims": ("vendor_claim", "statement"),
    "citations": ("citation", "quote"),
}
CHANGE_KINDS = ("added", "changed")  # named in changelogs; what left is only counted


def releases_dir() -> Path:
    return Path(settings.DATA_DIR) / "releases"


def record_fingerprints(dataset: dict[str, Any]) -> dict[str, dict[str, str]]:
    """{stable id: {type, label, hash}} for every tracked record (a deployment's hash covers
    its parties, components, money, events and claims). ``dataset`` is citywatch.json as a
    dictionary; its lists may be ``streaming.Lazy`` (read once, record by record)."""
    records = {}
    for name, (kind, label_field) in TRACKED.items():
        for record in dataset.get(name, []):
            body = json.dumps(record, sort_keys=True, ensure_ascii=False).encode()
            label = str(record.get(label_field) or record.get("topic") or record["id"])
            records[record["id"]] = {
                "type": kind,
                "label": label[:120],
                "hash": hashlib.sha256(body).hexdigest(),
            }
    return records


def changelog(
    previous: dict[str, dict[str, str]], current: dict[str, dict[str, str]]
) -> dict[str, Any]:
    """What changed between two releases' public records.

    Both releases hold only what was public when they were cut, so every record named here
    was public before and is public now (added records are public now). A record that left
    the public dataset is only counted (``no_longer_public``), never named: it may have been
    made private for a reason, and its title must not travel in the changelog.
    """

    def entry(key: str, record: dict[str, str]) -> dict[str, str]:
        return {"type": record["type"], "id": key, "label": record["label"]}

    def ordered(entries: list[dict[str, str]]) -> list[dict[str, str]]:
        return sorted(entries, key=lambda e: (e["type"], e["label"], e["id"]))

    return {
        "added": ordered([entry(k, r) for k, r in current.items() if k not in previous]),
        "changed": ordered(
            [
                entry(k, r)
                for k, r in current.items()
                if k in previous and previous[k]["hash"] != r["hash"]
            ]
        ),
        "removed": [],
        "no_longer_public": sum(1 for key in previous if key not in current),
    }


def next_version(on: dt.date) -> str:
    base = on.strftime("%Y.%m.%d")
    version, number = base, 2
    while Release.objects.filter(version=version).exists():
        version = f"{base}.{number}"
        number += 1
    return version


def changelog_markdown(release: Release) -> str:
    lines = [f"# CityWatch dataset release {release.version}", ""]
    if release.notes:
        lines += [release.notes, ""]
    for kind in ("added", "changed"):
        entries = release.changelog.get(kind, [])
        lines.append(f"## {kind.capitalize()} ({len(entries)})")
        lines.append("")
        lines += [f"- {e['type']}: {e['label']} ({e['id']})" for e in entries] or ["- nothing"]
        lines.append("")
    gone = release.changelog.get("no_longer_public", 0) + len(release.changelog.get("removed", []))
    lines += ["## No longer public", "", f"- {gone} record(s), not named", ""]
    return "\n".join(lines)


SNAPSHOT_MARKER = "DATASET_VERSION"


def cut_release(
    version: str = "", notes: str = "", released_at: dt.datetime | None = None
) -> Release:
    """Snapshot the public dataset into DATA_DIR/releases/<version>/ and record the changelog.

    Every export file (the formats and each table) is streamed to disk, then the release is
    recorded and the folder put in place in one step. The folder also keeps the version of
    the public dataset it was made from (``DATASET_VERSION``): while the public data has not
    changed since, ``/exports/`` serves these files as they are (``snapshot_file``).

    Raises:
        ValueError: a release of that version exists already.
    """
    released_at = released_at or queries.now()
    version = version or next_version(released_at.date())
    if Release.objects.filter(version=version).exists():
        raise ValueError(f"release {version} already exists")
    dataset_version = queries.dataset_version()  # before reading: a later change moves it
    fingerprints = record_fingerprints(dataset_document(released_at, release=version))
    folder = releases_dir() / version
    partial = releases_dir() / f".{version}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    try:
        exports.write_all(partial, released_at, version, exports.FILENAMES)
        with transaction.atomic():
            previous = Release.objects.order_by("-created_at", "-pk").first()
            release = Release.objects.create(
                version=version,
                notes=notes,
                records=fingerprints,
                changelog=changelog(previous.records if previous else {}, fingerprints),
            )
            (partial / "CHANGELOG.md").write_text(changelog_markdown(release), encoding="utf-8")
            (partial / SNAPSHOT_MARKER).write_text(dataset_version + "\n", encoding="utf-8")
            partial.rename(folder)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return release


def snapshot_file(filename: str) -> Path | None:
    """The latest release's copy of this export file when the public dataset has not changed
    since that release (same ``queries.dataset_version``), else None. One query."""
    latest = Release.objects.order_by("-created_at", "-pk").values_list("version", flat=True)
    version = latest.first()
    if version is None or filename not in exports.FILENAMES:
        return None
    folder = releases_dir() / version
    try:
        made_from = (folder / SNAPSHOT_MARKER).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    path = folder / filename
    if made_from != queries.dataset_version() or not path.is_file():
        return None
    return path


RELEASE_FILES = [*exports.FILENAMES, "CHANGELOG.md"]
