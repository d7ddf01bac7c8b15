"""The JSON Schema of `citywatch.json` (``exchange/schemas/citywatch.schema.json``): every
import of a dataset is checked against it before anything else, offline, and each problem is
told with its JSON path and line in words that say what to change."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from citywatch.exchange.imports.report import Problem

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schemas" / "citywatch.schema.json"
TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
    "array": "a list",
    "object": "an object",
}


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@cache
def validator() -> Draft202012Validator:
    Draft202012Validator.check_schema(schema())
    return Draft202012Validator(schema())


@cache
def fast_validator() -> Any:
    """The same schema compiled by ``jsonschema_rs`` (a Rust implementation of JSON Schema
    2020-12): it tells whether a document is valid some fifty times faster, so a large valid
    file is not walked by the Python validator; the problems of an invalid one are still told
    by ``validator()``, in its words."""
    return jsonschema_rs.Draft202012Validator(schema())


def path_text(path: Any) -> str:
    """("deployments", 0, "quantity") -> "deployments[0].quantity"."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def hint(error: ValidationError) -> str:
    """The schema's own advice for the value, where it gives one (``x-hint``)."""
    found = error.schema.get("x-hint", "") if isinstance(error.schema, dict) else ""
    if not found and error.context:
        for sub in error.context:
            if isinstance(sub.schema, dict) and sub.schema.get("x-hint"):
                return sub.schema["x-hint"]
    if not found:
        ref = error.schema.get("$ref", "") if isinstance(error.schema, dict) else ""
        if ref:
            found = schema()["$defs"].get(ref.rsplit("/", 1)[-1], {}).get("x-hint", "")
    return found


def allowed_types(error: ValidationError) -> list[str]:
    if error.validator == "type":
        types = error.validator_value
        return [types] if isinstance(types, str) else list(types)
    kinds: list[str] = []
    for sub in error.context or []:
        if sub.validator == "type":
            value = sub.validator_value
            kinds += [value] if isinstance(value, str) else list(value)
    return kinds


def message(error: ValidationError) -> str:
    """What to change, in words: never the validator's internals."""
    if error.validator == "anyOf":
        # Of "a decimal or null", say what is wrong with the branch of the value's own type.
        closer = [sub for sub in error.context or [] if sub.validator != "type"]
        if closer:
            return message(closer[0])
    value = error.instance
    field = next((p for p in reversed(error.absolute_path) if isinstance(p, str)), "")
    given = json.dumps(value, ensure_ascii=False)
    if len(given) > 60:
        given = given[:57] + "…"
    advice = hint(error)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return _("%(field)s is missing: add it") % {"field": missing}
    if error.validator == "additionalProperties":
        extra = sorted(set(value) - set(error.schema.get("properties", {})))
        return _(
            "unknown field %(fields)s: remove it or check its spelling (allowed: %(allowed)s)"
        ) % {
            "fields": ", ".join(extra),
            "allowed": ", ".join(error.schema.get("properties", {})),
        }
    if error.validator in ("enum", "const"):
        allowed = error.validator_value if error.validator == "enum" else [error.validator_value]
        if len(allowed) > 20 and advice:
            return _("%(field)s %(value)s is not allowed: %(hint)s") % {
                "field": field or _("the value"),
                "value": given,
                "hint": advice,
            }
        return _("%(field)s %(value)s is not allowed: use one of %(allowed)s") % {
            "field": field or _("the value"),
            "value": given,
            "allowed": ", ".join(str(a) for a in allowed),
        }
    if error.validator in ("type", "anyOf"):
        kinds = allowed_types(error)
        text = _("%(field)s must be %(types)s, not %(value)s") % {
            "field": field or _("the value"),
            "types": _(" or ").join(TYPE_NAMES.get(k, k) for k in dict.fromkeys(kinds))
            or _("an id or null"),
            "value": given,
        }
        return f"{text}: {advice}" if advice else text
    if error.validator in ("pattern", "minLength", "maxLength"):
        if error.validator == "minLength":
            return _("%(field)s is empty: fill it in") % {"field": field}
        text = _("%(field)s %(value)s is not in the right form") % {"field": field, "value": given}
        return f"{text}: {advice}" if advice else text
    if error.validator in ("minimum", "maximum"):
        return _("%(field)s %(value)s is out of range (%(rule)s %(limit)s)") % {
            "field": field,
            "value": given,
            "rule": _("at least") if error.validator == "minimum" else _("at most"),
            "limit": error.validator_value,
        }
    return _("%(field)s %(value)s is not valid here") % {"field": field, "value": given}


def check(data: Any, lines: dict[tuple[str | int, ...], int]) -> list[Problem]:
    """Every way the document breaks the schema, in document order, with path and line."""
    if fast_validator().is_valid(data):
        return []
    problems = []
    for error in validator().iter_errors(data):
        path = tuple(error.absolute_path)
        line = None
        for end in range(len(path), -1, -1):
            if path[:end] in lines:
                line = lines[path[:end]]
                break
        problems.append(Problem(line, message(error), path_text(path)))
    return sorted(problems, key=lambda p: (p.line or 0, p.record))
