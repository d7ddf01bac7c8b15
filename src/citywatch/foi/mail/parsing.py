"""Read one e-mail (RFC 5322 bytes) into what the FOI desk files: plain data, no database.

The standard library's parser with the ``default`` policy does the reading. On top of it:

- the text: the plain-text body, or the HTML body turned into text (cleaned with ``nh3``, then
  read with lxml); nothing from a message is ever kept or shown as HTML;
- the documents: attached files, but not inline images (logos and pictures of a signature,
  referenced by Content-ID), cryptographic signatures (PGP, S/MIME), contact cards, nor the
  parts of a delivery report;
- what kind of mail it is: a delivery failure (a DSN, RFC 3464, or a mailer daemon's
  free-text bounce), an automatic reply (RFC 3834 ``Auto-Submitted`` and the headers and
  subject lines of common out-of-office replies), or a message someone wrote;
- when it arrived: the date of the topmost ``Received`` header (written by the server that
  took the mail in), else the moment given by the caller (IMAP's INTERNALDATE), else the
  ``Date`` header, else now.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import posixpath
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import parseaddr, parsedate_to_datetime

import lxml.html
import nh3

from citywatch.core.text import strip_controls
from citywatch.foi.mail.addresses import addresses_in

MAX_ID_LENGTH = 255
ANGLE_ID = re.compile(r"<([^<>\s]+)>")

# Parts that are never documents of the reply.
NOT_DOCUMENTS = frozenset(
    {
        "application/pgp-signature",
        "application/pgp-keys",
        "application/pkcs7-signature",
        "application/x-pkcs7-signature",
        "application/ms-tnef",
        "text/vcard",
        "text/x-vcard",
        "text/directory",
        "message/delivery-status",
        "message/disposition-notification",
        "text/rfc822-headers",
    }
)
# Images that mail programs attach for a signature or a letterhead (Outlook: image001.png).
SIGNATURE_IMAGE = re.compile(r"^image\d{3}\.(png|jpe?g|gif|bmp)$", re.IGNORECASE)

# Subject lines of automatic replies (Outlook, Gmail, Thunderbird...) in the desk's languages.
AUTO_REPLY_SUBJECTS = re.compile(
    r"^\s*(automatic reply|auto(matic)?[- ]?(reply|response)|out of (the )?office|"
    r"respuesta autom[aá]tica|fuera de la oficina|r[ée]ponse automatique|"
    r"absence du bureau|automatski odgovor|van kancelarije|abwesenheitsnotiz|"
    r"automatische antwort)\b",
    re.IGNORECASE,
)
AUTO_REPLY_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Autoresponse", "X-Autoresponder")
# Free-text bounces from mailer daemons that send no DSN.
BOUNCE_SENDERS = re.compile(r"^(mailer-daemon|postmaster|mail-daemon)@", re.IGNORECASE)
BOUNCE_SUBJECTS = re.compile(
    r"(undeliver|delivery status notification|mail delivery fail|returned mail|"
    r"delivery failure|failure notice|non[- ]?remis|no se puede entregar)",
    re.IGNORECASE,
)

BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "tr",
    "td",
    "th",
    "table",
    "tbody",
    "thead",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "hr",
    "a",
    "section",
    "article",
}


# Headers that record the machines and programs a mail passed through: the sender's IP
# address and mail program. Dropped from mail CityWatch keeps as received (the unmatched queue),
# once its moment of arrival is taken from them.
TRACE_HEADERS = frozenset(
    {
        b"received",
        b"received-spf",
        b"authentication-results",
        b"arc-authentication-results",
        b"arc-seal",
        b"arc-message-signature",
        b"x-originating-ip",
        b"x-sender-ip",
        b"x-forwarded-for",
        b"x-real-ip",
        b"x-mailer",
        b"user-agent",
        b"x-ms-exchange-organization-authsource",
    }
)


def without_trace(raw: bytes) -> bytes:
    """``raw`` without the headers that name the machines and programs it came through
    (``TRACE_HEADERS``, with their folded lines); the body is unchanged."""
    ending = b"\r\n" if b"\r\n" in raw[:2000] else b"\n"
    head, separator, body = raw.partition(ending + ending)
    kept, dropping = [], False
    for line in head.split(ending):
        if line[:1] in (b" ", b"\t"):
            if not dropping:
                kept.append(line)
            continue
        name = line.split(b":", 1)[0].strip().lower()
        dropping = name in TRACE_HEADERS
        if not dropping:
            kept.append(line)
    return ending.join(kept) + separator + body


class UnreadableMail(ValueError):
    """The bytes are not an e-mail message (empty, or no header at all)."""


@dataclass(frozen=True)
class Document:
    """A file that came with the mail."""

    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class Bounce:
    """What a delivery report says: the addresses that failed, the reason, and the
    Message-ID of the letter that did not arrive (when the report quotes it)."""

    failed: tuple[str, ...] = ()
    diagnostic: str = ""
    original_message_id: str = ""


@dataclass(frozen=True)
class ParsedMail:
    message_id: str  # without angle brackets, or "sha256:<digest>" for mail without one
    sender: str  # the bare address of From
    sender_name: str
    recipients: tuple[str, ...]  # To, Cc, Delivered-To, X-Original-To, Envelope-To
    subject: str
    moment: dt.datetime  # aware
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    text: str
    documents: tuple[Document, ...] = ()
    automated: str = ""  # "", "bounce" or "auto_reply" (citywatch.foi.models.Automated)
    bounce: Bounce | None = None
    size: int = 0
    thread_ids: tuple[str, ...] = field(default=())  # every id this mail may answer


def parse(
    raw: bytes, *, received_at: dt.datetime | None = None, now: dt.datetime | None = None
) -> ParsedMail:
    """Read ``raw`` (one message, as an MTA pipes it or IMAP returns it).

    ``received_at`` is when the mailbox got the mail, when the caller knows (IMAP's
    INTERNALDATE); ``now`` is the last resort for the moment of receipt (default: now).

    Raises:
        UnreadableMail: empty input, or no header at all.
    """
    if not raw or not raw.strip():
        raise UnreadableMail("The message is empty.")
    message = BytesParser(policy=policy.default).parsebytes(raw)
    if not message.keys():
        raise UnreadableMail("This is not an e-mail message: it has no headers.")
    sender_name, sender = parseaddr(_header(message, "From"))
    subject = strip_controls(" ".join(_header(message, "Subject").split()))[:300]
    bounce = _bounce(message, sender, subject)
    automated = "bounce" if bounce is not None else ("auto_reply" if _is_auto(message) else "")
    in_reply_to = tuple(ANGLE_ID.findall(_header(message, "In-Reply-To")))
    references = tuple(ANGLE_ID.findall(_header(message, "References")))
    thread_ids = [*in_reply_to, *reversed(references)]
    if bounce is not None and bounce.original_message_id:
        thread_ids.insert(0, bounce.original_message_id)
    return ParsedMail(
        message_id=message_id_of(message, raw),
        sender=sender.strip().lower(),
        sender_name=strip_controls(sender_name)[:200],
        recipients=tuple(
            addresses_in(
                *(
                    value
                    for name in ("Delivered-To", "X-Original-To", "Envelope-To", "To", "Cc")
                    for value in _all(message, name)
                )
            )
        ),
        subject=subject,
        moment=moment_of(message, received_at=received_at, now=now),
        in_reply_to=in_reply_to,
        references=references,
        text=body_text(message),
        documents=tuple(documents_of(message)) if automated != "bounce" else (),
        automated=automated,
        bounce=bounce,
        size=len(raw),
        thread_ids=tuple(dict.fromkeys(thread_ids)),
    )


# --- headers -------------------------------------------------------------------------------


def _header(message: Message, name: str) -> str:
    """A header's value as text ("" when missing or unreadable)."""
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError):  # a header the policy cannot parse
        value = None
    if value is None:
        return ""
    return str(value)


