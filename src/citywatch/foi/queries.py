"""Reads of the FOI desk, shared by pages, the API, the command line and the atlas pages.

Visibility is decided by ``citywatch.teams.permissions``: the public sees public requests (past
any embargo), never a draft; the owning team sees its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pycountry
from django.db.models import Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from citywatch.actors.models import Organisation, OrganisationKind
from citywatch.atlas import queries as atlas_queries
from citywatch.atlas.models import Deployment
from citywatch.atlas.queries import today
from citywatch.foi import laws as catalogue
from citywatch.foi.deadlines import (
    AppealDeadline,
    DateOutOfRange,
    compute_appeal_deadlines,
    compute_due_date,
    describe,
    stage_lines,
    step_from_dict,
)
from citywatch.foi.law_texts import checked_text, figure_rows
from citywatch.foi.models import (
    CLOCK_RUNNING,
    OPEN_STATUSES,
    REFUSALS,
    Direction,
    FailingAddress,
    FoiEvent,
    FoiLaw,
    FoiMessage,
    FoiRequest,
    InboundMail,
    MailState,
    MessageKind,
    RefusalGround,
    RequestStatus,
    Resolution,
)
from citywatch.foi.seats import seat_from_input, seat_of
from citywatch.places.models import Country
from citywatch.teams import permissions

# --- which requests whom --------------------------------------------------------------------


def _with_parts(requests: QuerySet[FoiRequest]) -> QuerySet[FoiRequest]:
    return requests.select_related("requester", "authority", "authority__country", "law")


def public_requests() -> QuerySet[FoiRequest]:
    """Requests anyone may see: public, past any embargo, and sent (not drafts)."""
    return requests_visible_to(None)


def can_manage(user) -> bool:
    """Campaigners (members whose role files FOI requests for their team) use the desk."""
    return permissions.can_campaign(user)


def requests_visible_to(user) -> QuerySet[FoiRequest]:
    """The requests this user may see (see citywatch.teams.permissions)."""
    return _with_parts(FoiRequest.objects.filter(permissions.visible_q(user, FoiRequest)))


def requests_handled_by(user) -> QuerySet[FoiRequest]:
    """The requests this user may act on (send, record replies, appeal)."""
    return _with_parts(FoiRequest.objects.filter(permissions.editable_q(user, FoiRequest)))


def request_page(key: str, user) -> FoiRequest:
    """One request (by its public key) with what its page shows; raises DoesNotExist when
    not visible."""
    return (
        requests_visible_to(user)
        .prefetch_related(
            "questions",
            "clock_stops",
            Prefetch(
                "messages",
                queryset=FoiMessage.objects.select_related("source").prefetch_related(
                    "attachments__source"
                ),
            ),
            Prefetch("events", queryset=FoiEvent.objects.select_related("source")),
        )
        .get(key=key)
    )


def request_by_legacy_number(number: int, user) -> FoiRequest | None:
    """The request whose old address was ``/foi/<number>/`` (only requests that were public
    when public keys came, see migration foi 0006), if this user may see it; else None, the
    same for a number that never was one."""
    if not 0 < number < 2**62:
        return None
    return requests_visible_to(user).filter(legacy_number=number).first()


def in_event_order(entries: list, *, moment=lambda entry: None) -> list:
    """Entries (events or letters, each with ``on`` and ``pk``) in the order things happened,
    whatever the order they were recorded in: by date, then by ``moment`` (an exact time,
    when known), then as entered. An undated entry stays after the entry recorded just before
    it (its date is not known, its place among its neighbours is)."""
    anchor = dt.date.min
    keyed = []
    for entry in sorted(entries, key=lambda item: item.pk):
        anchor = entry.on or anchor
        exact = moment(entry)
        keyed.append((entry.on or anchor, exact is None, exact or dt.datetime.min, entry.pk, entry))
    return [item[-1] for item in sorted(keyed, key=lambda item: item[:-1])]


def timeline(request: FoiRequest) -> list[FoiEvent]:
    """The request's timeline in the order things happened (see ``in_event_order``)."""
    return in_event_order(list(request.events.all()))


def letters(request: FoiRequest) -> list[FoiMessage]:
    """The request's letters in the order they were sent or received."""
    return in_event_order(list(request.messages.all()), moment=lambda message: message.at)


