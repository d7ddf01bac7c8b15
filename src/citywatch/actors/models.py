"""Organisations that act in deals: vendors, buying authorities, integrators, financiers."""

from __future__ import annotations

import pycountry
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from citywatch.core.fields import WebAddressField
from citywatch.evidence.models import Citation
from citywatch.places.models import Country, Locality

WIKIDATA_ID_VALIDATOR = RegexValidator(
    r"^Q[1-9][0-9]*\Z", _("A Wikidata id looks like Q160120."), code="invalid_wikidata_id"
)


class OrganisationKind(models.TextChoices):
    VENDOR = "vendor", _("Vendor")
    AUTHORITY = "authority", _("Public authority")
    INTEGRATOR = "integrator", _("Integrator")
    FINANCIER = "financier", _("Financier")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subsidiaries",
        verbose_name=_("parent organisation"),
        help_text=_("E.g. Huawei Technologies for Huawei Spain."),
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("country"),
    )
    seat_subdivision = models.CharField(
        _("seat: region"),
        max_length=10,
        blank=True,
        help_text=_(
            "For authorities: ISO 3166-2 code of the first-level subdivision where it sits, "
            "e.g. ES-MD or DE-BE. Its holidays decide FOI deadlines where the law says so."
        ),
    )
    seat_municipality = models.ForeignKey(
        Locality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="seated_organisations",
        verbose_name=_("seat: municipality"),
        help_text=_(
            "For authorities: the municipality where it sits; its local holidays (entered "
            "under Places) count for FOI deadlines where the law says so."
        ),
    )
    aliases = models.TextField(
        _("other names"), blank=True, help_text=_("One per line, e.g. names in other languages.")
    )
    website = WebAddressField(_("website"), blank=True, max_length=500)
    wikidata_id = models.CharField(
        _("Wikidata id"), max_length=20, blank=True, validators=[WIKIDATA_ID_VALIDATOR]
    )
    email = models.EmailField(
        _("e-mail"), blank=True, help_text=_("For authorities: where FOI requests are sent.")
    )
    postal_address = models.TextField(_("postal address"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    description = models.TextField(_("description"), blank=True)
    listed = models.BooleanField(
        _("shown while no record names it"),
        default=True,
        help_text=_(
            "Unticked for an organisation made for hidden records: it stays hidden until a "
            "record the visitor may see names it."
        ),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    citations = GenericRelation(Citation, related_query_name="organisation")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("atlas:organisation", args=[self.slug])

    def clean(self) -> None:
        """The seat must lie in the organisation's country.

        Raises:
            ValidationError: the region is not an ISO 3166-2 subdivision of the country, or
                the municipality is in another country or region.
        """
        errors: dict[str, str] = {}
        code = self.seat_subdivision.strip().upper()
        self.seat_subdivision = code
        if code:
            subdivision = pycountry.subdivisions.get(code=code)
            if subdivision is None or subdivision.country_code != (self.country_id or ""):
                errors["seat_subdivision"] = _(
                    "%(code)s is not an ISO 3166-2 subdivision of the organisation's country."
                ) % {"code": code}
        municipality = self.seat_municipality
        if municipality is not None:
            if municipality.country_id != self.country_id:
                errors["seat_municipality"] = _(
                    "The municipality must be in the organisation's country."
                )
            elif code and municipality.subdivision_code and municipality.subdivision_code != code:
                errors["seat_municipality"] = _(
                    "The municipality is in %(region)s, not in %(code)s."
                ) % {"region": municipality.subdivision_code, "code": code}
        if errors:
            raise ValidationError(errors)

    @property
    def seat_region(self) -> str:
        """The seat's ISO 3166-2 region: the one given, else the municipality's."""
        if self.seat_subdivision:
            return self.seat_subdivision
        municipality = self.seat_municipality
        return municipality.subdivision_code if municipality is not None else ""

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]
