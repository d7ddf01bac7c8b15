"""Countries, their legal cards, and localities."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries import countries as country_names
from simple_history.models import HistoricalRecords

from citywatch.core.coordinates import LATITUDE_VALIDATORS, LONGITUDE_VALIDATORS
from citywatch.core.fields import WebAddressField
from citywatch.core.partial_dates import PartialDateField
from citywatch.evidence.models import Citation


class Country(models.Model):
    """An ISO 3166-1 country (plus Kosovo, XK). Rows are created by a data migration."""

    code = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    alpha3 = models.CharField(_("ISO alpha-3 code"), max_length=3, blank=True)
    numeric = models.CharField(_("ISO numeric code"), max_length=3, blank=True)
    english_name = models.CharField(_("English name"), max_length=100)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=LATITUDE_VALIDATORS,
        help_text=_("Where country-wide deployments are shown: the capital or the centroid."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=LONGITUDE_VALIDATORS,
    )

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["english_name"]

    def __str__(self) -> str:
        return str(self.name)

    def get_absolute_url(self) -> str:
        return reverse("atlas:country", args=[self.code.lower()])

    @property
    def name(self) -> str:
        """The country's name in the active language."""
        return country_names.name(self.code) or self.english_name


class LegalTopic(models.TextChoices):
    DATA_PROTECTION_LAW = "data_protection_law", _("Data-protection law")
    DATA_PROTECTION_AUTHORITY = "data_protection_authority", _("Data-protection authority")
    FOI_LAW = "foi_law", _("Freedom-of-information law")
    FACIAL_RECOGNITION = "facial_recognition", _("Rules on facial recognition")
    SURVEILLANCE_LAW = "surveillance_law", _("Surveillance law")
    RULING = "ruling", _("Notable ruling")


class LegalStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    NONE = "none", _("None")
    DRAFT = "draft", _("Draft or pending")
    RESTRICTED = "restricted", _("Restricted")
    UNKNOWN = "unknown", _("Unknown")


class LegalCardEntry(models.Model):
    """One line of a country's legal card, dated and backed by citations."""

    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="legal_entries", verbose_name=_("country")
    )
    topic = models.CharField(_("topic"), max_length=40, choices=LegalTopic.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=LegalStatus.choices, default=LegalStatus.UNKNOWN
    )
    name = models.CharField(
        _("name"),
        max_length=300,
        blank=True,
        help_text=_("The law, authority or ruling, e.g. Ley 19/2013 de transparencia."),
    )
    in_force_since = PartialDateField(_("in force since"))
    as_of = PartialDateField(
        _("as of"), help_text=_("When this entry was known to be true, e.g. 2021 for 'no law'.")
    )
    summary = models.TextField(_("summary"), blank=True)
    url = WebAddressField(_("link"), blank=True, max_length=500)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    citations = GenericRelation(Citation, related_query_name="legal_entry")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("legal card entry")
        verbose_name_plural = _("legal card entries")
        ordering = ["country", "topic", "-in_force_since"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "topic", "name"], name="legal_entry_unique_per_topic"
            )
        ]

    def __str__(self) -> str:
        label = self.name or self.get_status_display()
        return f"{self.country_id} · {self.get_topic_display()}: {label}"


class Locality(models.Model):
    """A city or region where a deployment takes place."""

    name = models.CharField(_("name"), max_length=200)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="localities", verbose_name=_("country")
    )
    subdivision_code = models.CharField(
        _("subdivision"),
        max_length=10,
        blank=True,
        help_text=_("ISO 3166-2 code of the first-level subdivision, e.g. ES-MD."),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        blank=True,
        validators=LATITUDE_VALIDATORS,
        help_text=_("Leave empty to take it from the shipped city list (GeoNames)."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        blank=True,
        validators=LONGITUDE_VALIDATORS,
    )
    geonames_id = models.PositiveIntegerField(_("GeoNames id"), null=True, blank=True, unique=True)
    approximate = models.BooleanField(
        _("approximate location"),
        default=False,
        help_text=_(
            "The place itself is not in the city list: its point is that of its region or "
            "country. Clear this once you enter the place's own coordinates."
        ),
    )
    citations = GenericRelation(Citation, related_query_name="locality")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("locality")
        verbose_name_plural = _("localities")
        ordering = ["name"]
        constraints = [
            # Same-name places in different regions (Salem, Oregon and Salem, Massachusetts)
            # are two places. Only places of the list: a custom place (no GeoNames id) that
            # only hidden records name must not stop someone else from making their own place
            # of that name (it would tell them it exists; see teams.permissions.
            # locality_visible_q).
            models.UniqueConstraint(
                fields=["country", "subdivision_code", "name"],
                condition=models.Q(geonames_id__isnull=False),
                name="locality_unique_in_region",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.subdivision_code or self.country_id})"

    def clean(self) -> None:
        from citywatch.places.services import (
            fill_coordinates_from_gazetteer,
            validate_subdivision,
        )

        validate_subdivision(self.country_id, self.subdivision_code)
        found = bool(self.country_id) and fill_coordinates_from_gazetteer(self)
        if not found and (self.latitude is None or self.longitude is None):
            raise ValidationError(
                _("%(name)s is not in the city list: enter its latitude and longitude.")
                % {"name": self.name}
            )


class LocalHoliday(models.Model):
    """A municipality's local holiday in one year, entered by staff with its source.

    No holiday package lists municipal holidays (Spain's two local holidays a year, for
    example), yet they are non-working days for deadlines where the law says so (Ley 39/2015
    art. 30.7). A year with at least one entry counts as entered for that municipality.
    """

    municipality = models.ForeignKey(
        Locality,
        on_delete=models.CASCADE,
        related_name="local_holidays",
        verbose_name=_("municipality"),
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=200, help_text=_("E.g. San Isidro."))
    source_url = WebAddressField(
        _("source"),
        max_length=500,
        help_text=_("Where the local calendar is published, e.g. the regional gazette."),
    )
    source_title = models.CharField(
        _("source title"),
        max_length=300,
        blank=True,
        help_text=_("E.g. BOCM, calendar of local holidays for 2025."),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("local holiday")
        verbose_name_plural = _("local holidays")
        ordering = ["municipality__name", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "date"], name="local_holiday_unique_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality.name}, {self.date.isoformat()})"

    @property
    def year(self) -> int:
        return self.date.year
