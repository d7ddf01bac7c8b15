"""Writes of the FOI desk: one function per use case, each in one transaction.

Every change to a request adds an entry to its append-only timeline (``FoiEvent``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import IO

import holidays
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.db import connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from citywatch.actors.models import Organisation
from citywatch.atlas.models import Deployment
from citywatch.core.choices import Visibility
from citywatch.evidence import cleaning, documents
from citywatch.evidence.models import Source, SourceKind
from citywatch.foi import law_catalogue as catalogue
from citywatch.foi import naming
from citywatch.foi.deadlines import (
    AppealDeadline,
    ClockStop,
    DeadlineResult,
    compute_appeal_deadlines,
    compute_due_date,
    step_to_dict,
)
from citywatch.foi.letters import Letter, LetterContext, redate, render_letter, stage_names
from citywatch.foi.mail.addresses import reply_address
from citywatch.foi.mail.outgoing import letter_email, new_message_id, thread_of
from citywatch.foi.models import (
    CLOCK_RUNNING,
    OPEN_STATUSES,
    REFUSALS,
    CalendarFeed,
    Channel,
    Direction,
    FoiAttachment,
    FoiClockStop,
    FoiEvent,
    FoiLaw,
    FoiMessage,
    FoiQuestion,
    FoiRequest,
    MessageKind,
    RefusalGround,
    RequestStatus,
    Resolution,
    TimelineKind,
)
from citywatch.foi.seats import authority_local_date, seat_of
from citywatch.places.models import Country
from citywatch.teams import permissions
from citywatch.teams.models import Team

logger = logging.getLogger(__name__)

DECISIONS = {
    Resolution.SUCCESSFUL,
    Resolution.PARTIALLY_SUCCESSFUL,
    Resolution.REFUSED,
    Resolution.NOT_HELD,
}


class SendError(Exception):
    """A letter could not be sent; nothing was recorded."""


class PublishError(Exception):
    """A document could not be published; it stays private. The message says why."""


def today() -> dt.date:
    return timezone.localdate()


def local_today(request: FoiRequest, now: dt.datetime | None = None) -> dt.date:
    """Today in the authority's time zone (the day a letter e-mailed now is received)."""
    return authority_local_date(now or timezone.now(), request.authority, request.law)


# --- laws -------------------------------------------------------------------------------


def calendar_version() -> str:
    """The holiday data in use: a new version may move due dates."""
    return f"holidays {holidays.__version__}"


def law_fingerprint(rules: dict) -> str:
    text = json.dumps(rules, sort_keys=True, ensure_ascii=False) + calendar_version()
    return hashlib.sha256(text.encode()).hexdigest()


def _law_values(law: catalogue.FoiLaw) -> dict:
    rules = catalogue.law_to_dict(law)
    return {
        "country_id": law.country,
        "subdivision": law.subdivision or "",
        "name": rules["name"],  # the source text: pages translate it
        "short_name": rules["short_name"],
        "citation": law.citation,
        "url": law.url,
        "has_law": law.has_law,
        "verified": law.verified,
        "rules": rules,
        "fingerprint": law_fingerprint(rules),
    }


def sync_laws(using: str = "default") -> Counter[str]:
    """Make the FOI law table match the catalogue; recompute requests whose law changed.

    Idempotent: a second run changes nothing. Laws added by hand (not in the catalogue) are
    left alone.
    """
    counts: Counter[str] = Counter()
    if FoiLaw._meta.db_table not in connections[using].introspection.table_names():
        return counts
    with transaction.atomic(using=using):
        for law in catalogue.all_laws():
            if not Country.objects.using(using).filter(code=law.country).exists():
                continue
            values = _law_values(law)
            record = FoiLaw.objects.using(using).filter(law_id=law.id).first()
            if record is None:
                FoiLaw.objects.using(using).create(law_id=law.id, **values)
                counts["foilaw_created"] += 1
            elif any(getattr(record, key) != value for key, value in values.items()):
                for key, value in values.items():
                    setattr(record, key, value)
                record.save(using=using)
                counts["foilaw_updated"] += 1
        changed = recompute_open_requests(using=using)
        if changed:
            counts["foirequest_recomputed"] += changed
    return counts