def failing_address(request: FoiRequest) -> FailingAddress | None:
    """The bounce record of the authority's address, when letters to it fail."""
    address = (request.authority.email or "").strip().lower()
    if not address:
        return None
    return FailingAddress.objects.filter(address=address).first()


def new_replies_for(user, *, days: int = 30, limit: int = 20) -> QuerySet[FoiMessage]:
    """Letters received in the last ``days`` days for the requests of the teams in which the
    user handles FOI requests (for the account page), newest first."""
    teams = permissions.teams_with(user, permissions.Capability.CAMPAIGN)
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    return (
        FoiMessage.objects.filter(permissions.editable_q(user, FoiMessage))
        .filter(request__owner_team__in=teams, direction=Direction.IN, created_at__gte=since)
        .select_related("request", "request__authority")
        .order_by("-created_at", "-pk")[:limit]
    )


def unmatched_mail_for(user) -> QuerySet[InboundMail]:
    """The unmatched mail queue, for those who may read it (else nothing)."""
    if not permissions.can_triage_mail(user):
        return InboundMail.objects.none()
    return InboundMail.objects.filter(state=MailState.UNMATCHED).order_by("received_at", "pk")


def visible_deployments_for(user) -> QuerySet[Deployment]:
    """Deployments a campaigner may name in a request: those the user may see."""
    return atlas_queries.visible_deployments(user)


def visible_deployments(request: FoiRequest, user) -> QuerySet[Deployment]:
    deployments = request.deployments.all()
    return atlas_queries.visible_deployments(user).filter(pk__in=deployments.values("pk"))


def public_requests_for_deployment(deployment: Deployment) -> QuerySet[FoiRequest]:
    """The public requests about one deployment, for its page."""
    return public_requests().filter(deployments=deployment).distinct()


def public_requests_for_authority(authority: Organisation) -> QuerySet[FoiRequest]:
    return public_requests().filter(authority=authority)


# --- explanations ---------------------------------------------------------------------------


def explanation(steps: list[dict]) -> list[str]:
    """A stored explanation as sentences in the active language."""
    return [describe(step_from_dict(step)) for step in steps]


@dataclass(frozen=True)
class AppealInfo:
    stage: catalogue.AppealStage
    trigger: dt.date | None
    due: dt.date | None
    lines: list[str]


DECIDED = REFUSALS | {Resolution.SUCCESSFUL}


def appeal_overview(request: FoiRequest) -> list[AppealInfo]:
    """Each appeal stage open to the requester, dated where its starting day is known.

    Once the authority has decided (a refusal, a partial answer, "not held" or a full answer)
    the appeals against silence are no longer offered; the appeals against the decision are
    dated from the day it was received.
    """
    law = request.law.as_catalogue()
    decided = request.resolution in DECIDED
    triggers: dict[str, dt.date | None] = {
        catalogue.AppealTrigger.SILENCE: request.due_on
        if request.resolution in {"", Resolution.DEEMED_REFUSED, Resolution.DEEMED_GRANTED}
        and not _has_reply(request)
        else None,
        catalogue.AppealTrigger.DECISION: request.appeal_trigger_on
        if request.appeal_stage and request.resolution in REFUSALS
        else None,
    }
    overview = []
    for stage in law.appeals:
        if decided and stage.counted_from == catalogue.AppealTrigger.SILENCE:
            continue
        trigger = triggers.get(stage.counted_from)
        if trigger is None:
            overview.append(AppealInfo(stage, None, None, _undated_stage_lines(stage)))
            continue
        (deadline,) = [d for d in compute_appeal_deadlines(law, trigger) if d.stage.id == stage.id]
        overview.append(
            AppealInfo(stage, trigger, deadline.due, [describe(s) for s in deadline.steps])
        )
    return overview


def _has_reply(request: FoiRequest) -> bool:
    return any(
        m.direction == Direction.IN and m.kind == MessageKind.REPLY for m in request.messages.all()
    )


def _undated_stage_lines(stage: catalogue.AppealStage) -> list[str]:
    return [describe(step) for step in stage_lines(stage)]


# --- the deadline calculator (page, API and command agree) -------------------------------


class UnknownLaw(LookupError):
    pass


