"""Sources (documents and web pages) and citations (a source backing one fact)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from citywatch.core.choices import Visibility
from citywatch.core.fields import WebAddressField
from citywatch.core.partial_dates import PartialDateField
from citywatch.core.public_keys import opaque_id

# A BCP 47 language tag as people write them: "en", "es", "sr-Latn", "pt-BR".
LANGUAGE_TAG_VALIDATOR = RegexValidator(
    r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\Z",
    _("Use a language code such as en, es or sr-Latn."),
    code="invalid_language",
)

# The records a citation may point at ("app_label.model").
CITABLE_MODELS = (
    "atlas.deployment",
    "atlas.party",
    "atlas.component",
    "atlas.money",
    "atlas.event",
    "atlas.vendorclaim",
    "places.legalcardentry",
    "places.locality",
    "actors.organisation",
)


# The facts of each kind of record a citation may back besides the record as a whole (an
# empty field name): exactly the fields its page shows a footnote beside (the deployment page
# for a deployment and its parts and place, the country page for legal-card entries, the
# organisation page for organisations). tests/test_citation_fields.py renders a citation of
# each and checks that it shows, and that any other field name is refused.
CITABLE_FIELDS: dict[str, tuple[str, ...]] = {
    "atlas.deployment": ("status", "locality"),
    "atlas.party": (),
    "atlas.component": (
        "quantity",
        "planned_quantity",
        "facial_recognition",
        "plate_recognition",
        "supplier",
    ),
    "atlas.money": ("amount", "financing", "lender"),
    "atlas.event": ("date",),
    "atlas.vendorclaim": (),
    "places.legalcardentry": (),
    "places.locality": (),
    "actors.organisation": (),
}


def citable_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The field names a citation of this kind of record may back (besides "")."""
    return CITABLE_FIELDS.get(model._meta.label_lower, ())


def citable_field_choices(model: type[models.Model]) -> list[tuple[str, str]]:
    """Choices for a citation's field on this kind of record: ("", the record as a whole),
    then each citable field with its label in the active language."""
    choices = [("", _("the record as a whole"))]
    for name in citable_fields(model):
        choices.append((name, capfirst(model._meta.get_field(name).verbose_name)))
    return choices


def citable_content_types() -> models.Q:
    query = models.Q()
    for label in CITABLE_MODELS:
        app_label, model = label.split(".")
        query |= models.Q(app_label=app_label, model=model)
    return query


class SourceKind(models.TextChoices):
    OFFICIAL = "official", _("Official publication")
    PROCUREMENT = "procurement", _("Procurement record")
    FOI_RESPONSE = "foi_response", _("FOI response")
    VENDOR = "vendor", _("Vendor material")
    MEDIA = "media", _("News media")
    NGO_REPORT = "ngo_report", _("NGO report")
    COURT = "court", _("Court document")
    LEAK = "leak", _("Leaked document")
    CROWD = "crowd", _("Crowd-sourced")
    LEGAL_TEXT = "legal_text", _("Legal text")