def _all(message: Message, name: str) -> list[str]:
    try:
        return [str(value) for value in message.get_all(name, [])]
    except (ValueError, IndexError, TypeError):
        return []


def message_id_of(message: Message, raw: bytes) -> str:
    """The Message-ID without angle brackets; ``sha256:<digest of raw>`` when there is none
    (or it is too long to store), so the same bytes are always recognised."""
    value = _header(message, "Message-ID").strip()
    found = ANGLE_ID.search(value)
    identifier = found[1] if found else (value if value and " " not in value else "")
    if identifier and len(identifier) <= MAX_ID_LENGTH:
        return identifier
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _date(value: str) -> dt.datetime | None:
    try:
        return _aware(parsedate_to_datetime(value.strip()))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def moment_of(
    message: Message, *, received_at: dt.datetime | None = None, now: dt.datetime | None = None
) -> dt.datetime:
    """When the mail arrived (aware): the topmost ``Received`` header's date, else
    ``received_at``, else the ``Date`` header, else ``now``."""
    received = _all(message, "Received")
    if received:
        moment = _date(received[0].rpartition(";")[2])
        if moment is not None:
            return moment
    if received_at is not None:
        return _aware(received_at)
    moment = _date(_header(message, "Date"))
    if moment is not None:
        return moment
    return now or dt.datetime.now(dt.UTC)