@transaction.atomic
def update_law(law: FoiLaw, rules: dict) -> int:
    """Change a law's rules (e.g. a corrected period); recompute its open requests.

    Returns how many requests got a new due date.
    """
    parsed = catalogue.law_from_dict(rules)
    law.rules = catalogue.law_to_dict(parsed)
    law.has_law = parsed.has_law
    law.verified = parsed.verified
    law.fingerprint = law_fingerprint(law.rules)
    law.save()
    return recompute_open_requests(laws=[law])


# --- due dates --------------------------------------------------------------------------


def deadline_for(request: FoiRequest) -> DeadlineResult | None:
    """The engine's answer for this request as it stands, or None before it is sent."""
    if request.sent_on is None:
        return None
    stops = [
        ClockStop(catalogue.StopKind(stop.kind), stop.started_on, stop.ended_on)
        for stop in request.clock_stops.all()
    ]
    return compute_due_date(
        request.law.as_catalogue(),
        request.sent_on,
        stops=stops,
        extended=request.extended,
        seat=seat_of(request.authority),
    )


def _apply_deadline(request: FoiRequest) -> bool:
    """Store the due date and its explanation; True when the date changed."""
    result = deadline_for(request)
    old = request.due_on
    if result is None:
        request.due_on, request.due_steps = None, []
    else:
        request.due_on = result.due if result.binding else result.advisory_date
        request.due_steps = [step_to_dict(step) for step in result.steps]
    request.due_fingerprint = request.law.fingerprint
    return old != request.due_on


def recompute_due_date(request: FoiRequest, *, user=None, note: str = "") -> bool:
    """Recompute and store the due date; a changed date is recorded on the timeline."""
    old = request.due_on
    changed = _apply_deadline(request)
    request.save(update_fields=["due_on", "due_steps", "due_fingerprint", "updated_at"])
    if changed and old is not None:
        add_event(
            request,
            TimelineKind.DUE_DATE_CHANGED,
            on=today(),
            note=note,
            data={
                "from": old.isoformat(),
                "to": request.due_on.isoformat() if request.due_on else None,
            },
            user=user,
        )
    return changed


def recompute_open_requests(
    laws: Iterable[FoiLaw] | None = None, *, force: bool = False, using: str = "default"
) -> int:
    """Recompute open requests computed with an older version of their law or calendar.

    ``force`` recomputes every open request. Returns how many due dates changed.
    """
    requests = FoiRequest.objects.using(using).filter(
        status__in=OPEN_STATUSES, sent_on__isnull=False
    )
    if laws is not None:
        requests = requests.filter(law__in=list(laws))
    if not force:
        requests = requests.exclude(due_fingerprint=F("law__fingerprint"))
    changed = 0
    for request in requests.select_related("law"):
        if recompute_due_date(request, note="The law or its holiday calendar changed."):
            changed += 1
    return changed


def appeal_deadlines_for(
    request: FoiRequest, event: catalogue.AppealTrigger, trigger: dt.date
) -> list[AppealDeadline]:
    return compute_appeal_deadlines(request.law.as_catalogue(), trigger, event=event)


def _open_appeal_window(
    request: FoiRequest, event: catalogue.AppealTrigger, trigger: dt.date
) -> None:
    """Store the first appeal stage that runs from ``event`` and its last day."""
    deadlines = appeal_deadlines_for(request, event, trigger)
    if not deadlines:
        return
    first = deadlines[0]
    request.appeal_stage = first.stage.id
    request.appeal_trigger_on = trigger
    request.appeal_due_on = first.due


# --- timeline ---------------------------------------------------------------------------


def add_event(
    request: FoiRequest,
    kind: str,
    *,
    on: dt.date | None = None,
    note: str = "",
    data: dict | None = None,
    user=None,
    source: Source | None = None,
    quote: str = "",
) -> FoiEvent:
    return FoiEvent.objects.create(
        request=request,
        kind=kind,
        on=on,
        note=note,
        data=data or {},
        recorded_by=user if getattr(user, "is_authenticated", False) else None,
        source=source,
        quote=quote,
    )