class Source(models.Model):
    title = models.CharField(_("title"), max_length=500)
    url = WebAddressField(_("URL"), max_length=1000, blank=True)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    published_on = PartialDateField(_("published"))
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        validators=[LANGUAGE_TAG_VALIDATOR],
        help_text=_("ISO 639-1 code, e.g. en, es, sr."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    notes = models.TextField(_("notes"), blank=True)
    document = models.ForeignKey(
        "StoredFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sources",
        verbose_name=_("document"),
        help_text=_("The uploaded file (PDF, web page, text or image) this source is."),
    )
    key = models.UUIDField(
        _("key"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("The unguessable id in the source's web address."),
    )
    legacy_number = models.PositiveBigIntegerField(
        _("former public number"),
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_(
            "The number of a source that was public when numeric addresses were retired: its "
            "old address /sources/<number>/ still leads to it."
        ),
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
        help_text=_(
            "Who may see this source, at most. Outside the owning team it is shown only "
            "beside records people may see that cite it."
        ),
    )
    embargo_until = models.DateField(
        _("embargoed until"),
        null=True,
        blank=True,
        help_text=_("Hidden from the public until this day, whatever its visibility."),
    )
    owner_team = models.ForeignKey(
        "teams.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sources",
        verbose_name=_("owning team"),
        help_text=_("The team that added the source and decides when it is published."),
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-published_on", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("atlas:source", args=[self.key])


class Citation(models.Model):
    """A source backing one fact: a field of a record, or the record as a whole.

    When two sources give two values for the same fact (Belgrade: "a thousand" cameras
    announced, another count reported elsewhere), each citation carries the value its source
    states in ``stated_value``; both stay side by side.
    """

    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="citations", verbose_name=_("source")
    )
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        limit_choices_to=citable_content_types,
        verbose_name=_("kind of record"),
        db_index=False,  # the index on (content type, object id) serves it
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    target = GenericForeignKey("content_type", "object_id")
    field_name = models.CharField(
        _("field"),
        max_length=60,
        blank=True,
        help_text=_("The field this source backs, e.g. quantity; empty for the whole record."),
    )
    stated_value = models.CharField(
        _("value stated by this source"),
        max_length=300,
        blank=True,
        help_text=_("Fill in when this source gives its own value for the fact."),
    )
    quote = models.TextField(_("quote"), blank=True, help_text=_("The sentence, word for word."))
    language = models.CharField(
        _("language of the quote"),
        max_length=20,
        blank=True,
        validators=[LANGUAGE_TAG_VALIDATOR],
        help_text=_("A language code such as en, es or sr-Latn; empty when it is the source's."),
    )
    locator = models.CharField(
        _("page or locator"), max_length=100, blank=True, help_text=_("E.g. p. 4, §2, 12:30.")
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    history = HistoricalRecords(no_db_index=["source", "content_type"])

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        field = f".{self.field_name}" if self.field_name else ""
        return f"{self.content_type.model}#{self.object_id}{field} ← {self.source}"

    def get_absolute_url(self) -> str:
        """The quoted passage, highlighted in the source's text when CityWatch has the text."""
        source = self.source
        # snapshots.all() uses the prefetched list where the caller prefetched it (footnotes).
        if self.quote and (source.document_id or source.snapshots.all()):
            return reverse("research:source_text", args=[source.key]) + f"#{self.anchor}"
        return source.get_absolute_url()

    @property
    def anchor(self) -> str:
        """The id of the highlighted passage in its source's text page: ``quote-`` and an
        opaque id (``core.public_keys.opaque_id``), never the citation's number, whose gaps
        would count the citations of hidden records."""
        return f"quote-{opaque_id('citation', self.pk)}"

    def clean(self) -> None:
        """The field backed must be one its record's page shows a footnote beside.

        Raises:
            ValidationError: on ``field_name`` for a field that kind of record cannot have
                cited (the message lists the ones it can), on ``content_type`` for a kind of
                record that cannot be cited at all.
        """
        if self.content_type_id is None:
            return
        model = self.content_type.model_class()
        label = model._meta.label_lower if model is not None else ""
        if label not in CITABLE_MODELS:
            raise ValidationError({"content_type": _("This kind of record cannot be cited.")})
        if not self.field_name or self.field_name in citable_fields(model):
            return
        allowed = [str(label) for name, label in citable_field_choices(model) if name]
        if allowed:
            message = _(
                "A source of a %(model)s can back %(fields)s, or the record as a whole; "
                "not %(field)s."
            ) % {
                "model": model._meta.verbose_name,
                "fields": ", ".join(allowed),
                "field": self.field_name,
            }
        else:
            message = _(
                "A source of a %(model)s backs the record as a whole: leave the field empty "
                "(not %(field)s)."
            ) % {"model": model._meta.verbose_name, "field": self.field_name}
        raise ValidationError({"field_name": message})


class TextStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be read")
    DONE = "done", _("Text extracted")
    NO_TEXT = "no_text", _("No text found")
    FAILED = "failed", _("Text could not be extracted")


class StoredFile(models.Model):
    """One file kept as evidence, stored once however many sources use it.

    Files are named by their SHA-256, so an identical upload or snapshot reuses the row and
    the bytes; ``citywatch verify-archive`` re-hashes them to show they are unchanged.
    """

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    media_type = models.CharField(
        _("type"), max_length=100, help_text=_("Sniffed from the content, not the file name.")
    )
    file = models.FileField(_("file"), max_length=300)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("stored"), auto_now_add=True)
    text = models.TextField(
        _("extracted text"), blank=True, help_text=_("Pages are separated by form feeds.")
    )
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    text_status = models.CharField(
        _("text"), max_length=10, choices=TextStatus.choices, default=TextStatus.PENDING
    )
    text_error = models.TextField(_("why there is no text"), blank=True)
    extractor = models.CharField(_("read with"), max_length=30, blank=True)
    extracted_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name or self.media_type} ({self.sha256[:12]}…)"

    @property
    def pages(self) -> list[str]:
        """The text page by page (one page for formats without pages)."""
        return self.text.split("\f") if self.text else []


SNAPSHOT_STAMP = "%Y%m%dT%H%M%S%fZ"


class Snapshot(models.Model):
    """A copy of a source's web address as it was when CityWatch fetched it."""

    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="snapshots", verbose_name=_("source")
    )
    stored_file = models.ForeignKey(
        StoredFile, on_delete=models.PROTECT, related_name="snapshots", verbose_name=_("file")
    )
    url = WebAddressField(_("address fetched"), max_length=1000)
    final_url = WebAddressField(_("address after redirects"), max_length=1000)
    retrieved_at = models.DateTimeField(_("retrieved at"))
    http_status = models.PositiveSmallIntegerField(_("HTTP status"))
    declared_type = models.CharField(_("type declared by the server"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("archived copy")
        verbose_name_plural = _("archived copies")
        ordering = ["-retrieved_at", "-pk"]
        get_latest_by = ["retrieved_at", "pk"]

    def __str__(self) -> str:
        return f"{self.url} @ {self.retrieved_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("research:snapshot_file", args=[self.source.key, self.stamp])

    @property
    def stamp(self) -> str:
        """The copy's id in its address: the moment it was retrieved, in UTC to the
        microsecond (``20240619T101502123456Z``). Its number would count the copies of
        every other source, hidden ones included."""
        return self.retrieved_at.astimezone(dt.UTC).strftime(SNAPSHOT_STAMP)


class SearchEntry(models.Model):
    """One searchable part of a record, its words prepared by citywatch.research.search_words.

    ``title`` and ``body`` hold the exact forms of the words in order (lower case, ASCII, no
    accents, Serbian Cyrillic in Latin); ``title_stems`` and ``body_stems`` their other
    spellings and language-tagged Snowball stems. The full-text index over these rows is
    database-specific: an FTS5 table kept in step by triggers on SQLite, a generated
    ``tsvector`` column on PostgreSQL (see migration 0005). Long documents are split into
    parts of one page (or less), so a hit names its page.
    """

    kind = models.CharField(_("kind"), max_length=20)
    object_id = models.PositiveBigIntegerField(_("record id"))
    part = models.PositiveIntegerField(_("part"), default=0)
    page = models.PositiveIntegerField(_("page"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    title = models.TextField(_("title words"))
    body = models.TextField(_("body words"), blank=True)
    title_stems = models.TextField(_("title stems"), blank=True, default="")
    body_stems = models.TextField(_("body stems"), blank=True, default="")

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "part"], name="search_entry_unique_part"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}#{self.object_id}/{self.part}"