# --- what kind of mail ---------------------------------------------------------------------


def _is_auto(message: Message) -> bool:
    """An automatic reply (RFC 3834 ``Auto-Submitted``; common autoresponder headers;
    ``Precedence: auto_reply``; an out-of-office subject line)."""
    submitted = _header(message, "Auto-Submitted").strip().lower()
    if submitted and not submitted.startswith("no"):
        return True
    if any(_header(message, name) for name in AUTO_REPLY_HEADERS):
        return True
    if _header(message, "Precedence").strip().lower() == "auto_reply":
        return True
    return bool(AUTO_REPLY_SUBJECTS.match(_header(message, "Subject")))


def _bounce(message: Message, sender: str, subject: str) -> Bounce | None:
    """The delivery report in ``message``, or None when it is not one."""
    if message.get_content_type() == "multipart/report" and (
        message.get_param("report-type", "").lower() == "delivery-status"
    ):
        return _dsn(message)
    if BOUNCE_SENDERS.match(sender or "") and BOUNCE_SUBJECTS.search(subject):
        text = body_text(message)
        found = re.search(r"Message-ID:\s*<([^<>\s]+)>", text, re.IGNORECASE)
        failed = re.findall(r"<([^<>\s@]+@[^<>\s]+)>", text)
        return Bounce(
            failed=tuple(dict.fromkeys(address.lower() for address in failed[:5])),
            diagnostic=_first_line_with(text, ("550", "553", "554", "5.1.", "5.7.")),
            original_message_id=found[1] if found else "",
        )
    return None


def _first_line_with(text: str, needles: tuple[str, ...]) -> str:
    for line in text.splitlines():
        if any(needle in line for needle in needles):
            return line.strip()[:500]
    return ""


def _dsn(report: Message) -> Bounce:
    """Read an RFC 3464 report: failed recipients, diagnostic, the original's Message-ID."""
    failed: list[str] = []
    diagnostic = ""
    original = ""
    for part in report.iter_parts():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            for block in part.get_payload():
                action = str(block.get("Action", "")).strip().lower()
                recipient = str(block.get("Final-Recipient") or block.get("Original-Recipient"))
                if action == "failed" and recipient and recipient != "None":
                    failed.append(recipient.rpartition(";")[2].strip().strip("<>").lower())
                    code = str(block.get("Diagnostic-Code") or block.get("Status") or "")
                    diagnostic = diagnostic or " ".join(code.rpartition(";")[2].split())[:500]
        elif kind in ("message/rfc822", "text/rfc822-headers", "message/rfc822-headers"):
            original = original or _quoted_message_id(part)
    return Bounce(tuple(dict.fromkeys(failed)), diagnostic, original)


def _quoted_message_id(part: Message) -> str:
    if part.get_content_type() == "message/rfc822":
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        value = _header(inner, "Message-ID") if inner is not None else ""
    else:
        content = part.get_payload(decode=True) or b""
        value = BytesParser(policy=policy.default).parsebytes(content, headersonly=True)
        value = _header(value, "Message-ID")
    found = ANGLE_ID.search(value)
    return found[1] if found else ""


# --- text ----------------------------------------------------------------------------------


