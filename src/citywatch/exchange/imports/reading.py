"""Reading files people send: UTF-8 checks by line, CSV rows and JSON items with line numbers."""

from __future__ import annotations

import bisect
import codecs
import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from django.utils.translation import gettext as _

from citywatch.exchange.imports.report import Problem

WHITESPACE = re.compile(r"\s*")


def decode(data: bytes) -> tuple[str, list[Problem]]:
    """The file as text, or one problem per line that is not valid UTF-8.

    A byte-order mark is dropped; UTF-16 with its mark (Excel's "Unicode text") is read too.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            return "", [Problem(1, _("broken UTF-16 text: save the file as UTF-8 and try again"))]
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    problems = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as error:
            problems.append(
                Problem(
                    number,
                    _(
                        "not UTF-8 text (byte 0x%(byte)02x at column %(column)s); "
                        "save the file as UTF-8 and try again"
                    )
                    % {"byte": line[error.start], "column": error.start + 1},
                )
            )
    return "", problems


DELIMITERS = (",", ";", "\t")
# Our spreadsheet exports put an apostrophe before text that a spreadsheet would run as a
# formula (see exchange.tables.spreadsheet_safe); reading our own file back takes it off.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV file: comma, semicolon (Excel in Spanish, French or Serbian
    saves so) or tab, whichever splits the header line into the most columns."""
    first = text.split("\n", 1)[0]
    counts = {}
    for delimiter in DELIMITERS:
        cells = next(csv.reader([first], delimiter=delimiter), [])
        counts[delimiter] = len(cells)
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 1 else ","


def unguard(cell: str) -> str:
    """Undo the apostrophe our exports put before formula-like text ("'=x" -> "=x")."""
    if cell.startswith("'") and cell[1:2] and cell[1] in FORMULA_STARTS:
        return cell[1:]
    return cell


def read_csv(
    text: str, delimiter: str = ""
) -> tuple[list[str], list[tuple[int, dict[str, str]]], list[Problem]]:
    """The header, each non-empty row with the line it starts on, and problems found.

    The delimiter is sniffed unless given; line ends may be LF or CRLF.
    """
    delimiter = delimiter or sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    problems: list[Problem] = []
    try:
        header = [name.strip() for name in next(reader, [])]
    except csv.Error as error:
        return [], [], [Problem(1, _("not a CSV file: %(error)s") % {"error": error})]
    rows: list[tuple[int, dict[str, str]]] = []
    start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(Problem(start, _("cannot read this row: %(error)s") % {"error": error}))
            break
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            problems.append(
                Problem(
                    line,
                    _(
                        "the row has %(cells)s cells but the header has %(columns)s columns: "
                        "check for a missing or extra %(delimiter)s, or quote cells that "
                        "contain one"
                    )
                    % {
                        "cells": len(cells),
                        "columns": len(header),
                        "delimiter": {"\t": _("tab")}.get(delimiter, repr(delimiter)),
                    },
                )
            )
            continue
        rows.append((line, dict(zip(header, (unguard(c) for c in cells), strict=True))))
    return header, rows, problems


def load_json(text: str) -> tuple[Any, dict[tuple[str, int], int], list[Problem]]:
    """The parsed document, the line of each item of each top-level list, and problems."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return (
            None,
            {},
            [Problem(error.lineno, _("not valid JSON: %(error)s") % {"error": error.msg})],
        )
    try:
        lines = item_lines(text)
    except (ValueError, IndexError):
        lines = {}
    return data, lines, []


def value_lines(text: str) -> dict[tuple[str | int, ...], int]:
    """The line where every value of a JSON document starts, by its path: ("deployments", 0,
    "components", 1, "quantity") -> 57. Python's JSON parser gives no positions, so the
    document is walked here, each scalar decoded in place."""
    decoder = json.JSONDecoder()
    line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
    lines: dict[tuple[str | int, ...], int] = {}

    def skip(position: int) -> int:
        return WHITESPACE.match(text, position).end()

    def walk(position: int, path: tuple[str | int, ...]) -> int:
        position = skip(position)
        lines[path] = bisect.bisect_right(line_starts, position)
        opener = text[position]
        if opener == "{":
            position = skip(position + 1)
            while text[position] != "}":
                key, position = decoder.raw_decode(text, position)
                position = skip(position)
                position = walk(position + 1, (*path, key))  # past the colon
                position = skip(position)
                if text[position] == ",":
                    position = skip(position + 1)
            return position + 1
        if opener == "[":
            position = skip(position + 1)
            index = 0
            while text[position] != "]":
                position = walk(position, (*path, index))
                position = skip(position)
                if text[position] == ",":
                    position = skip(position + 1)
                index += 1
            return position + 1
        _value, position = decoder.raw_decode(text, position)
        return position

    walk(0, ())
    return lines


class ValueLines(Mapping):
    """The line of each value of a JSON document by its path, as ``value_lines`` gives them,
    walking the document only when a path below an item of a top-level list is asked for
    (a problem's): the items' own lines (``item_lines``) serve every row of a valid file, and
    a large file is not walked value by value."""

    def __init__(self, text: str, items: dict[tuple[str, int], int]) -> None:
        self.text = text
        self.items = items
        self.all: dict[tuple[str | int, ...], int] | None = None

    def every(self) -> dict[tuple[str | int, ...], int]:
        if self.all is None:
            try:
                self.all = value_lines(self.text)
            except (ValueError, IndexError):
                self.all = {}
        return self.all

    def __getitem__(self, path: tuple[str | int, ...]) -> int:
        if len(path) == 2 and path in self.items:
            return self.items[path]  # type: ignore[index]
        return self.every()[path]

    def __contains__(self, path: object) -> bool:
        if isinstance(path, tuple) and len(path) == 2 and path in self.items:
            return True
        return path in self.every()

    def __iter__(self) -> Iterator[tuple[str | int, ...]]:
        return iter(self.every())

    def __len__(self) -> int:
        return len(self.every())


def item_lines(text: str) -> dict[tuple[str, int], int]:
    """Where each item of each list at the top of a JSON object starts, by (key, index).

    Python's JSON parser gives no positions, so the top level is walked by hand and each value
    decoded in place.
    """
    decoder = json.JSONDecoder()
    line_starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def line_of(position: int) -> int:
        return bisect.bisect_right(line_starts, position)

    def skip(position: int) -> int:
        return WHITESPACE.match(text, position).end()

    lines: dict[tuple[str, int], int] = {}
    position = skip(0)
    if text[position] != "{":
        return lines
    position = skip(position + 1)
    while text[position] != "}":
        key, position = decoder.raw_decode(text, position)
        position = skip(position)
        position = skip(position + 1)  # the colon
        if text[position] == "[":
            position = skip(position + 1)
            index = 0
            while text[position] != "]":
                lines[(key, index)] = line_of(position)
                _value, position = decoder.raw_decode(text, position)
                position = skip(position)
                if text[position] == ",":
                    position = skip(position + 1)
                index += 1
            position += 1
        else:
            _value, position = decoder.raw_decode(text, position)
        position = skip(position)
        if text[position] == ",":
            position = skip(position + 1)
    return lines
