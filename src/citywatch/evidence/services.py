"""Writes for evidence: documents, archived copies, text extraction, citations."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import IO, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citywatch.evidence import archiving, documents, extraction, passages
from citywatch.evidence.models import (
    CITABLE_MODELS,
    Citation,
    Snapshot,
    Source,
    SourceKind,
    StoredFile,
    TextStatus,
)
from citywatch.evidence.queries import text_file

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------- documents


def add_document(
    content: bytes | IO[bytes], name: str = "", source: Source | None = None, **fields: Any
) -> Source:
    """Store a file and attach it to a source (a new one made from ``fields`` if none).

    The file is stored under a name made from the source's title
    (``documents.file_name_for``), never under ``name``, the name it was uploaded with (kept
    in the signature for callers that pass it): file names often name people (the author,
    the requester), and a document may be published.
    The text is read later, outside the request, by ``process_pending_files()``.
    """
    if source is None:
        source = Source(**fields)
    title = source.title
    stored, _created = documents.store_file(
        content, lambda media_type: documents.file_name_for(title, media_type)
    )
    with transaction.atomic():
        source.document = stored
        source.full_clean()
        source.save()
    return source


# ---------------------------------------------------------------- text extraction


def extract_text(stored: StoredFile) -> StoredFile:
    """Read a stored file's text now; a file without readable text says why."""
    try:
        result = extraction.extract(documents.read_bytes(stored), stored.media_type)
    except extraction.NotReadable as reason:
        stored.text, stored.page_count, stored.extractor = "", None, ""
        stored.text_status, stored.text_error = TextStatus.NO_TEXT, str(reason)
    except Exception as error:  # the file may be damaged in any way
        logger.warning("Could not read text of stored file %s: %s", stored.pk, error)
        stored.text, stored.page_count, stored.extractor = "", None, ""
        stored.text_status = TextStatus.FAILED
        stored.text_error = _("The text could not be read: %(error)s") % {"error": error}
    else:
        stored.text = result.text
        stored.page_count = len(result.pages)
        stored.text_status, stored.text_error = TextStatus.DONE, ""
        stored.extractor = result.extractor
    stored.extracted_at = timezone.now()
    stored.save()
    return stored


def process_pending_files(limit: int | None = None) -> int:
    """Extract the text of files waiting for it; returns how many were processed.

    Run by ``citywatch process-documents`` (from cron, or ``--watch`` in the background).
    Several workers may run at once on PostgreSQL: each file is claimed with a row lock.
    """
    done = 0
    while limit is None or done < limit:
        with transaction.atomic():
            stored = (
                StoredFile.objects.select_for_update(skip_locked=True)
                .filter(text_status=TextStatus.PENDING)
                .order_by("pk")
                .first()
            )
            if stored is None:
                break
            extract_text(stored)
        done += 1
    return done


# ---------------------------------------------------------------- archiving


def archive_source(source: Source) -> Snapshot:
    """Fetch the source's URL now and keep the copy.

    Raises:
        ArchiveError: when the source has no URL, or fetching fails (``archiving.fetch``; its
            subclass RefusedAddress for an address CityWatch does not fetch from).
    """
    if not source.url:
        raise archiving.ArchiveError(_("This source has no web address to archive."))
    fetched = archiving.fetch(source.url)
    try:
        stored, _created = documents.store_file(fetched.body, fetched.final_url.rsplit("/", 1)[-1])
    finally:
        fetched.body.close()
    return Snapshot.objects.create(
        source=source,
        stored_file=stored,
        url=fetched.url,
        final_url=fetched.final_url,
        retrieved_at=timezone.now(),
        http_status=fetched.status,
        declared_type=fetched.content_type,
    )


def sources_without_snapshot() -> models.QuerySet[Source]:
    return Source.objects.exclude(url="").filter(snapshots__isnull=True).order_by("pk")


# ---------------------------------------------------------------- tamper evidence


@dataclass
class FileProblem:
    stored: StoredFile
    problem: str  # "missing" or "changed"
    found_sha256: str = ""


def verify_files(queryset: models.QuerySet[StoredFile] | None = None) -> tuple[int, list]:
    """Re-hash every stored file; returns how many were checked and the problems found."""
    problems: list[FileProblem] = []
    checked = 0
    for stored in queryset if queryset is not None else StoredFile.objects.order_by("pk"):
        checked += 1
        try:
            digest = documents.file_digest(stored)
        except (FileNotFoundError, OSError):
            problems.append(FileProblem(stored, "missing"))
            continue
        if digest != stored.sha256:
            problems.append(FileProblem(stored, "changed", digest))
    return checked, problems


# ---------------------------------------------------------------- citing a passage


def certainty_for(source: Source) -> str:
    """How sure a fact taken from this kind of source is, by default."""
    if source.kind in (
        SourceKind.OFFICIAL,
        SourceKind.PROCUREMENT,
        SourceKind.FOI_RESPONSE,
        SourceKind.COURT,
        SourceKind.LEGAL_TEXT,
    ):
        return "documented"
    if source.kind == SourceKind.VENDOR:
        return "vendor_claim"
    return "reported"


def citable_target(content_type_id: int, object_id: int) -> models.Model:
    """The record a citation would point at (a kind in ``CITABLE_MODELS``).

    Raises:
        ValidationError: this kind of record cannot be cited.
        ObjectDoesNotExist: no such record.
    """
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    label = f"{content_type.app_label}.{content_type.model}" if content_type else ""
    if label not in CITABLE_MODELS:
        raise ValidationError(_("This kind of record cannot be cited."))
    target = content_type.get_object_for_this_type(pk=object_id)
    return target


def check_quote_in_text(source: Source, quote: str) -> None:
    """Check that the quote is in the source's text, word for word (``passages.find_quote``).

    Raises:
        ValidationError: on ``quote``: the source has no text, or the quote is not in it.
    """
    stored = text_file(source)
    if stored is None or passages.find_quote(stored.text, quote) is None:
        raise ValidationError(
            {"quote": _("The quote is not in this source's text, word for word.")}
        )


def passage_citation(
    source: Source,
    target: models.Model,
    quote: str,
    field_name: str = "",
    locator: str = "",
    stated_value: str = "",
    note: str = "",
) -> Citation:
    """A citation of a passage of the source's text for a fact, checked but NOT saved: the
    writer of the cited record saves it (``citywatch.atlas.services.cite_passage`` for a
    deployment's records, which asks the permission module first).

    Raises:
        ValidationError: the quote is not in the text, or the citation fails its checks.
    """
    quote = passages.normalise_quote(quote)
    check_quote_in_text(source, quote)
    citation = Citation(
        source=source,
        target=target,
        field_name=field_name,
        quote=quote,
        locator=locator,
        stated_value=stated_value,
        note=note,
    )
    citation.full_clean()
    return citation
