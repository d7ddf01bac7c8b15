"""File a received e-mail on its request, once: the one code path of ``receive-mail`` and
``fetch-mail``.

A message is filed on a request when it is addressed to the request's reply address (To, Cc,
Delivered-To, X-Original-To, Envelope-To or the envelope recipient the MTA passes on), or
when it threads to one of the request's letters (In-Reply-To, References, or the letter a
delivery report quotes). It becomes an incoming letter dated on the authority's local day
(``citywatch.foi.seats.authority_local_date``) and an entry of the timeline:

- a reply moves an open request to "reply received, to classify" (the authority answered, so
  the clock no longer runs) and tells the request's team (e-mail and the account page); its
  documents become sources, private to the team until published one by one;
- a delivery failure flags the address that failed and tells the team; the clock is not
  touched (the letter did not arrive);
- an automatic reply (out of office) is filed and changes nothing: the clock keeps running.

Mail that matches no request waits in the unmatched queue (``InboundMail`` in state
``unmatched``, without its trace headers: no IP address of whoever sent it) for someone
allowed to assign it (see ``permissions.can_triage_mail``) or delete it. Every mail is
recorded once by its Message-ID: the same mail received again files nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from citywatch.foi import services
from citywatch.foi.mail import notices
from citywatch.foi.mail.addresses import request_lookup
from citywatch.foi.mail.config import max_message_bytes
from citywatch.foi.mail.parsing import (
    ParsedMail,
    UnreadableMail,
    display_sender,
    parse,
    without_trace,
)
from citywatch.foi.models import (
    OPEN_STATUSES,
    Automated,
    Channel,
    Direction,
    FailingAddress,
    FoiMessage,
    FoiRequest,
    InboundMail,
    MailState,
    MessageKind,
    RequestStatus,
    TimelineKind,
)
from citywatch.foi.seats import authority_local_date
from citywatch.teams import permissions

logger = logging.getLogger(__name__)

__all__ = ["MailTooLarge", "Outcome", "UnreadableMail", "assign", "delete", "receive"]


class MailTooLarge(ValueError):
    """The message is larger than ``CITYWATCH_MAIL_MAX_BYTES``."""


class NotAllowed(PermissionError):
    """The user may not do this with unmatched mail (see ``permissions.can_triage_mail``)."""


@dataclass(frozen=True)
class Outcome:
    """What became of one received mail.

    ``state`` is ``filed`` (on ``request``, as ``message``), ``unmatched`` (in the queue) or
    ``duplicate`` (received before: nothing was filed this time).
    """

    state: str
    message_id: str
    request: FoiRequest | None = None
    message: FoiMessage | None = None
    automated: str = ""

    def describe(self) -> str:
        """One line for the command line and the MTA's log."""
        if self.state == "duplicate":
            return f"Already received, nothing filed: <{self.message_id}>"
        if self.state == "unmatched":
            return f"No request matches; kept in the unmatched mail queue: <{self.message_id}>"
        kind = {Automated.BOUNCE: "delivery failure", Automated.AUTO_REPLY: "automatic reply"}
        what = kind.get(self.automated, "reply")
        return f"Filed as a {what} on request {self.request.key}: <{self.message_id}>"


def receive(
    raw: bytes,
    *,
    envelope_recipients: Sequence[str] = (),
    received_at: dt.datetime | None = None,
) -> Outcome:
    """Parse one message and file it (or queue it), in one transaction.

    When this returns, the transaction has ended: in autocommit mode (the commands) the mail
    is committed, so the caller may then delete or move it at its origin.

    Raises:
        MailTooLarge: larger than ``CITYWATCH_MAIL_MAX_BYTES``.
        UnreadableMail: not an e-mail message (empty, no headers).
    """
    if len(raw) > max_message_bytes():
        raise MailTooLarge(f"The message is larger than {max_message_bytes()} bytes.")
    parsed = parse(raw, received_at=received_at)
    if InboundMail.objects.filter(message_id=parsed.message_id).exists():
        return Outcome("duplicate", parsed.message_id)
    try:
        with transaction.atomic():
            return _receive(parsed, raw, envelope_recipients)
    except IntegrityError:
        # The same mail filed at this moment by another run (two fetches, or fetch and pipe).
        if InboundMail.objects.filter(message_id=parsed.message_id).exists():
            return Outcome("duplicate", parsed.message_id)
        raise


def _ledger(parsed: ParsedMail, **values) -> InboundMail:
    return InboundMail.objects.create(
        message_id=parsed.message_id,
        received_at=parsed.moment,
        sender=display_sender(parsed)[:300],
        recipients=", ".join(parsed.recipients),
        subject=parsed.subject,
        automated=parsed.automated,
        size=parsed.size,
        **values,
    )


def _receive(parsed: ParsedMail, raw: bytes, envelope_recipients: Sequence[str]) -> Outcome:
    own = FoiMessage.objects.filter(direction=Direction.OUT, message_id=parsed.message_id).first()
    if own is not None:  # one of CityWatch's own letters, come back (a copy, a loop)
        _ledger(parsed, state=MailState.FILED, request=own.request)
        return Outcome("duplicate", parsed.message_id)
    request = match(parsed, envelope_recipients)
    if request is None:
        # Kept until someone files or deletes it, without the addresses of the machines it
        # came through (its moment of arrival is kept apart).
        _ledger(parsed, state=MailState.UNMATCHED, raw=without_trace(raw))
        return Outcome("unmatched", parsed.message_id, automated=parsed.automated)
    message = file_on(request, parsed)
    _ledger(parsed, state=MailState.FILED, request=request, filed_as=message)
    return Outcome("filed", parsed.message_id, request, message, parsed.automated)