# --- letters ----------------------------------------------------------------------------


def letter_context(request: FoiRequest, stage: catalogue.AppealStage | None = None):
    return LetterContext(
        language=request.language,
        title=request.title,
        authority=request.authority.name,
        requester=request.requester.name,
        requester_email=reply_address(request),
        law=request.law.as_catalogue(),
        questions=[(q.number, q.text) for q in request.questions.all()],
        sent_on=request.sent_on,
        due_on=request.due_on,
        stage=stage,
        deployments=tuple(d.title for d in request.deployments.all()),
    )


def draft_letter(request: FoiRequest) -> Letter:
    return render_letter("request", letter_context(request))


def draft_follow_up(request: FoiRequest) -> Letter:
    return render_letter("follow_up", letter_context(request))


def appeal_stage(request: FoiRequest, stage_id: str) -> catalogue.AppealStage:
    """The catalogue's appeal stage with this id, from the request's law.

    Raises:
        KeyError: when the law has no stage with this id.
    """
    for stage in request.law.as_catalogue().appeals:
        if stage.id == stage_id:
            return stage
    raise KeyError(stage_id)


def draft_appeal(request: FoiRequest, stage_id: str) -> Letter:
    return render_letter("appeal", letter_context(request, appeal_stage(request, stage_id)))


# --- requests ---------------------------------------------------------------------------


@transaction.atomic
def create_request(
    *,
    requester: Organisation,
    authority: Organisation,
    law: FoiLaw,
    title: str,
    questions: Sequence[str],
    language: str,
    deployments: Iterable[Deployment] = (),
    visibility: str = Visibility.PRIVATE,
    embargo_until: dt.date | None = None,
    owner_team: Team | None = None,
    user=None,
) -> FoiRequest:
    """A draft request with numbered questions and its letter drafted from the template.

    ``owner_team`` is the team whose campaigners handle the request and who see it while it
    is private or a draft.
    """
    request = FoiRequest(
        owner_team=owner_team,
        requester=requester,
        authority=authority,
        law=law,
        title=title,
        language=language,
        visibility=visibility,
        embargo_until=embargo_until,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    request.full_clean()
    request.save()
    request.deployments.set(list(deployments))
    for number, text in enumerate((q.strip() for q in questions if q.strip()), start=1):
        FoiQuestion.objects.create(request=request, number=number, text=text)
    letter = draft_letter(request)
    request.letter_subject, request.letter_body = letter.subject, letter.body
    request.save(update_fields=["letter_subject", "letter_body"])
    add_event(request, TimelineKind.CREATED, on=today(), user=user)
    return request


def _deliver(email: EmailMessage) -> None:
    """Hand one e-mail to the configured mail backend.

    Raises:
        SendError: the server refused it or could not be reached, or a header was bad.
    """
    try:
        email.send(fail_silently=False)
    except (OSError, ValueError) as error:  # smtplib errors are OSErrors; bad headers ValueErrors
        raise SendError(str(error)) from error


def _email(subject: str, body: str, to: str) -> None:
    """A notice from the site (not a letter of a request), e.g. an overdue reminder."""
    _deliver(
        EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])
    )


def _add_message(request: FoiRequest, **values) -> FoiMessage:
    return FoiMessage.objects.create(request=request, **values)


@dataclass(frozen=True)
class OutgoingLetter:
    """One letter leaving the desk for ``request``: its ``kind`` (``MessageKind``), how it
    goes (``channel``), its words, to whom (an e-mail address, or a name for post), the day it
    reaches the authority (``on``) and, for an e-mail, the moment it leaves (``at``)."""

    request: FoiRequest
    kind: str
    channel: str
    subject: str
    body: str
    recipient: str
    on: dt.date | None
    at: dt.datetime | None = None


