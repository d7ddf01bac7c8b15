"""Writing files piece by piece: JSON whose long lists are generators, CSV row by row, a ZIP
archive whose members are streams, and bytes in blocks of a useful size.

``json_pieces(document, indent)`` writes exactly what ``json.dumps(document,
ensure_ascii=False, indent=indent)`` would write once every ``Lazy`` list in it were a list, so
a streamed file and one built in memory are byte for byte the same.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any

# Bytes gathered before a piece leaves (a network write per row would cost more than the row).
BLOCK = 64 * 1024


class Lazy:
    """A list of a JSON document made only when it is written: ``Lazy(function)`` where
    ``function()`` returns an iterator of JSON-ready values."""

    def __init__(self, function: Callable[[], Iterable[Any]]) -> None:
        self.function = function

    def __iter__(self) -> Iterator[Any]:
        return iter(self.function())


def _dumps(value: Any, indent: int, level: int) -> str:
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    # JSON escapes newlines inside strings, so every "\n" here is the layout's own.
    return text.replace("\n", "\n" + " " * (indent * level)) if level else text


def _holds_lazy(value: Any) -> bool:
    if isinstance(value, Lazy):
        return True
    if isinstance(value, dict):
        return any(_holds_lazy(item) for item in value.values())
    return False


def json_pieces(value: Any, indent: int, level: int = 0) -> Iterator[str]:
    """The JSON text of ``value`` (dicts, lists and ``Lazy`` lists of JSON-ready values), in
    pieces: one per item of a ``Lazy`` list, the rest as ``json.dumps`` writes it."""
    if not _holds_lazy(value):
        yield _dumps(value, indent, level)
        return
    inner = "\n" + " " * (indent * (level + 1))
    if isinstance(value, dict):
        yield "{"
        for number, (key, item) in enumerate(value.items()):
            yield ("," if number else "") + inner + json.dumps(key, ensure_ascii=False) + ": "
            yield from json_pieces(item, indent, level + 1)
        yield "\n" + " " * (indent * level) + "}"
        return
    empty = True
    for item in value:
        yield ("[" if empty else ",") + inner
        empty = False
        yield from json_pieces(item, indent, level + 1)
    yield "[]" if empty else "\n" + " " * (indent * level) + "]"


def csv_pieces(rows: Iterable[dict[str, str]], fieldnames: list[str]) -> Iterator[str]:
    """The header, then one piece per row (CRLF line ends, as RFC 4180 writes them)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fieldnames, lineterminator="\r\n")

    def drained() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writeheader()
    yield drained()
    for row in rows:
        writer.writerow(row)
        yield drained()


def blocks(pieces: Iterable[str | bytes], size: int | None = None) -> Iterator[bytes]:
    """The pieces as UTF-8 bytes in blocks of about ``size`` bytes (``BLOCK``); the first
    block leaves at once, so a client sees the file start before the rest is made."""
    size = BLOCK if size is None else size
    gathered: list[bytes] = []
    length = 0
    first = True
    for piece in pieces:
        data = piece.encode() if isinstance(piece, str) else piece
        if not data:
            continue
        gathered.append(data)
        length += len(data)
        if first or length >= size:
            yield b"".join(gathered)
            gathered, length, first = [], 0, False
    if gathered:
        yield b"".join(gathered)


class _Sink(io.RawIOBase):
    """A write-only, unseekable file that keeps what was written until it is taken."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def zip_pieces(
    members: Iterable[tuple[str, Iterable[str | bytes]]],
    date_time: tuple[int, int, int, int, int, int],
) -> Iterator[bytes]:
    """A deflated ZIP archive of ``(name, pieces)`` members, written as it is read (sizes in
    data descriptors, as the ZIP format allows for streams)."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, pieces in members:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w") as member:
                for piece in pieces:
                    member.write(piece.encode() if isinstance(piece, str) else piece)
                    if len(sink.parts) > 16:
                        yield sink.take()
            yield sink.take()
    yield sink.take()
