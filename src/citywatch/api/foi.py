"""The FOI part of the API: the deadline calculator, the laws and the public requests.

A django-ninja router; the project's API (``citywatch.api``) mounts it under ``/foi``:

- ``GET /api/foi/deadline?law=<law id>&sent=YYYY-MM-DD`` (optionally ``authority=<slug>`` or
  ``subdivision=ES-MD&municipality=Madrid``) returns exactly what the calculator page and
  ``citywatch deadline --json`` show, from the same function
  (``citywatch.foi.queries.deadline_payload``); a date it cannot use answers 422;
- ``GET /api/foi/laws`` and ``/api/foi/laws/{law_id}``: every law record, as data, each figure
  with its provision, sources and the month it was last checked;
- ``GET /api/foi/requests`` and ``/api/foi/requests/{request_key}``: only what
  ``citywatch.foi.queries.public_requests()`` returns (never private, partners-only, embargoed
  or draft requests), with only public deployments and public sources.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from citywatch.api import caching
from citywatch.api.paging import page_of
from citywatch.api.schemas import Error, OrganisationRef, Page
from citywatch.atlas.queries import public_deployments
from citywatch.core.public_keys import is_key
from citywatch.evidence.models import Source
from citywatch.exchange import meta
from citywatch.exchange.queries import fingerprint, public_querysets
from citywatch.foi.laws import law_to_dict
from citywatch.foi.models import (
    FoiEvent,
    FoiLaw,
    FoiMessage,
    FoiQuestion,
    FoiRequest,
    RequestStatus,
    Resolution,
)
from citywatch.foi.queries import (
    BadDeadlineInput,
    UnknownLaw,
    appeal_overview,
    deadline_payload,
    explanation,
    laws,
    public_requests,
    timeline,
)
from citywatch.teams import permissions

router = Router(tags=["FOI"])


class LawOut(Schema):
    id: str
    name: str = Field(description="In the language asked for (Accept-Language).")
    short_name: str
    official_name: str = Field(description="The title in the law's own language.")
    citation: str
    url: str
    jurisdiction: str
    time_zone: str = Field(description="IANA time zone the law's authorities keep their day in.")
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
    advisory: bool = Field(description="The time limit is a body's guidance, not law.")
    verified: bool
    explanation: list[str]


class DeadlineSeatOut(Schema):
    subdivision: str = Field(description="ISO 3166-2 region of the authority's seat.")
    municipality: str
    local_holiday_years: list[int] = Field(
        description="Years for which staff entered the municipality's local holidays."
    )


class DeadlineOut(Schema):
    law: LawOut
    sent: dt.date
    extended: bool
    seat: DeadlineSeatOut | None = Field(description="The authority's seat used, if any.")
    due: dt.date | None
    binding: bool
    advisory_date: dt.date | None
    silence: str
    explanation: list[str]
    appeals: list[AppealOut]
    unverified: list[str]


class ErrorOut(Schema):
    detail: str | list[str] | list[dict] = Field(description="What went wrong.")
    field: str = Field("", description="The input at fault, when one is.")
    known_laws: list[str] = []


@router.get(
    "/deadline",
    response={200: DeadlineOut, 404: ErrorOut, 422: ErrorOut},
    summary="When an authority must answer, and the requester's appeal deadlines",
)
def deadline(
    request: HttpRequest,
    law: str,
    sent: dt.date,
    extended: bool = False,
    decision: dt.date | None = None,
    authority: str = Query("", max_length=120, description="Authority slug: its seat counts."),
    subdivision: str = Query("", max_length=10, description="Seat region, ISO 3166-2 (ES-MD)."),
    municipality: str = Query("", max_length=200, description="Seat municipality, by name."),
):
    """Due date with a plain-language explanation (one sentence per step) and each appeal
    stage's last day. ``sent`` is the day the authority received the request. Appeals against
    silence are counted from the due date; appeals against a decision from ``decision``. The
    authority, or its seat, decides the regional and local holidays where the law counts them.
    A date the calculator cannot use (a decision before ``sent``, or a date outside the years
    the holiday data covers, such as 9999-12-31) answers 422, like a malformed date."""
    try:
        payload = deadline_payload(
            law,
            sent,
            extended=extended,
            decision=decision,
            authority=authority,
            subdivision=subdivision,
            municipality=municipality,
        )
    except BadDeadlineInput as error:
        return Status(422, {"detail": error.message, "field": error.field})
    except UnknownLaw:
        return Status(
            404,
            {
                "detail": f"unknown law {law!r}",
                "known_laws": list(laws().values_list("law_id", flat=True)),
            },
        )
    return Status(200, payload)


# --- caching: ETag and Last-Modified (citywatch.api.caching) ---------------------------------

# The stamp of each FOI record kind that changes whenever one is written.
FOI_STAMPS: dict[type, str] = {
    FoiLaw: "updated_at",
    FoiRequest: "updated_at",
    FoiQuestion: "pk",
    FoiMessage: "created_at",
    FoiEvent: "recorded_at",
}


def foi_state() -> tuple[str, dt.datetime | None]:
    """Version and latest change of what these endpoints publish: the public dataset, the
    laws, and the public requests with their questions, messages and events; never a private
    or embargoed request (so its edits change no header)."""
    requests = public_requests().values("pk")
    version, last = fingerprint(
        [
            *public_querysets(),
            FoiLaw.objects.all(),
            FoiRequest.objects.filter(pk__in=requests),
            FoiQuestion.objects.filter(request__in=requests),
            FoiMessage.objects.filter(request__in=requests),
            FoiEvent.objects.filter(request__in=requests),
        ],
        FOI_STAMPS,
    )
    return hashlib.sha256(version.encode()).hexdigest()[:32], last


cached_read = caching.cached_read(foi_state)


# --- laws --------------------------------------------------------------------------------


class PeriodOut(Schema):
    amount: int
    unit: str = Field(description="calendar_days, working_days, weeks or months.")


class LawSourceOut(Schema):
    url: str
    description: str
    checked: str = Field(description="When the figure was last checked against it (YYYY-MM).")


class LawBasisOut(Schema):
    provision: str = Field(description="The provision in the statute's own terms.")
    sources: list[LawSourceOut]
    verified: bool = Field(description="False: this figure could not be confirmed.")
    note: str = Field(description="What is known, and for an unconfirmed figure what is not.")


class ExtensionOut(Schema):
    amount: int
    unit: str = Field(description="calendar_days, working_days, weeks or months.")
    times: int = Field(description="How many times the authority may take it.")
    share: list[int] | None = Field(
        description="A share of the initial period instead of an amount: [1, 2] is half."
    )


class ClockStopOut(Schema):
    kind: str = Field(description="Why the clock stops: clarification, fees or third_party.")
    effect: str = Field(description="pause (resumes where it stopped) or restart (from zero).")
    citation: str
    basis: LawBasisOut


class AppealStageOut(Schema):
    id: str
    name: str
    body: str = Field(description="Who hears the appeal.")
    period: PeriodOut | None = Field(description="The requester's time limit; null: none.")
    counted_from: str = Field(
        description="decision_notified, deadline_expired, review_decision_notified, "
        "second_review_decision_notified or commissioner_decision_notified."
    )
    citation: str
    rollover: str | None = Field(description="Overrides the law's rollover rule when set.")
    any_time: bool = Field(description="Accepted at any time in practice, despite a period.")
    advisory: bool = Field(description="The time limit is a body's guidance, not law.")
    trigger_note: str = Field(description="When the period runs from a date you may not know.")
    verified: bool
    note: str
    basis: LawBasisOut


class HolidayCalendarOut(Schema):
    country: str = Field(description="Country code as the holidays package spells it.")
    subdivisions: list[str] = Field(description="A holiday in any of them is a non-working day.")
    language: str | None
    weekend: list[int] = Field(description="Weekday numbers; Monday is 0.")
    seat_subdivision: bool = Field(
        description="The holidays of the region where the authority sits count."
    )
    seat_municipality: bool = Field(
        description="The local holidays of the municipality where the authority sits count."
    )


class LawNoteOut(Schema):
    topic: str = Field(description="The figure: period, extension, appeal:<stage id>...")
    text: str
    verified: bool = Field(description="False: this figure could not be confirmed.")


class LawDetailOut(LawOut):
    country: str = Field(description="ISO 3166-1 alpha-2 code.")
    subdivision: str = Field(description="ISO 3166-2 code for a regional law, else empty.")
    period: PeriodOut | None = Field(description="Response period; null where there is no law.")
    period_basis: LawBasisOut
    start: str = Field(description="When the count begins (day_after_receipt...).")
    rollover: str = Field(description="What happens when the last day is not a working day.")
    rollover_basis: LawBasisOut
    extension: ExtensionOut | None
    extension_basis: LawBasisOut
    silence: str = Field(description="deemed_refused, deemed_granted or nothing.")
    silence_basis: LawBasisOut
    clock_stops: list[ClockStopOut]
    stops_basis: LawBasisOut
    appeals: list[AppealStageOut]
    holiday_calendar: HolidayCalendarOut
    calendar_basis: LawBasisOut
    notes: list[LawNoteOut]
    unverified: list[str] = Field(description="The notes of every unconfirmed figure.")
    advisory_follow_up_days: int | None = Field(
        description="Where there is no law: when to follow up, as advice."
    )
    last_checked: str = Field(description="When a figure was last checked (YYYY-MM).")
    last_changed: dt.datetime


class LawPage(Page):
    results: list[LawDetailOut]


def law_record(record: FoiLaw) -> dict[str, Any]:
    """One law record as the API shows it: the catalogue's own data form of the stored rules
    (``citywatch.foi.laws.law_to_dict``, texts in the active language), plus what the
    record adds."""
    law = record.as_catalogue()
    data = law_to_dict(law, translated=True)
    data["clock_stops"] = [
        stop | {"citation": stop["basis"]["provision"]} for stop in data.pop("stops")
    ]
    data["holiday_calendar"] = data.pop("calendar")
    data["appeals"] = [
        stage
        | {
            "citation": stage["basis"]["provision"],
            "verified": stage["basis"]["verified"],
            "note": stage["basis"]["note"],
        }
        for stage in data["appeals"]
    ]
    data.update(
        id=record.law_id,
        citation=record.citation,
        url=record.url,
        jurisdiction=record.jurisdiction,
        has_law=record.has_law,
        verified=record.verified,
        country=record.country_id,
        subdivision=record.subdivision,
        notes=[
            {"topic": note.topic, "text": str(note.text), "verified": note.verified}
            for note in law.notes
        ],
        unverified=[str(note.text) for note in law.unverified_notes()],
        last_checked=max((f.basis.checked for f in law.figures()), default=""),
        last_changed=record.updated_at,
    )
    return data


@router.get(
    "/laws",
    response={200: LawPage, 422: Error},
    summary="Every FOI law: periods, extension, silence, appeals, holidays, verification",
)
@cached_read
def list_laws(
    request: HttpRequest,
    country: str = Query("", max_length=2, description="ISO 3166-1 alpha-2 code."),
    page: int = Query(1, ge=1, le=100000),
    page_size: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    """A law with ``verified: false`` has figures that could not be confirmed against the
    legal text; ``unverified`` says which."""
    records = laws()
    if country:
        records = records.filter(country_id=country.upper())
    return page_of(request, records, page, page_size, lambda rows: [law_record(r) for r in rows])


@router.get(
    "/laws/{law_id}",
    response={200: LawDetailOut, 404: Error},
    summary="One FOI law",
)
@cached_read
def get_law(request: HttpRequest, law_id: str) -> dict[str, Any]:
    """One FOI law record (``law_record``'s shape).

    Raises:
        Http404: no law has this id.
    """
    record = laws().filter(law_id=law_id).first()
    if record is None:
        raise Http404("No such law")
    return law_record(record)


# --- requests ----------------------------------------------------------------------------


class LawRef(Schema):
    id: str = Field(description="Law id (see /api/foi/laws/{law_id}).")
    short_name: str
    jurisdiction: str


class AuthorityRef(OrganisationRef):
    country: str | None = Field(description="ISO 3166-1 alpha-2 code of the authority.")


class DeploymentRef(Schema):
    slug: str = Field(description="See /api/deployments/{slug}.")
    title: str
    url: str


class SourceRef(Schema):
    id: str = Field(description="The source's key (a UUID), as in /api/sources/{id}.")
    title: str
    page: str = Field(description="The source's public page.")


class QuestionOut(Schema):
    number: int
    text: str


class TimelineEventOut(Schema):
    date: dt.date | None = Field(description="Null when not known.")
    kind: str = Field(description="sent, reply_received, resolved, ... (append-only timeline).")
    note: str
    details: dict[str, str | None] = Field(
        description="What changed: from/to status, resolution, due_on, appeal_due_on, stage, "
        "channel, kind (of a clock stop)."
    )
    source: SourceRef | None
    quote: str


class RequestAppealOut(Schema):
    stage: str
    name: str
    body: str
    citation: str
    trigger: dt.date | None = Field(description="The day the appeal period runs from, if known.")
    due: dt.date | None = Field(description="The requester's last day, when it can be dated.")
    explanation: list[str]


class RequestSummaryOut(Schema):
    id: str = Field(
        description="The request's public key (10 letters), as in its page's address; "
        "never its database number."
    )
    title: str
    url: str = Field(description="The request's public page.")
    status: RequestStatus
    resolution: Resolution | None = Field(description="Null while the request is not resolved.")
    law: LawRef
    authority: AuthorityRef
    requester: OrganisationRef = Field(description="The organisation that asked.")
    language: str
    sent_on: dt.date | None = Field(description="Received by the authority; null when unknown.")
    due_on: dt.date | None
    appeal_stage: str
    appeal_due_on: dt.date | None
    open: bool = Field(description="Not finished (derived from the status).")
    overdue: bool = Field(description="Awaiting a response past the due date (derived).")
    very_overdue: bool = Field(description="Overdue by more than 30 days (derived).")
    appeal_window_closing: bool = Field(
        description="The last day to appeal is at most 7 days away (derived)."
    )
    deployments: list[DeploymentRef] = Field(description="Public deployments it is about.")
    questions: list[QuestionOut]
    last_changed: dt.datetime


class RequestDetailOut(RequestSummaryOut):
    date_note: str = Field(description="About the dates, e.g. why one is not known.")
    due_explanation: list[str] = Field(description="How the due date was computed.")
    appeals: list[RequestAppealOut]
    source: SourceRef | None = Field(description="Where the request is documented.")
    quote: str
    timeline: list[TimelineEventOut]


class RequestPage(Page):
    results: list[RequestSummaryOut]


# Timeline details safe to publish; others (e.g. the address a reminder was e-mailed to) stay.
PUBLIC_EVENT_DETAILS = ("from", "to", "resolution", "due_on", "appeal_due_on", "stage", "channel")


def _with_public_parts(requests: QuerySet[FoiRequest]) -> QuerySet[FoiRequest]:
    return requests.prefetch_related(
        "questions",
        Prefetch("deployments", queryset=public_deployments(), to_attr="public_deployments"),
    )


def _organisation_ref(organisation: Any) -> dict[str, str]:
    return {"slug": organisation.slug, "name": organisation.name, "kind": organisation.kind}


def request_summary(foi: FoiRequest) -> dict[str, Any]:
    return {
        "id": foi.key,
        "title": foi.title,
        "url": meta.site_url(foi.get_absolute_url()),
        "status": foi.status,
        "resolution": foi.resolution or None,
        "law": {
            "id": foi.law.law_id,
            "short_name": foi.law.short_name,
            "jurisdiction": foi.law.jurisdiction,
        },
        "authority": _organisation_ref(foi.authority) | {"country": foi.authority.country_id},
        "requester": _organisation_ref(foi.requester),
        "language": foi.language,
        "sent_on": foi.sent_on,
        "due_on": foi.due_on,
        "appeal_stage": foi.appeal_stage,
        "appeal_due_on": foi.appeal_due_on,
        "open": foi.is_open(),
        "overdue": foi.overdue,
        "very_overdue": foi.very_overdue,
        "appeal_window_closing": foi.appeal_window_closing,
        "deployments": [
            {
                "slug": deployment.slug,
                "title": deployment.title,
                "url": meta.site_url(deployment.get_absolute_url()),
            }
            for deployment in foi.public_deployments
        ],
        "questions": [{"number": q.number, "text": q.text} for q in foi.questions.all()],
        "last_changed": foi.updated_at,
    }


def _source_ref(source: Any, public_ids: set[int]) -> dict[str, Any] | None:
    if source is None or source.pk not in public_ids:
        return None
    return {
        "id": str(source.key),
        "title": source.title,
        "page": meta.site_url(source.get_absolute_url()),
    }


def request_detail(foi: FoiRequest) -> dict[str, Any]:
    events = timeline(foi)  # in the order things happened
    cited = {foi.source_id, *(event.source_id for event in events)} - {None}
    # A quote is shown with its source only when that source is public.
    public_ids = set(
        permissions.visible(None, Source).filter(pk__in=cited).values_list("pk", flat=True)
    )
    source = _source_ref(foi.source, public_ids)
    data = request_summary(foi)
    data.update(
        date_note=foi.date_note,
        due_explanation=explanation(foi.due_steps),
        appeals=[
            {
                "stage": appeal.stage.id,
                "name": str(appeal.stage.name),
                "body": str(appeal.stage.body),
                "citation": appeal.stage.citation,
                "trigger": appeal.trigger,
                "due": appeal.due,
                "explanation": appeal.lines,
            }
            for appeal in appeal_overview(foi)
        ],
        source=source,
        quote=foi.quote if source or foi.source_id is None else "",
        timeline=[],
    )
    for event in events:
        event_source = _source_ref(event.source, public_ids)
        details = event.data if isinstance(event.data, dict) else {}
        data["timeline"].append(
            {
                "date": event.on,
                "kind": event.kind,
                "note": event.note,
                "details": {
                    key: None if details[key] is None else str(details[key])
                    for key in PUBLIC_EVENT_DETAILS
                    if key in details
                },
                "source": event_source,
                "quote": event.quote if event_source or event.source_id is None else "",
            }
        )
    return data


@router.get(
    "/requests",
    response={200: RequestPage, 422: Error},
    summary="Public FOI requests",
)
@cached_read
def list_requests(
    request: HttpRequest,
    authority: str = Query("", max_length=120, description="Authority slug."),
    country: str = Query("", max_length=2, description="ISO code of the authority's country."),
    status: RequestStatus | None = Query(None, description="Drafts are never public."),  # noqa: B008 (django-ninja's way)
    resolution: Resolution | None = Query(None),  # noqa: B008 (django-ninja's way)
    page: int = Query(1, ge=1, le=100000),
    page_size: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    """Only public requests: never private, partners-only, embargoed or draft ones. Newest
    first."""
    requests = public_requests()
    if authority:
        requests = requests.filter(authority__slug=authority)
    if country:
        requests = requests.filter(authority__country_id=country.upper())
    if status:
        requests = requests.filter(status=status)
    if resolution:
        requests = requests.filter(resolution=resolution)
    requests = _with_public_parts(requests.order_by("-created_at", "-pk"))
    return page_of(
        request, requests, page, page_size, lambda rows: [request_summary(r) for r in rows]
    )


@router.get(
    "/requests/{request_key}",
    response={200: RequestDetailOut, 404: Error},
    summary="One public FOI request with its questions, appeals and timeline",
)
@cached_read
def get_request(request: HttpRequest, request_key: str) -> dict[str, Any]:
    """One public FOI request (``request_detail``'s shape), by its public key.

    Raises:
        Http404: no public request has this key (private, embargoed and draft requests
            answer the same as missing ones, and so does a database number).
    """
    if not is_key(request_key):
        raise Http404("No such request")
    foi = (
        _with_public_parts(public_requests())
        .prefetch_related(
            "messages",  # appeal_overview() asks whether a reply came
            Prefetch("events", queryset=FoiEvent.objects.select_related("source").order_by("pk")),
        )
        .filter(key=request_key)
        .first()
    )
    if foi is None:
        raise Http404("No such request")
    return request_detail(foi)
