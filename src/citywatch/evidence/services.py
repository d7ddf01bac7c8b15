"""Writes for evidence: documents, archived copies, text extraction, citations, suggestions."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citywatch.evidence import archiving, documents, extraction, passages, suggestions
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

    The text is read later, outside the request, by ``process_pending_files()``.
    """
    stored, _created = documents.store_file(content, name)
    with transaction.atomic():
        if source is None:
            source = Source(**fields)
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
    """Fetch the source's URL now and keep the copy. Raises archiving.ArchiveError."""
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
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    label = f"{content_type.app_label}.{content_type.model}" if content_type else ""
    if label not in CITABLE_MODELS:
        raise ValidationError(_("This kind of record cannot be cited."))
    target = content_type.get_object_for_this_type(pk=object_id)
    return target


def check_quote_in_text(source: Source, quote: str) -> None:
    stored = text_file(source)
    if stored is None or passages.find_quote(stored.text, quote) is None:
        raise ValidationError(
            {"quote": _("The quote is not in this source's text, word for word.")}
        )


@transaction.atomic
def cite_passage(
    source: Source,
    target: models.Model,
    quote: str,
    field_name: str = "",
    locator: str = "",
    stated_value: str = "",
    note: str = "",
    *,
    by: Any,
) -> Citation:
    """Cite a passage of the source's text for a fact; the quote must be in the text. A
    citation of a deployment's record is written by ``atlas.services`` (as ``by``).

    Raises:
        ValidationError: the quote is not in the source's text, or the citation is invalid.
        PermissionDenied: ``by`` may not write the cited deployment.
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
    _clean_save(citation, by)
    return citation


# ---------------------------------------------------------------- accepting a suggestion


def find_suggestion(source: Source, key: str) -> suggestions.Suggestion:
    stored = text_file(source)
    for suggestion in suggestions.suggest(stored.text if stored else ""):
        if suggestion.key == key:
            return suggestion
    raise ValidationError(_("This suggestion no longer applies; reload the page."))


def locator_for(suggestion: suggestions.Suggestion) -> str:
    return _("p. %(page)d") % {"page": suggestion.page} if suggestion.page else ""


@transaction.atomic
def accept_suggestion(
    source: Source,
    key: str,
    deployment: Any,
    options: dict[str, str] | None = None,
    *,
    by: Any,
) -> Citation:
    """Create the suggested fact on the deployment and cite the sentence, in one step; the
    fact and its citation are written by ``atlas.services`` (as ``by``).

    ``options`` may correct the suggested values: ``quantity``, ``unit``, ``technology``,
    ``qualifier`` (devices); ``amount``, ``currency``, ``financing`` (money); ``role``
    (organisations); ``event_kind``, ``title``, ``date`` (dates). When the deployment already
    has the same fact, only the citation is added.

    Raises:
        ValidationError: the suggestion no longer applies, or a corrected value is invalid.
        PermissionDenied: ``by`` may not write the deployment.
    """
    suggestion = find_suggestion(source, key)
    options = {k: v for k, v in (options or {}).items() if v not in (None, "")}
    handler = {
        suggestions.DEVICE: _accept_device_count,
        suggestions.MONEY: _accept_money,
        suggestions.ORGANISATION: _accept_organisation,
        suggestions.PLACE: _accept_place,
        suggestions.DATE: _accept_date,
    }[suggestion.kind]
    target, field_name = handler(suggestion, deployment, options, certainty_for(source), by)
    lookup = {
        "source": source,
        "content_type": ContentType.objects.get_for_model(target),
        "object_id": target.pk,
        "field_name": field_name,
        "quote": suggestion.sentence,
    }
    citation = Citation.objects.filter(**lookup).first()
    if citation is None:
        citation = Citation(
            **lookup, stated_value=suggestion.matched[:300], locator=locator_for(suggestion)
        )
        _clean_save(citation, by, validate=False)  # as get_or_create did: no full_clean
    return citation


def _clean_save(record: models.Model, by: Any, validate: bool = True) -> models.Model:
    """Save a record; a deployment's record through its one writer, ``atlas.services``."""
    from citywatch.atlas import services as atlas_services

    if atlas_services.is_deployment_record(record):
        return atlas_services.save_record(record, by=by, validate=validate)
    if validate:
        record.full_clean()
    record.save()
    return record


