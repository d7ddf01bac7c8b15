"""Organisations that act in deals: vendors, buying authorities, integrators, financiers."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from citywatch.core.fields import WebAddressField
from citywatch.evidence.models import Citation
from citywatch.places.models import Country

WIKIDATA_ID_VALIDATOR = RegexValidator(
    r"^Q[1-9][0-9]*$", _("A Wikidata id looks like Q160120."), code="invalid_wikidata_id"
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

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]