def _letter(letter: OutgoingLetter) -> tuple[FoiMessage, EmailMessage | None]:
    """Record an outgoing letter and, for e-mail, build its e-mail (see ``_send_letter``).

    An e-mail is dated the day it leaves (``on``, the authority's local day), goes from the
    request's reply address with a fresh Message-ID stored on the letter, and threads to the
    letters before it. ``_send_letter`` sends the e-mail last, inside its transaction, so
    that a refused letter records nothing. A letter sent another way is recorded as written.
    """
    request, on = letter.request, letter.on
    written = {"direction": Direction.OUT, "kind": letter.kind, "channel": letter.channel}
    if letter.channel != Channel.EMAIL:
        message = _add_message(
            request,
            **written,
            on=on,
            recipient=letter.recipient,
            subject=letter.subject,
            body=letter.body,
        )
        return message, None
    if not letter.recipient:
        raise SendError("There is no address to send the letter to.")
    body = redate(letter.body, request.language, on) if on else letter.body
    thread = thread_of(request)
    message_id = new_message_id(request)
    message = _add_message(
        request,
        **written,
        on=on,
        at=letter.at,
        sender=reply_address(request),
        recipient=letter.recipient,
        subject=letter.subject,
        body=body,
        message_id=message_id,
    )
    email = letter_email(
        request,
        subject=letter.subject,
        body=body,
        to=letter.recipient,
        message_id=message_id,
        thread=thread,
    )
    return message, email


def _mark_sent(request: FoiRequest, *, on: dt.date, channel: str, user) -> None:
    request.sent_on = on
    request.sent_via = channel
    request.status = RequestStatus.AWAITING_RESPONSE
    _apply_deadline(request)
    request.save()
    add_event(
        request,
        TimelineKind.SENT,
        on=on,
        data={
            "channel": channel,
            "due_on": request.due_on.isoformat() if request.due_on else None,
        },
        user=user,
    )


def _when(
    request: FoiRequest, channel: str, on: dt.date | None, at: dt.datetime | None = None
) -> tuple[dt.date, dt.datetime | None]:
    """The day a letter reaches the authority, and its moment when e-mailed: an e-mail leaves
    at ``at`` (default: now) and arrives on the authority's local day at that moment; a letter
    sent another way arrives on ``on`` (default: the authority's today)."""
    if channel == Channel.EMAIL:
        at = at or timezone.now()
        return local_today(request, at), at
    return on or local_today(request), None


def _send_letter(letter: OutgoingLetter, record: Callable[[FoiMessage], None]) -> FoiMessage:
    """Send (by e-mail) or record (another way) one letter, in one transaction: the letter is
    recorded (``_letter``), ``record(message)`` writes what it changes on the request (its
    status, its timeline), and the e-mail is handed to the server last, so that a letter the
    server refuses records nothing.

    Raises:
        SendError: (nothing recorded) e-mail without an address, or the server refused it.
    """
    with transaction.atomic():
        message, email = _letter(letter)
        record(message)
        if email is not None:
            _deliver(email)
    return message


def send_request(
    request: FoiRequest,
    *,
    channel: str,
    subject: str,
    body: str,
    on: dt.date | None = None,
    at: dt.datetime | None = None,
    user=None,
) -> FoiMessage:
    """Send the request: by e-mail now, or record it as sent by post, portal or in person on
    ``on`` (the day the authority received it).

    An e-mail sent at ``at`` (default: now) is received on the authority's local day at that
    moment (a letter e-mailed to London at 23:30 UTC on 3 June 2024 arrives on 4 June), and
    the deadline counts from that day. The letter is dated that day too.

    Raises:
        SendError: (nothing recorded) already sent, no address, no date for post, or the mail
            server refused the letter.
    """
    if request.status != RequestStatus.DRAFT:
        raise SendError("This request was already sent.")
    if channel == Channel.EMAIL:
        if not request.authority.email:
            raise SendError("The authority has no e-mail address.")
        recipient = request.authority.email
    else:
        if on is None:
            raise SendError("Enter the day the authority received the request.")
        recipient = request.authority.name
    on, at = _when(request, channel, on, at)

    def record(message: FoiMessage) -> None:
        request.letter_subject, request.letter_body = subject, message.body
        _mark_sent(request, on=on, channel=channel, user=user)

    letter = OutgoingLetter(
        request,
        kind=MessageKind.REQUEST,
        channel=channel,
        subject=subject,
        body=body,
        recipient=recipient,
        on=on,
        at=at,
    )
    return _send_letter(letter, record)


