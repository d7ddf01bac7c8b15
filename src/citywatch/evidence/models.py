"""Sources (documents and web pages) and citations (a source backing one fact)."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from citywatch.core.fields import WebAddressField
from citywatch.core.partial_dates import PartialDateField

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
        _("language"), max_length=10, blank=True, help_text=_("ISO 639-1 code, e.g. en, es, sr.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    notes = models.TextField(_("notes"), blank=True)
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
        return reverse("atlas:source", args=[self.pk])


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
    locator = models.CharField(
        _("page or locator"), max_length=100, blank=True, help_text=_("E.g. p. 4, §2, 12:30.")
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        field = f".{self.field_name}" if self.field_name else ""
        return f"{self.content_type.model}#{self.object_id}{field} ← {self.source}"

    def clean(self) -> None:
        if not self.field_name or self.content_type_id is None:
            return
        model = self.content_type.model_class()
        try:
            model._meta.get_field(self.field_name)
        except FieldDoesNotExist as error:
            raise ValidationError(
                {
                    "field_name": _("%(model)s has no field %(field)s.")
                    % {"model": model._meta.verbose_name, "field": self.field_name}
                }
            ) from error