class BadDeadlineInput(ValueError):
    """An input of the calculator that cannot be used; ``field`` names it (``sent``,
    ``decision``, ``authority``, ``subdivision``) and ``message`` says what to fix in the
    active language. The page shows it as a form error, the API answers 422, the command
    exits with it."""

    def __init__(self, field: str, message: str) -> None:
        self.field, self.message = field, message
        super().__init__(message)


def law_by_id(law_id: str) -> FoiLaw:
    """The FOI law record with this catalogue id, its country joined.

    Raises:
        UnknownLaw: when no law has this id.
    """
    try:
        return FoiLaw.objects.select_related("country").get(law_id=law_id)
    except FoiLaw.DoesNotExist as missing:
        raise UnknownLaw(law_id) from missing


def authorities() -> QuerySet[Organisation]:
    """Authorities anyone may see, for the public calculator's choice of authority (one named
    only by hidden records is neither listed nor found by its slug)."""
    return (
        permissions.visible(None, Organisation)
        .filter(kind=OrganisationKind.AUTHORITY)
        .order_by("name")
    )


def resolve_seat(
    record: FoiLaw, *, authority: str = "", subdivision: str = "", municipality: str = ""
) -> catalogue.Seat | None:
    """The seat for a calculation: the authority's recorded seat, or the region and
    municipality typed in.

    Raises:
        BadDeadlineInput: when an authority and a seat are both given, no authority has the
            slug, or the region is not an ISO 3166-2 subdivision of the law's country.
    """
    subdivision, municipality = subdivision.strip().upper(), municipality.strip()
    if authority:
        if subdivision or municipality:
            raise BadDeadlineInput(
                "authority", gettext_now("Give the authority or its seat, not both.")
            )
        found = authorities().select_related("seat_municipality").filter(slug=authority).first()
        if found is None:
            raise BadDeadlineInput(
                "authority", gettext_now("No authority %(slug)r is recorded.") % {"slug": authority}
            )
        return seat_of(found)
    if subdivision:
        known = pycountry.subdivisions.get(code=subdivision)
        if known is None or known.country_code != record.country_id:
            raise BadDeadlineInput(
                "subdivision",
                gettext_now(
                    "%(code)s is not an ISO 3166-2 region of %(country)s (e.g. ES-MD, DE-BE)."
                )
                % {"code": subdivision, "country": record.country_id},
            )
    return seat_from_input(record.country_id, subdivision, municipality)


def _date_error(error: DateOutOfRange, field: str, given: dt.date) -> BadDeadlineInput:
    values = {"first": error.first, "last": error.last}
    if error.day == given:
        message = gettext_now(
            "Enter a date from %(first)s to %(last)s: the holiday data for this law covers "
            "those years only."
        )
    else:
        message = gettext_now(
            "The deadline would fall after %(last)s, beyond the years the holiday data covers "
            "for this law: enter an earlier date."
        )
    return BadDeadlineInput(field, message % values)


def _appeal_entry(deadline: AppealDeadline | None, stage: catalogue.AppealStage) -> dict:
    return {
        "stage": stage.id,
        "name": str(stage.name),
        "body": str(stage.body),
        "counted_from": str(stage.counted_from),
        "citation": stage.citation,
        "trigger": deadline.trigger.isoformat() if deadline else None,
        "due": deadline.due.isoformat() if deadline and deadline.due else None,
        "any_time": stage.any_time,
        "advisory": stage.advisory,
        "verified": stage.verified,
        "explanation": [describe(step) for step in deadline.steps]
        if deadline
        else _undated_stage_lines(stage),
    }


def _seat_entry(seat: catalogue.Seat | None) -> dict | None:
    if seat is None:
        return None
    return {
        "subdivision": seat.subdivision,
        "municipality": seat.municipality,
        "local_holiday_years": sorted(seat.local_years),
    }