def send_by_email(
    request: FoiRequest, *, subject: str, body: str, user=None, at: dt.datetime | None = None
) -> FoiMessage:
    """E-mail the letter to the authority (see ``send_request``).

    Raises:
        SendError: nothing was recorded (see ``send_request``).
    """
    return send_request(
        request, channel=Channel.EMAIL, subject=subject, body=body, at=at, user=user
    )


def record_sent(
    request: FoiRequest,
    *,
    channel: str,
    on: dt.date,
    subject: str,
    body: str,
    user=None,
) -> FoiMessage:
    """Record a request sent outside CityWatch (post, portal, in person) on ``on``.

    Raises:
        SendError: the request was already sent.
    """
    return send_request(request, channel=channel, subject=subject, body=body, on=on, user=user)


def attach_document(
    message: FoiMessage,
    *,
    name: str,
    content: bytes | IO[bytes],
    on: dt.date | None,
    position: int = 1,
    count: int = 1,
) -> FoiAttachment:
    """A document that came with a letter (document ``position`` of its ``count``): stored
    once by its SHA-256 (its text read later by ``citywatch process-documents``) and made a
    source of the atlas (kind FOI response), private to the request's team until someone
    publishes it.

    The source and its stored file get a neutral title and name (``foi.naming``), never the
    file name ``name``: file names often name people, and the public sees a request's list
    of documents. The attachment keeps ``name`` for the team.
    """
    request = message.request
    title = naming.document_title(
        authority=request.authority.name,
        on=on,
        position=position,
        count=count,
    )
    stored, _created = documents.store_file(
        content, lambda media_type: documents.file_name_for(title, media_type)
    )
    source = Source.objects.create(
        title=title,
        publisher=request.authority.name,
        published_on=on.isoformat() if on else "",
        language="sr" if request.language == "sr-latn" else request.language,
        kind=SourceKind.FOI_RESPONSE,
        document=stored,
        # Private to the request's team until someone publishes it; the source page names the
        # request only to those who may see it, so the notes do not.
        visibility=Visibility.PRIVATE,
        owner_team=request.owner_team,
    )
    return FoiAttachment.objects.create(
        message=message,
        source=source,
        received_file=stored,
        filename=name[:255],
        sha256=stored.sha256,
        size=stored.size,
    )


@transaction.atomic
def record_reply(
    request: FoiRequest,
    *,
    on: dt.date,
    channel: str,
    body: str,
    subject: str = "",
    files: Sequence[UploadedFile] = (),
    status: str = "",
    resolution: str = "",
    refusal_ground: str = "",
    refusal_section: str = "",
    user=None,
) -> FoiMessage:
    """Record the authority's answer received on ``on``; its documents become sources of
    the atlas, private to the request's team until published.

    Raises:
        ValueError: a status without the resolution it needs (see ``change_status``).
    """
    message = _add_message(
        request,
        direction=Direction.IN,
        kind=MessageKind.REPLY,
        channel=channel,
        on=on,
        subject=subject,
        body=body,
    )
    for position, upload in enumerate(files, start=1):
        attach_document(
            message, name=upload.name, content=upload, on=on, position=position, count=len(files)
        )
    add_event(
        request,
        TimelineKind.REPLY_RECEIVED,
        on=on,
        data={"message": message.pk, "attachments": len(files)},
        user=user,
    )
    if status or resolution:
        change_status(
            request,
            status=status or request.status,
            resolution=resolution,
            refusal_ground=refusal_ground,
            refusal_section=refusal_section,
            on=on,
            user=user,
        )
    return message


def _refusal(resolution: str, ground: str, section: str) -> tuple[str, str]:
    """The ground and section stored for a resolution: none unless it refuses something;
    "information not held" is its own ground."""
    if resolution not in REFUSALS:
        return "", ""
    if resolution == Resolution.NOT_HELD and not ground:
        ground = RefusalGround.NOT_HELD
    return ground, section.strip()[:200]


