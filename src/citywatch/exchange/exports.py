"""Every export format by name: what `citywatch export`, `/exports/` and releases share."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from citywatch.exchange import tables
from citywatch.exchange.datapackage import build_datapackage
from citywatch.exchange.dataset import build_dataset, dumps
from citywatch.exchange.geojson import build_geojson
from citywatch.exchange.ocds import build_ocds


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes


FORMATS = {
    # --format name: file name
    "csv": "deployments.csv",
    "geojson": "deployments.geojson",
    "json": "citywatch.json",
    "ocds": "ocds.json",
    "datapackage": "datapackage.zip",
}
TABLE_FILES = [f"{name}.csv" for name in tables.TABLE_COLUMNS]
FILENAMES = [*FORMATS.values(), *TABLE_FILES]


def render(filename: str, dataset: dict[str, Any]) -> ExportFile:
    """One export file, made from an already built dataset."""
    if filename == "citywatch.json":
        return ExportFile(filename, "application/json", dumps(dataset).encode())
    if filename == "deployments.geojson":
        text = json.dumps(build_geojson(dataset), ensure_ascii=False, indent=1) + "\n"
        return ExportFile(filename, "application/geo+json", text.encode())
    if filename == "ocds.json":
        text = json.dumps(build_ocds(dataset), ensure_ascii=False, indent=2) + "\n"
        return ExportFile(filename, "application/json", text.encode())
    if filename == "datapackage.zip":
        return ExportFile(filename, "application/zip", build_datapackage(dataset))
    if filename.endswith(".csv"):
        csv_files = tables.all_csv_files(dataset)
        if filename in csv_files:
            return ExportFile(filename, "text/csv; charset=utf-8", csv_files[filename].encode())
    raise KeyError(filename)


def export(filename: str, exported_at: dt.datetime | None = None, release: str = "") -> ExportFile:
    return render(filename, build_dataset(exported_at, release))


def write_all(
    folder: Path, exported_at: dt.datetime | None = None, release: str = ""
) -> list[Path]:
    """Write every format into a folder (for releases); returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    dataset = build_dataset(exported_at, release)
    written = []
    for filename in FORMATS.values():
        path = folder / filename
        path.write_bytes(render(filename, dataset).content)
        written.append(path)
    return written
