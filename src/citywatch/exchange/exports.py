"""Every export format by name: what `citywatch export`, `/exports/` and releases share.

Each file is made piece by piece (``ExportFile.blocks()``): the web answers with a
``StreamingHttpResponse`` and ``citywatch export`` writes the same blocks as they come, so
memory stays flat in the number of records and the first bytes leave at once. A table costs
what its own rows cost (``sources.csv`` reads sources, not the whole dataset).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from citywatch.core.data_cache import one_generation
from citywatch.exchange import streaming, tables
from citywatch.exchange.datapackage import datapackage_pieces
from citywatch.exchange.dataset import dataset_pieces
from citywatch.exchange.geojson import geojson_pieces
from citywatch.exchange.ocds import ocds_pieces

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
CONTENT_TYPES = {
    "citywatch.json": "application/json",
    "deployments.geojson": "application/geo+json",
    "ocds.json": "application/json",
    "datapackage.zip": "application/zip",
}


@dataclass(frozen=True)
class ExportFile:
    """One export file, made when its blocks are read (nothing is read before)."""

    filename: str
    content_type: str
    make: Callable[[], Iterator[bytes]]

    def blocks(self) -> Iterator[bytes]:
        """The file's bytes in blocks of about ``streaming.BLOCK`` bytes (the data's
        generation read once for the whole file, ``data_cache.one_generation``)."""
        return one_generation(self.make())

    @property
    def content(self) -> bytes:
        """The whole file in memory (for tests and small data)."""
        return b"".join(self.blocks())

    def write_to(self, stream: BinaryIO) -> int:
        """Write the file to ``stream`` as it is made; returns the number of bytes."""
        size = 0
        for block in self.blocks():
            stream.write(block)
            size += len(block)
        return size


def export(filename: str, exported_at: dt.datetime | None = None, release: str = "") -> ExportFile:
    """The export file of this name (one of ``FILENAMES``).

    Raises:
        KeyError: when ``filename`` is not one of ``FILENAMES``.
    """
    if filename not in FILENAMES:
        raise KeyError(filename)

    def make() -> Iterator[bytes]:
        if filename == "citywatch.json":
            return streaming.blocks(dataset_pieces(exported_at, release))
        if filename == "deployments.geojson":
            return streaming.blocks(geojson_pieces(exported_at, release))
        if filename == "ocds.json":
            return streaming.blocks(ocds_pieces(exported_at))
        if filename == "datapackage.zip":
            return streaming.blocks(datapackage_pieces(exported_at, release))
        return streaming.blocks(tables.csv_file_pieces(filename))

    return ExportFile(filename, CONTENT_TYPES.get(filename, "text/csv; charset=utf-8"), make)


def write_file(path: Path, made: ExportFile) -> int:
    """Write an export to ``path`` (through a temporary file beside it, so a reader never
    sees half a file); returns the number of bytes."""
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("wb") as stream:
            size = made.write_to(stream)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return size


def write_all(
    folder: Path,
    exported_at: dt.datetime | None = None,
    release: str = "",
    filenames: list[str] | None = None,
) -> list[Path]:
    """Write every format (or the ``filenames`` given) into a folder, one file after the
    other, each streamed; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for filename in filenames or list(FORMATS.values()):
        path = folder / filename
        write_file(path, export(filename, exported_at, release))
        written.append(path)
    return written
