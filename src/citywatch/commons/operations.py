"""Writes that can wait for review: each kind of write a contributor may propose.

A contributor's write, wherever it comes from (citing a passage, accepting a fact suggestion,
attaching a document to a source, an API call, an import), is stored as a
:class:`~citywatch.commons.models.ChangeProposal` naming an *operation* and its arguments
(``payload``, plain JSON). A reviewer of the owning team applies it: the operation runs then,
in the reviewer's name, in one transaction. Apps declare their operations with
:func:`register_operation`; the field edits of ``update_fields`` are built in
(:mod:`citywatch.commons.services`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class Operation:
    """A kind of write that can be proposed.

    ``apply(payload, reviewer)`` performs it and returns the record written (raises
    ``ValidationError`` when it no longer applies). ``describe(payload)`` gives the rows a
    reviewer reads: ``[(label, value), ...]``, plain text.
    """

    name: str
    label: Any
    apply: Callable[[dict[str, Any], Any], models.Model]
    describe: Callable[[dict[str, Any]], list[tuple[str, str]]]


_OPERATIONS: dict[str, Operation] = {}


def register_operation(operation: Operation) -> None:
    """Declare an operation (from an AppConfig.ready() or at import of the module using it)."""
    _OPERATIONS[operation.name] = operation


def get_operation(name: str) -> Operation:
    """The declared operation of this name.

    Raises:
        LookupError: when no operation of that name is registered.
    """
    try:
        return _OPERATIONS[name]
    except KeyError as missing:
        raise LookupError(f"Unknown operation {name}") from missing
