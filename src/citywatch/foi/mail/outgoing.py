"""Every e-mail the FOI desk sends, built in one place.

A letter for a request goes out from the request's reply address (``From`` and ``Reply-To``,
shown with the requesting organisation's name), so the authority's answer comes back to
CityWatch and is filed by itself; it carries a Message-ID that is stored on the letter, and
a follow-up or an appeal threads to the letters before it (``In-Reply-To``, ``References``).
The envelope sender is the reply address too, so delivery failures come back to it.

Mail goes through Django's mail API with the backend configured in settings (SMTP, or the
embedded outbox when no server is configured).
"""

from __future__ import annotations

from collections.abc import Sequence
from email.utils import formataddr, make_msgid

from django.core.mail import EmailMessage

from citywatch.foi.mail.addresses import reply_address
from citywatch.foi.mail.config import mail_domain

MAX_REFERENCES = 10


def new_message_id(request) -> str:
    """A fresh Message-ID for a letter of ``request``, without angle brackets. It names no
    request (replies thread by the stored Message-IDs, not by reading them)."""
    return make_msgid(idstring="foi", domain=mail_domain()).strip("<>")


def thread_of(request) -> list[str]:
    """The Message-IDs of the request's letters (sent and received), oldest first."""
    return [
        identifier
        for identifier in request.messages.exclude(message_id="")
        .order_by("pk")
        .values_list("message_id", flat=True)
    ]


def letter_email(
    request,
    *,
    subject: str,
    body: str,
    to: str,
    message_id: str,
    thread: Sequence[str] = (),
) -> EmailMessage:
    """The e-mail of one letter of ``request`` to ``to``.

    ``thread`` is the Message-IDs of earlier letters of the request (oldest first): the new
    letter answers the last of them.
    """
    address = reply_address(request)
    headers = {"Message-ID": f"<{message_id}>"}
    if thread:
        headers["In-Reply-To"] = f"<{thread[-1]}>"
        headers["References"] = " ".join(f"<{i}>" for i in thread[-MAX_REFERENCES:])
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=formataddr((request.requester.name, address)),
        to=[to],
        reply_to=[address],
        headers=headers,
    )