def match(parsed: ParsedMail, envelope_recipients: Sequence[str] = ()) -> FoiRequest | None:
    """The request a mail belongs to: by reply address first, then by thread."""
    for address in (*envelope_recipients, *parsed.recipients):
        lookup = request_lookup(address)
        if lookup is not None:
            found = FoiRequest.objects.filter(**lookup).first()
            if found is not None:
                return found
    for identifier in parsed.thread_ids:
        letter = (
            FoiMessage.objects.filter(message_id=identifier)
            .select_related("request")
            .order_by("pk")
            .first()
        )
        if letter is not None:
            return letter.request
    return None


def file_on(request: FoiRequest, parsed: ParsedMail, *, user=None) -> FoiMessage:
    """Record the mail as an incoming letter of ``request`` (inside the caller's transaction)
    and act on it: a reply moves the request on, a bounce flags the failing address."""
    request = (
        FoiRequest.objects.select_for_update(of=("self",))
        .select_related("authority", "law", "owner_team")
        .get(pk=request.pk)
    )
    on = authority_local_date(parsed.moment, request.authority, request.law)
    message = FoiMessage.objects.create(
        request=request,
        direction=Direction.IN,
        kind=MessageKind.OTHER if parsed.automated else MessageKind.REPLY,
        channel=Channel.EMAIL,
        on=on,
        at=parsed.moment,
        sender=display_sender(parsed)[:300],
        recipient=", ".join(parsed.recipients)[:300],
        subject=parsed.subject,
        body=parsed.text,
        message_id=parsed.message_id,
        automated=parsed.automated,
    )
    for position, document in enumerate(parsed.documents, start=1):
        services.attach_document(
            message,
            name=document.filename,
            content=document.content,
            on=on,
            position=position,
            count=len(parsed.documents),
        )
    if parsed.automated == Automated.BOUNCE:
        _bounced(request, message, parsed, on, user)
    elif parsed.automated == Automated.AUTO_REPLY:
        services.add_event(
            request, TimelineKind.AUTO_REPLY, on=on, data={"message": message.pk}, user=user
        )
    else:
        _replied(request, message, parsed, on, user)
    return message


def _replied(request: FoiRequest, message: FoiMessage, parsed: ParsedMail, on, user) -> None:
    services.add_event(
        request,
        TimelineKind.REPLY_RECEIVED,
        on=on,
        data={"message": message.pk, "attachments": len(parsed.documents), "channel": "email"},
        user=user,
    )
    FailingAddress.objects.filter(address=parsed.sender).delete()  # it answered: it works
    if request.status in OPEN_STATUSES and request.status != RequestStatus.AWAITING_CLASSIFICATION:
        services.change_status(
            request, status=RequestStatus.AWAITING_CLASSIFICATION, on=on, user=user
        )
    transaction.on_commit(lambda: notices.tell_team(message.pk))


def _bounced(request: FoiRequest, message: FoiMessage, parsed: ParsedMail, on, user) -> None:
    bounce = parsed.bounce
    failed = list(bounce.failed) if bounce else []
    if not failed:
        letter = None
        if bounce and bounce.original_message_id:
            letter = FoiMessage.objects.filter(
                direction=Direction.OUT, message_id=bounce.original_message_id
            ).first()
        address = letter.recipient if letter is not None else request.authority.email
        failed = [address.lower()] if address and "@" in address else []
    for address in failed:
        FailingAddress.objects.update_or_create(
            address=address[:300],
            defaults={
                "failed_on": on,
                "diagnostic": bounce.diagnostic if bounce else "",
                "message": message,
            },
        )
    services.add_event(
        request,
        TimelineKind.BOUNCED,
        on=on,
        data={
            "message": message.pk,
            "addresses": failed,
            "diagnostic": bounce.diagnostic if bounce else "",
        },
        user=user,
    )
    transaction.on_commit(lambda: notices.tell_team(message.pk))


# --- the unmatched queue --------------------------------------------------------------------


def unmatched_queue():
    """Mail waiting to be assigned, oldest first."""
    return InboundMail.objects.filter(state=MailState.UNMATCHED).order_by("received_at", "pk")


@transaction.atomic
def assign(inbound: InboundMail, request: FoiRequest, *, user) -> FoiMessage:
    """File a mail of the unmatched queue on ``request``, as if it had matched.

    Raises:
        NotAllowed: the user may not read unmatched mail or may not handle ``request``.
        ValueError: the mail is no longer waiting.
    """
    if not (permissions.can_triage_mail(user) and permissions.can_edit(user, request)):
        raise NotAllowed("You may not assign this mail to this request.")
    inbound = InboundMail.objects.select_for_update().get(pk=inbound.pk)
    if inbound.state != MailState.UNMATCHED:
        raise ValueError("This mail is no longer waiting to be assigned.")
    parsed = parse(bytes(inbound.raw), received_at=inbound.received_at)
    message = file_on(request, parsed, user=user)
    inbound.state = MailState.ASSIGNED
    inbound.request, inbound.filed_as = request, message
    inbound.raw = b""
    inbound.handled_by, inbound.handled_at = user, timezone.now()
    inbound.save()
    return message


@transaction.atomic
def delete(inbound: InboundMail, *, user) -> None:
    """Drop a mail of the unmatched queue (spam, a wrong address). Its Message-ID stays in the
    ledger, so the same mail fetched again is not queued again.

    Raises:
        NotAllowed: the user may not read unmatched mail.
    """
    if not permissions.can_triage_mail(user):
        raise NotAllowed("You may not delete unmatched mail.")
    InboundMail.objects.filter(pk=inbound.pk, state=MailState.UNMATCHED).update(
        state=MailState.DELETED, raw=b"", handled_by=user, handled_at=timezone.now()
    )
