"""The FOI part of the API: ``GET /api/foi/deadline?law=<law id>&sent=YYYY-MM-DD``.

A django-ninja router; the project's API (``citywatch.api``) mounts it under ``/foi``. It
returns exactly what the calculator page and ``citywatch deadline --json`` show, from the same
function (``citywatch.foi.queries.deadline_payload``).
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status

from citywatch.foi.queries import UnknownLaw, deadline_payload, laws

router = Router(tags=["FOI"])


class LawOut(Schema):
    id: str
    name: str
    short_name: str
    citation: str
    url: str
    jurisdiction: str
    has_law: bool
    verified: bool


class AppealOut(Schema):
    stage: str
    name: str
    body: str
    counted_from: str
    citation: str
    trigger: dt.date | None
    due: dt.date | None
    any_time: bool
    verified: bool
    explanation: list[str]


class DeadlineOut(Schema):
    law: LawOut
    sent: dt.date
    extended: bool
    due: dt.date | None
    binding: bool
    advisory_date: dt.date | None
    silence: str
    explanation: list[str]
    appeals: list[AppealOut]
    unverified: list[str]


class ErrorOut(Schema):
    detail: str
    known_laws: list[str] = []


@router.get(
    "/deadline",
    response={200: DeadlineOut, 400: ErrorOut, 404: ErrorOut},
    summary="When an authority must answer, and the requester's appeal deadlines",
)
def deadline(
    request: HttpRequest,
    law: str,
    sent: dt.date,
    extended: bool = False,
    decision: dt.date | None = None,
):
    """Due date with a plain-language explanation (one sentence per step) and each appeal
    stage's last day. ``sent`` is the day the authority received the request. Appeals against
    silence are counted from the due date; appeals against a decision from ``decision``."""
    if decision is not None and decision < sent:
        return Status(400, {"detail": "decision cannot come before sent"})
    try:
        return Status(200, deadline_payload(law, sent, extended=extended, decision=decision))
    except UnknownLaw:
        return Status(
            404,
            {
                "detail": f"unknown law {law!r}",
                "known_laws": list(laws().values_list("law_id", flat=True)),
            },
        )