def _accept_device_count(
    suggestion: suggestions.Suggestion, deployment: Any, options: dict, certainty: str, by: Any
) -> tuple[Any, str]:
    from citywatch.atlas.models import Component, Technology

    value = suggestion.value
    technology = Technology.objects.filter(slug=options.get("technology", value["technology"]))
    if not technology.exists():
        raise ValidationError({"technology": _("Unknown technology.")})
    try:
        quantity = int(options.get("quantity", value["quantity"]))
    except ValueError as error:
        raise ValidationError({"quantity": _("Enter a whole number.")}) from error
    component = Component.objects.filter(
        deployment=deployment, technology=technology.get(), quantity=quantity
    ).first()
    if component is None:
        component = _clean_save(
            Component(
                deployment=deployment,
                technology=technology.get(),
                quantity=quantity,
                quantity_qualifier=options.get("qualifier", value["qualifier"]),
                unit=options.get("unit", value["unit"]),
                facial_recognition="present" if value.get("facial_recognition") else "unknown",
                certainty=certainty,
            ),
            by,
        )
    return component, "quantity"


def _accept_money(
    suggestion: suggestions.Suggestion, deployment: Any, options: dict, certainty: str, by: Any
) -> tuple[Any, str]:
    from citywatch.atlas.models import Money

    try:
        amount = Decimal(options.get("amount", suggestion.value["amount"]))
    except InvalidOperation as error:
        raise ValidationError({"amount": _("Enter an amount.")}) from error
    currency = options.get("currency", suggestion.value["currency"]).upper()
    money = Money.objects.filter(deployment=deployment, amount=amount, currency=currency).first()
    if money is None:
        money = _clean_save(
            Money(
                deployment=deployment,
                amount=amount,
                currency=currency,
                financing=options.get("financing", "unknown"),
                dated=options.get("dated", ""),
                certainty=certainty,
            ),
            by,
        )
    return money, "amount"


def _accept_organisation(
    suggestion: suggestions.Suggestion, deployment: Any, options: dict, certainty: str, by: Any
) -> tuple[Any, str]:
    from citywatch.actors.models import Organisation
    from citywatch.atlas.models import Party

    organisation = Organisation.objects.get(pk=suggestion.value["organisation"])
    default_role = "supplier" if organisation.kind == "vendor" else "buyer"
    role = options.get("role", default_role)
    party = Party.objects.filter(deployment=deployment, organisation=organisation, role=role)
    if party.exists():
        return party.get(), ""
    party = Party(deployment=deployment, organisation=organisation, role=role, certainty=certainty)
    return _clean_save(party, by), ""


def _accept_place(
    suggestion: suggestions.Suggestion, deployment: Any, options: dict, certainty: str, by: Any
) -> tuple[Any, str]:
    from citywatch.places.models import Locality

    value = suggestion.value
    if value["country"] != deployment.country_id:
        raise ValidationError(_("This place is not in the deployment's country."))
    locality = None
    if value.get("locality"):
        locality = Locality.objects.filter(pk=value["locality"]).first()
    if locality is None and value.get("geonames_id"):
        locality = Locality.objects.filter(geonames_id=value["geonames_id"]).first()
    if locality is None:
        locality = Locality.objects.filter(country_id=value["country"], name=value["name"]).first()
    if locality is None:
        locality = _clean_save(Locality(country_id=value["country"], name=value["name"]), by)
    deployment.locality = locality
    _clean_save(deployment, by)
    return deployment, "locality"


def _accept_date(
    suggestion: suggestions.Suggestion, deployment: Any, options: dict, certainty: str, by: Any
) -> tuple[Any, str]:
    from citywatch.atlas.models import Event

    date = options.get("date", suggestion.value["date"])
    kind = options.get("event_kind", "other")
    title = options.get("title") or suggestion.sentence[:300]
    event = Event.objects.filter(deployment=deployment, date=date, kind=kind).first()
    if event is None:
        event = _clean_save(
            Event(deployment=deployment, date=date, kind=kind, title=title, certainty=certainty),
            by,
        )
    return event, "date"