@transaction.atomic
def change_status(
    request: FoiRequest,
    *,
    status: str,
    resolution: str = "",
    refusal_ground: str = "",
    refusal_section: str = "",
    on: dt.date | None = None,
    note: str = "",
    user=None,
) -> FoiRequest:
    """Move the request on. A decision against the requester (a refusal, a partial answer,
    "not held") records its ground and the section it cites and opens the window to appeal
    against that decision, counted from ``on``; a deemed refusal opens the appeal against
    silence, counted from the due date.

    Raises:
        ValueError: a resolved request without a resolution.
    """
    on = on or today()
    old_status, old_resolution = request.status, request.resolution
    request.status = status
    request.resolution = resolution if status == RequestStatus.RESOLVED else resolution or ""
    if status == RequestStatus.RESOLVED and not request.resolution:
        raise ValueError("A resolved request needs a resolution.")
    request.refusal_ground, request.refusal_section = _refusal(
        request.resolution, refusal_ground, refusal_section
    )
    if request.resolution in REFUSALS:
        request.appeal_stage, request.appeal_trigger_on, request.appeal_due_on = "", None, None
        _open_appeal_window(request, catalogue.AppealTrigger.DECISION, on)
    elif request.resolution == Resolution.DEEMED_REFUSED and request.due_on:
        _open_appeal_window(request, catalogue.AppealTrigger.SILENCE, request.due_on)
    request.save()
    kind = (
        TimelineKind.RESOLVED if status == RequestStatus.RESOLVED else TimelineKind.STATUS_CHANGED
    )
    data = {
        "from": old_status,
        "to": status,
        "resolution_from": old_resolution,
        "resolution": request.resolution,
    }
    if request.refusal_ground:
        data |= {"ground": request.refusal_ground, "section": request.refusal_section}
    add_event(request, kind, on=on, note=note, data=data, user=user)
    return request


@transaction.atomic
def mark_extended(request: FoiRequest, *, on: dt.date, user=None) -> FoiRequest:
    request.extended = True
    request.save(update_fields=["extended", "updated_at"])
    add_event(request, TimelineKind.EXTENDED, on=on, user=user)
    recompute_due_date(request, user=user, note="The authority notified an extension.")
    return request


@transaction.atomic
def stop_clock(request: FoiRequest, *, kind: str, on: dt.date, user=None) -> FoiClockStop:
    """The authority asked for a clarification or a fee: the clock stops.

    Raises:
        ValueError: when the request has no sending date, or ``on`` is before it.
    """
    if request.sent_on is None or on < request.sent_on:
        raise ValueError("The clock can only stop after the request was received.")
    stop = FoiClockStop.objects.create(request=request, kind=kind, started_on=on)
    request.status = (
        RequestStatus.AWAITING_PAYMENT
        if kind == catalogue.StopKind.FEES
        else RequestStatus.AWAITING_CLARIFICATION
    )
    _apply_deadline(request)
    request.save()
    add_event(request, TimelineKind.CLOCK_STOPPED, on=on, data={"kind": kind}, user=user)
    return stop


@transaction.atomic
def resume_clock(request: FoiRequest, *, on: dt.date, user=None) -> FoiRequest:
    """The clarification or fee reached the authority: the clock runs again.

    Raises:
        ValueError: when the clock is not stopped, or ``on`` is before it stopped.
    """
    stop = request.clock_stops.filter(ended_on__isnull=True).order_by("-started_on").first()
    if stop is None:
        raise ValueError("The clock is not stopped.")
    if on < stop.started_on:
        raise ValueError("The reply cannot arrive before the clock stopped.")
    stop.ended_on = on
    stop.save()
    request.status = RequestStatus.AWAITING_RESPONSE
    _apply_deadline(request)
    request.save()
    add_event(
        request,
        TimelineKind.CLOCK_RESUMED,
        on=on,
        data={"due_on": request.due_on.isoformat() if request.due_on else None},
        user=user,
    )
    return request