def _decoded(part: Message) -> str:
    try:
        content = part.get_content()
    except (LookupError, ValueError, KeyError, AttributeError):  # unknown charset, bad encoding
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace")
    if isinstance(content, bytes):
        content = content.decode("utf-8", errors="replace")
    return content


def body_text(message: Message) -> str:
    """The message's text: its plain-text body, else its HTML body as text ("" if none)."""
    if not isinstance(message, EmailMessage):
        return ""
    try:
        body = message.get_body(preferencelist=("plain", "html"))
    except (KeyError, ValueError, IndexError):
        body = None
    if body is None:
        return ""
    text = _decoded(body)
    if body.get_content_type() == "text/html":
        text = html_to_text(text)
    return tidy(text)


def tidy(text: str) -> str:
    """Line ends as ``\\n``, no control characters, no trailing spaces, at most one empty
    line in a row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    text = strip_controls(text)
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def html_to_text(html: str) -> str:
    """The words of an HTML mail as plain text: paragraphs and line breaks kept, links
    followed by their address, scripts, styles and everything else dropped.

    The HTML is first cleaned by ``nh3`` down to a few structural tags (script and style
    with their content removed), then read as text by lxml; the result is plain text.
    """
    if not html.strip():
        return ""
    cleaned = nh3.clean(
        html,
        tags=BLOCK_TAGS,
        clean_content_tags={"script", "style", "title", "head", "noscript", "template"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )
    if not cleaned.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(cleaned, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return ""
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "a":
            href = element.get("href", "")
            label = element.text_content().strip()
            if href.startswith(("http://", "https://")) and href not in label:
                element.tail = f" <{href}>" + (element.tail or "")
        elif tag == "li":
            element.text = "- " + (element.text or "")
            element.tail = "\n" + (element.tail or "")
        elif tag in ("td", "th"):
            element.tail = " " + (element.tail or "")
        elif tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif tag in BLOCK_TAGS and tag != "a":
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    return tidy(root.text_content())


# --- documents -----------------------------------------------------------------------------


def _leaves(part: Message):
    """The leaf parts, not descending into attached messages or delivery reports."""
    if part.is_multipart():
        if part.get_content_type() == "multipart/report":
            return
        for inner in part.get_payload():
            yield from _leaves(inner)
    elif part.get_content_maintype() != "message":
        yield part


def _is_document(part: Message, body: Message | None) -> bool:
    kind = part.get_content_type()
    if part is body or kind in NOT_DOCUMENTS:
        return False
    disposition = (part.get_content_disposition() or "").lower()
    filename = part.get_filename() or ""
    if part.get("Content-ID") and disposition != "attachment":
        return False  # an inline picture the HTML shows (a logo, a signature)
    if kind.startswith("image/") and (disposition == "inline" or SIGNATURE_IMAGE.match(filename)):
        return False
    text_version = kind in ("text/plain", "text/html") and disposition != "attachment"
    return not (text_version and not filename)  # another version of the text is no document


def safe_filename(name: str, content_type: str, number: int) -> str:
    """A file name without folders or control characters (a made-up one when missing)."""
    name = strip_controls(name or "").replace("\\", "/")
    name = posixpath.basename(name).strip().strip(".")
    if not name:
        extension = mimetypes.guess_extension(content_type) or ".bin"
        name = f"attachment-{number}{extension}"
    return name[:200]


def documents_of(message: Message) -> list[Document]:
    """The files attached to the message that are documents of the reply."""
    try:
        body = message.get_body(preferencelist=("plain", "html"))
    except (KeyError, ValueError, IndexError):
        body = None
    found = []
    for part in _leaves(message):
        if not _is_document(part, body):
            continue
        content = part.get_payload(decode=True) or b""
        if not content:
            continue
        kind = part.get_content_type()
        found.append(
            Document(safe_filename(part.get_filename() or "", kind, len(found) + 1), kind, content)
        )
    return found


def display_sender(parsed: ParsedMail) -> str:
    """``Name <address>`` as the From header gave it."""
    if parsed.sender_name:
        return f"{parsed.sender_name} <{parsed.sender}>"
    return parsed.sender