def deadline_payload(
    law_id: str,
    sent: dt.date,
    *,
    extended: bool = False,
    decision: dt.date | None = None,
    authority: str = "",
    subdivision: str = "",
    municipality: str = "",
) -> dict:
    """Due date, explanation and appeal dates for a request received on ``sent``.

    The authority (its slug: its recorded seat) or a seat typed in (``subdivision``, an ISO
    3166-2 code; ``municipality``, a name) decides the regional and local holidays where the
    law counts them. Appeals against silence are counted from the due date; appeals against
    a decision from ``decision`` when given.

    Raises:
        UnknownLaw: no law has this id.
        BadDeadlineInput: an unknown authority, a region outside the law's country, a decision
            before ``sent``, or a date outside the years the holiday data covers.
    """
    record = law_by_id(law_id)
    law = record.as_catalogue()
    if decision is not None and decision < sent:
        raise BadDeadlineInput(
            "decision", gettext_now("The decision cannot come before the request.")
        )
    seat = resolve_seat(
        record, authority=authority, subdivision=subdivision, municipality=municipality
    )
    try:
        result = compute_due_date(law, sent, extended=extended, seat=seat)
    except DateOutOfRange as error:
        raise _date_error(error, "sent", sent) from error
    appeals = []
    for stage in law.appeals:
        trigger = None
        if stage.counted_from == catalogue.AppealTrigger.SILENCE:
            trigger = result.due
        elif stage.counted_from == catalogue.AppealTrigger.DECISION:
            trigger = decision
        deadline = None
        if trigger is not None:
            field = "decision" if trigger == decision else "sent"
            try:
                deadline = next(
                    d for d in compute_appeal_deadlines(law, trigger) if d.stage.id == stage.id
                )
            except DateOutOfRange as error:
                raise _date_error(error, field, trigger) from error
        appeals.append(_appeal_entry(deadline, stage))
    return {
        "law": {
            "id": record.law_id,
            "name": str(law.name),
            "short_name": str(law.short_name),
            "official_name": law.official_name,
            "citation": record.citation,
            "url": record.url,
            "jurisdiction": record.jurisdiction,
            "time_zone": law.time_zone,
            "has_law": record.has_law,
            "verified": record.verified,
        },
        "sent": sent.isoformat(),
        "extended": extended,
        "seat": _seat_entry(seat),
        "due": result.due.isoformat() if result.due else None,
        "binding": result.binding,
        "advisory_date": result.advisory_date.isoformat() if result.advisory_date else None,
        "silence": str(result.silence),
        "explanation": [describe(step) for step in result.steps],
        "appeals": appeals,
        "unverified": [str(note.text) for note in law.unverified_notes()],
    }


def laws() -> QuerySet[FoiLaw]:
    return FoiLaw.objects.select_related("country").order_by("law_id")


def law_page(record: FoiLaw) -> dict:
    """What a law's page shows: the record, its catalogue form, every figure with its basis
    (provision, sources, month last checked) and the appeal stages."""
    law = record.as_catalogue()
    figures, appeals = figure_rows(law)
    checked = max((figure.basis.checked for figure in law.figures()), default="")
    return {
        "record": record,
        "law": law,
        "figures": figures,
        "appeals": appeals,
        "last_checked": checked_text(checked) if checked else "",
        "unverified_count": len(law.unverified_notes()),
    }


# --- transparency figures -------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    count: int
    percent: int  # of all requests counted, for the bar


@dataclass(frozen=True)
class TransparencyFigures:
    requests: int
    answers: list[Figure] = field(default_factory=list)
    outcomes: list[Figure] = field(default_factory=list)
    grounds: list[Figure] = field(default_factory=list)  # why refusals refused

    def count(self, key: str) -> int:
        """How many requests had this answer or outcome.

        Raises:
            KeyError: when no answer or outcome figure has this key.
        """
        for figure in (*self.answers, *self.outcomes):
            if figure.key == key:
                return figure.count
        raise KeyError(key)

    @property
    def grounds_given(self) -> list[Figure]:
        """The grounds at least one refusal gave (for the chart)."""
        return [figure for figure in self.grounds if figure.count]

    def ground(self, key: str) -> int:
        """How many refusals (in whole or in part) gave this ground.

        Raises:
            KeyError: when no ground figure has this key.
        """
        for figure in self.grounds:
            if figure.key == key:
                return figure.count
        raise KeyError(key)

    def as_dict(self) -> dict[str, int]:
        return (
            {"requests": self.requests}
            | {figure.key: figure.count for figure in (*self.answers, *self.outcomes)}
            | {f"ground_{figure.key}": figure.count for figure in self.grounds}
        )