def send_follow_up(
    request: FoiRequest,
    *,
    channel: str,
    subject: str,
    body: str,
    on: dt.date | None = None,
    user=None,
) -> FoiMessage:
    """Send (by e-mail, now) or record (sent on ``on``) a follow-up letter.

    Raises:
        SendError: (nothing recorded) no address, or the mail server refused the letter.
    """
    on, at = _when(request, channel, on)

    def record(message: FoiMessage) -> None:
        add_event(request, TimelineKind.FOLLOW_UP_SENT, on=on, data={"channel": channel}, user=user)

    letter = OutgoingLetter(
        request,
        kind=MessageKind.FOLLOW_UP,
        channel=channel,
        subject=subject,
        body=body,
        recipient=request.authority.email if channel == Channel.EMAIL else "",
        on=on,
        at=at,
    )
    return _send_letter(letter, record)


REVIEW_STAGES = {"internal-review", "requirement-for-review", "requirement-for-review-silence"}


def _status_after_appeal(stage_id: str) -> str:
    """Where a request stands once it is taken to this appeal stage."""
    if stage_id in REVIEW_STAGES:
        return RequestStatus.INTERNAL_REVIEW
    if "court" in stage_id or "tribunal" in stage_id:
        return RequestStatus.IN_LITIGATION
    return RequestStatus.ESCALATED


def escalate(
    request: FoiRequest,
    *,
    stage_id: str,
    channel: str,
    on: dt.date | None,
    subject: str,
    body: str,
    recipient: str = "",
    user=None,
) -> FoiMessage:
    """Send (by e-mail to ``recipient``, now) or record an appeal or complaint to the next
    body (internal review, commissioner, court).

    Raises:
        KeyError: the law has no such appeal stage.
        SendError: (nothing recorded) e-mail without an address, or the server refused it.
    """
    stage = appeal_stage(request, stage_id)
    _name, body_name = stage_names(stage, request.language)  # as the letter addresses it
    if channel == Channel.EMAIL and not recipient:
        raise SendError("Enter the appeal body's e-mail address.")
    on, at = _when(request, channel, on)

    def record(message: FoiMessage) -> None:
        request.status = _status_after_appeal(stage.id)
        request.appeal_stage = stage.id
        request.save()
        add_event(
            request,
            TimelineKind.ESCALATED,
            on=on,
            data={"stage": stage.id, "body": body_name, "message": message.pk},
            user=user,
        )

    letter = OutgoingLetter(
        request,
        kind=MessageKind.APPEAL,
        channel=channel,
        subject=subject,
        body=body,
        recipient=recipient or body_name,
        on=on,
        at=at,
    )
    return _send_letter(letter, record)


# --- publishing documents ---------------------------------------------------------------


def _received_bytes(attachment: FoiAttachment) -> bytes:
    stored = attachment.received_file or attachment.source.document
    if stored is not None:
        return documents.read_bytes(stored)
    if attachment.file:
        with attachment.file.open("rb") as handle:
            return handle.read()
    raise PublishError("The document's file is missing.")


@transaction.atomic
def publish_attachment(attachment: FoiAttachment, *, user) -> Source:
    """Make one document of a reply public: its identifying metadata is removed (mat2 and
    CityWatch's own pass, keeping a PDF's text) and the source shows the cleaned copy; the
    file as received stays stored, for the team. The source keeps its neutral title
    ("Reply of … from … to FOI request …", ``foi.naming``; a title still made from the file
    name, from before titles were neutral, gets one) and the cleaned copy is stored under the
    same words, never the file name it arrived with. The source is then seen by whoever may
    see the request (``permissions.source_visible_q``: never wider than what holds it).

    Campaigners and reviewers of the request's team may publish (``permissions.can_edit``).

    Raises:
        PublishError: not allowed, or the file cannot be cleaned (the message says why); the
            document stays private.
    """
    if not permissions.can_edit(user, attachment):
        raise PublishError("Only the request's team may publish its documents.")
    attachment = (
        FoiAttachment.objects.select_related(
            "source", "message__request__authority", "received_file"
        )
        .select_for_update(of=("self",))
        .get(pk=attachment.pk)
    )
    source = attachment.source
    if source.visibility == Visibility.PUBLIC and source.embargo_until is None:
        return source
    try:
        cleaned = cleaning.clean_file(_received_bytes(attachment), keep_pdf_text=True)
    except cleaning.CannotClean as refusal:
        raise PublishError(str(refusal)) from refusal
    if naming.made_from_file_name(source.title, attachment.filename):
        source.title = naming.title_of(attachment)
    title = source.title
    stored, _created = documents.store_file(
        cleaned.content, lambda media_type: documents.file_name_for(title, media_type)
    )
    if attachment.received_file_id is None:
        attachment.received_file = source.document
        attachment.save(update_fields=["received_file"])
    source.document = stored
    source.visibility = Visibility.PUBLIC
    source.embargo_until = None
    source.save()
    add_event(
        attachment.message.request,
        TimelineKind.DOCUMENT_PUBLISHED,
        on=today(),
        data={"attachment": attachment.pk, "source": source.pk},
        user=user,
    )
    return source


