"""The documentation stays true: every `citywatch <command>` it names exists, every address it
names resolves, every JSON example parses, and every API example answer has only keys the
API really returns (in the spirit of Datasette's documentation tests)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import get_commands
from django.urls import Resolver404, resolve

from citywatch.cli import HELP_FLAGS, module_name

DOCS = sorted((Path(__file__).resolve().parent.parent / "docs").glob("*.md"))
CODE_SPAN = re.compile(r"`([^`\n]+)`")
SHELL_LINE = re.compile(r"^\s+\$ (?:[A-Z_]+=\S+ )*(citywatch [^\n]*)$", re.MULTILINE)
COMMAND = re.compile(r"^citywatch ([a-z][a-z_-]*)")
PLACEHOLDER = re.compile(r"<[^>/]+>|\{[^}/]+\}")
# Values tried for a placeholder in a documented address (<slug>, {id}, <uuid:key>, <iso2>).
# A number, a country code, a slug, a UUID (a source) and a public key (a request, a proposal).
SAMPLES = ("1", "rs", "belgrade-safe-city", "5b7e6f0c-1d2e-4f3a-9b8c-7d6e5f4a3b2c", "k3vq7mzr2a")
LOCAL = "http://127.0.0.1:8000"
# Paths in docs that are not CityWatch addresses: files, and Datasette's in the benchmark.
NOT_ADDRESSES = ("/srv/", "/etc/", "/var/", "/tmp/", "/usr/", "/home/", "/dev/", "/citywatch/")  # noqa: S108
ELISION = re.compile(r",\s*\.\.\.|\.\.\.")


def doc_texts() -> list[tuple[str, str]]:
    return [(path.name, path.read_text()) for path in DOCS]


def documented_commands() -> set[tuple[str, str]]:
    """(file, command) for every `citywatch <command>` in a code span or a shell line."""
    found = set()
    for name, text in doc_texts():
        spans = [span for span in CODE_SPAN.findall(text) if span.startswith("citywatch ")]
        for line in [*spans, *SHELL_LINE.findall(text)]:
            match = COMMAND.match(line)
            if match:
                found.add((name, match.group(1)))
    return found


def documented_paths() -> set[tuple[str, str]]:
    """(file, path) for every site address in a code span (`/foi/<id>/`, `GET /api/search`)
    and every local address in a shell line (http://127.0.0.1:8000/...)."""
    found = set()
    for name, text in doc_texts():
        for span in CODE_SPAN.findall(text):
            span = re.sub(r"^(GET|POST|PATCH|PUT|DELETE) ", "", span.strip())
            if span.startswith("/") and " " not in span and not span.startswith("//"):
                found.add((name, span))
        for address in re.findall(re.escape(LOCAL) + r"(/(?:<[^>\n]*>|[^\s'\"|`)<])*)", text):
            found.add((name, address.rstrip(".,;:")))
    return found


def resolves(path: str) -> bool:
    """Whether the site answers this documented path, its placeholders filled with samples."""
    path = urlsplit(path).path
    if "*" in path or path.startswith(NOT_ADDRESSES):
        return True  # a file path, a pattern or another server's address
    candidates = [path]
    if PLACEHOLDER.search(path):
        candidates = [PLACEHOLDER.sub(sample, path) for sample in SAMPLES]
    for candidate in candidates:
        try:
            resolve(candidate)
        except Resolver404:
            continue
        return True
    return False


def top_level_keys(text: str) -> list[str]:
    """The keys of the outermost object in a JSON example that may elide parts with "...":
    a string at depth 1 followed by a colon."""
    keys, depth, index = [], 0, 0
    while index < len(text):
        char = text[index]
        if char == '"':
            end = index + 1
            while text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            if depth == 1 and text[end + 1 :].lstrip().startswith(":"):
                keys.append(json.loads(text[index : end + 1]))
            index = end + 1
            continue
        if char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
        index += 1
    return keys


def with_demo_key(path: str) -> str:
    """An example's ``$key`` (a shell variable the example set from a list: records' keys are
    random) filled with the key of the demo record the example shows."""
    from citywatch.foi.models import FoiRequest

    if path.startswith("/api/foi/requests/$key"):
        key = FoiRequest.objects.get(resolution="deemed_refused").key
        return path.replace("$key", key)
    return path


def api_examples() -> list[tuple[str, str, list[str]]]:
    """(file, path, keys) for each indented example that GETs a public API address and shows
    its answer (the lines after the last `$ curl` line, starting with "{")."""
    examples = []
    for name, text in doc_texts():
        for block in re.findall(r"(?:^ {4}.*\n?)+", text, re.MULTILINE):
            lines = [line[4:] for line in block.splitlines()]
            starts = [i for i, line in enumerate(lines) if line.startswith("$ ")]
            if not starts:
                continue
            command, output = lines[starts[-1]], "\n".join(lines[starts[-1] + 1 :]).strip()
            if not output.startswith("{") or " -X " in command or "Authorization" in command:
                continue
            address = re.search(re.escape(LOCAL) + r"(/api/[^\s'\"]*)", command)
            if address and "grep" not in command:
                examples.append((name, address.group(1), top_level_keys(output)))
    return examples


@pytest.mark.parametrize(("doc", "command"), sorted(documented_commands()))
def test_every_documented_command_exists(doc, command):
    assert command in HELP_FLAGS or module_name(command) in get_commands(), (
        f"{doc} names `citywatch {command}`, which the CLI does not have"
    )


@pytest.mark.parametrize(("doc", "path"), sorted(documented_paths()))
def test_every_documented_address_resolves(doc, path):
    assert resolves(path), f"{doc} names {path}, which no URL pattern serves"


def test_the_checks_would_catch_a_stale_doc():
    assert not resolves("/deployments/<slug>/history-of-nothing/")
    assert "no-such-command" not in get_commands()
    assert top_level_keys('{"count": 1, "results": [{"id": 2, ...}], "next": null, ...}') == [
        "count",
        "results",
        "next",
    ]


def test_there_are_examples_to_check():
    assert len(documented_commands()) > 15
    assert len(documented_paths()) > 20
    assert {path for _doc, path, _keys in api_examples()} >= {
        "/api/deployments?country=RS",
        "/api/search?q=eLTE&kind=deployment&country=ES",
    }


@pytest.mark.parametrize(
    "doc",
    [path.name for path in DOCS if "```json" in path.read_text()],
)
def test_json_examples_parse(doc):
    text = (Path(__file__).resolve().parent.parent / "docs" / doc).read_text()
    for example in re.findall(r"```json\n(.*?)```", text, re.DOTALL):
        json.loads(ELISION.sub("", example))  # "..." marks a part left out


@pytest.mark.django_db
@pytest.mark.parametrize(("doc", "path", "keys"), api_examples())
def test_api_examples_show_keys_the_api_returns(client, demo, doc, path, keys):
    path = with_demo_key(path)
    response = client.get(path)
    # An example may show a refusal (422 for a date the calculator cannot use): same keys rule.
    assert response.status_code < 500, f"{doc}: GET {path} answers {response.status_code}"
    answer = response.json()
    assert keys, f"{doc}: no keys read from the example for {path}"
    assert set(keys) <= set(answer), f"{doc}: {path} shows keys the API does not return"