ANSWER_LABELS = {
    "answered_on_time": _("Answered on time"),
    "answered_late": _("Answered late"),
    "answered_timing_unknown": _("Answered (date not known)"),
    "ignored": _("Ignored (no answer; deemed refused)"),
    "waiting": _("Still waiting, not yet due"),
}
OUTCOME_LABELS = {
    "successful": _("Successful"),
    "partially_successful": _("Partially successful"),
    "refused": _("Refused"),
    "not_held": _("Information not held"),
}
SILENCE_RESOLUTIONS = {Resolution.DEEMED_REFUSED, Resolution.DEEMED_GRANTED}


def _classify(request: FoiRequest, on: dt.date) -> str:
    if request.has_reply:
        if request.first_reply_on is None or request.due_on is None:
            return "answered_timing_unknown"
        return "answered_on_time" if request.first_reply_on <= request.due_on else "answered_late"
    if request.resolution in SILENCE_RESOLUTIONS:
        return "ignored"
    if request.status in CLOCK_RUNNING and request.due_on is not None and request.due_on < on:
        return "ignored"
    if request.status in OPEN_STATUSES and request.resolution == "":
        return "waiting"
    return ""


def transparency_figures(
    *, authority: Organisation | None = None, country: Country | None = None
) -> TransparencyFigures:
    """How public requests fared: per authority, per country (the authority's), or overall.

    Answers are timed by the filed day of the first reply (the authority's local day of
    receipt) against the due date; refusals are counted by the ground they gave.
    """
    replies = FoiMessage.objects.filter(
        request=OuterRef("pk"), direction=Direction.IN, kind=MessageKind.REPLY
    )
    requests = public_requests()
    if authority is not None:
        requests = requests.filter(authority=authority)
    if country is not None:
        requests = requests.filter(authority__country=country)
    requests = requests.annotate(
        has_reply=Exists(replies),
        first_reply_on=Min(
            "messages__on",
            filter=Q(messages__direction=Direction.IN, messages__kind=MessageKind.REPLY),
        ),
    )
    on = today()
    answers = dict.fromkeys(ANSWER_LABELS, 0)
    outcomes = dict.fromkeys(OUTCOME_LABELS, 0)
    grounds = dict.fromkeys(RefusalGround.values, 0)
    refusals = 0
    total = 0
    for request in requests:
        total += 1
        kind = _classify(request, on)
        if kind:
            answers[kind] += 1
        if request.resolution in outcomes:
            outcomes[request.resolution] += 1
        if request.resolution in REFUSALS and request.refusal_ground in grounds:
            grounds[request.refusal_ground] += 1
            refusals += 1

    def figures(counts: dict[str, int], labels: dict, of: int) -> list[Figure]:
        return [
            Figure(key, str(labels[key]), count, round(100 * count / of) if of else 0)
            for key, count in counts.items()
        ]

    return TransparencyFigures(
        requests=total,
        answers=figures(answers, ANSWER_LABELS, total),
        outcomes=figures(outcomes, OUTCOME_LABELS, total),
        grounds=figures(grounds, dict(RefusalGround.choices), refusals),
    )


# --- calendar feeds -------------------------------------------------------------------------


def calendar_requests(organisation: Organisation) -> QuerySet[FoiRequest]:
    """An organisation's own requests with a due date or an appeal deadline (any visibility:
    the feed's address is secret and belongs to the organisation)."""
    return _with_parts(
        FoiRequest.objects.filter(requester=organisation).filter(
            Q(due_on__isnull=False) | Q(appeal_due_on__isnull=False)
        )
    ).exclude(status=RequestStatus.DRAFT)


# --- starting a request ---------------------------------------------------------------------


def suggest_law(country_code: str | None, subdivision: str = "") -> FoiLaw | None:
    """The regional law where there is one (ES-MD), else the national one."""
    if not country_code:
        return None
    if subdivision:
        regional = FoiLaw.objects.filter(country=country_code, subdivision=subdivision).first()
        if regional is not None:
            return regional
    return FoiLaw.objects.filter(country=country_code, subdivision="").first()


def deployment_authority(deployment: Deployment) -> Organisation | None:
    """The public authority that bought, runs or signed the deal."""
    for party in deployment.parties.select_related("organisation").order_by("pk"):
        if party.organisation.kind == "authority":
            return party.organisation
    return None


def deployment_vendor(deployment: Deployment) -> Organisation | None:
    for party in deployment.parties.select_related("organisation").order_by("pk"):
        if party.organisation.kind == "vendor":
            return party.organisation
    return None