# --- reminders --------------------------------------------------------------------------


@dataclass(frozen=True)
class Flagged:
    request: FoiRequest
    emailed_to: str
    error: str = ""


def _needs_flag() -> Q:
    return (
        Q(flagged_due_on__isnull=True)
        | Q(flagged_due_on__lt=F("due_on"))
        | Q(flagged_due_on__gt=F("due_on"))
    )


def _reminder(request: FoiRequest, on: dt.date) -> tuple[str, str]:
    days = (on - request.due_on).days
    subject = f"[CityWatch] Overdue: {request.title}"
    lines = [
        f"The FOI request “{request.title}” to {request.authority.name} was due on "
        f"{request.due_on.isoformat()} ({days} days ago) and has no recorded answer.",
        "",
        f"Law: {request.law.name} ({request.law.citation})",
    ]
    if request.appeal_due_on:
        lines.append(
            f"Appeal ({request.appeal_stage}): last day {request.appeal_due_on.isoformat()}."
        )
    lines += [
        "",
        "Send a follow-up (prefilled) or escalate from the request's page:",
        request.get_absolute_url(),
    ]
    return subject, "\n".join(lines) + "\n"


def check_overdue(on: dt.date | None = None) -> list[Flagged]:
    """Flag every request that is past due and not flagged yet, whenever that happened.

    There is no time window: a request that lapsed weeks before the last run is flagged all
    the same. Each request is flagged once per due date (a new due date, e.g. after an
    extension, can be flagged again). The requester's contact address gets an e-mail; if the
    mail server refuses it, the request stays unflagged and the next run tries again.
    """
    on = on or today()
    flagged: list[Flagged] = []
    candidates = (
        FoiRequest.objects.filter(status__in=CLOCK_RUNNING, due_on__lt=on)
        .filter(_needs_flag())
        .values_list("pk", flat=True)
    )
    for pk in list(candidates):
        with transaction.atomic():
            request = (
                FoiRequest.objects.select_for_update()
                .filter(pk=pk, status__in=CLOCK_RUNNING, due_on__lt=on)
                .filter(_needs_flag())
                .select_related("requester", "authority", "law")
                .first()
            )
            if request is None:  # another run flagged it meanwhile
                continue
            if request.law.has_law:
                _open_appeal_window(request, catalogue.AppealTrigger.SILENCE, request.due_on)
            request.flagged_due_on = request.due_on
            request.save()
            address = request.requester.email
            add_event(
                request,
                TimelineKind.OVERDUE,
                on=on,
                data={
                    "due_on": request.due_on.isoformat(),
                    "emailed_to": address,
                    "appeal_due_on": request.appeal_due_on.isoformat()
                    if request.appeal_due_on
                    else None,
                },
            )
            error = ""
            if address:
                subject, body = _reminder(request, on)
                try:
                    _email(subject, body, address)
                except SendError as failure:
                    transaction.set_rollback(True)
                    error = str(failure)
                    logger.warning("FOI reminder for request %s not sent: %s", pk, failure)
            flagged.append(Flagged(request, address, error))
    return flagged


# --- calendar feeds ---------------------------------------------------------------------


def calendar_feed_for(organisation: Organisation) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(organisation=organisation)
    return feed


@transaction.atomic
def renew_calendar_feed(organisation: Organisation) -> CalendarFeed:
    """A new secret address; the old one stops working."""
    CalendarFeed.objects.filter(organisation=organisation).delete()
    return CalendarFeed.objects.create(organisation=organisation)
