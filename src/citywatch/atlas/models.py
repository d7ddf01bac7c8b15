"""The deal as a first-class object: a deployment and everything that describes it."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from citywatch.actors.models import Organisation
from citywatch.core.choices import Certainty, Visibility
from citywatch.core.partial_dates import PartialDateField, display_partial_date
from citywatch.evidence.models import Citation
from citywatch.places.models import Country, Locality

CURRENCY_VALIDATOR = RegexValidator(
    r"^[A-Z]{3}\Z", _("Use a three-letter ISO 4217 code such as EUR."), code="invalid_currency"
)


class Technology(models.Model):
    """One term of the technology taxonomy (rows come from atlas/taxonomy.py)."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("technology")
        verbose_name_plural = _("technologies")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return gettext(self.name)


class DeploymentStatus(models.TextChoices):
    RUMOURED = "rumoured", _("Rumoured")
    ANNOUNCED = "announced", _("Announced")
    AGREEMENT_SIGNED = "agreement_signed", _("Agreement signed (MoU/LOI)")
    CONTRACTED = "contracted", _("Contracted")
    DEPLOYING = "deploying", _("Deploying")
    OPERATIONAL = "operational", _("Operational")
    EXPANDED = "expanded", _("Expanded")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", _("Cancelled")


class Deployment(models.Model):
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="deployments",
        verbose_name=_("country"),
        db_index=False,  # the facets' index leads with the country
    )
    locality = models.ForeignKey(
        Locality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deployments",
        verbose_name=_("locality"),
        help_text=_("Leave empty for a country-wide deployment."),
    )
    status = models.CharField(_("status"), max_length=20, choices=DeploymentStatus.choices)
    certainty = models.CharField(_("certainty"), max_length=20, choices=Certainty.choices)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    embargo_until = models.DateField(
        _("embargoed until"),
        null=True,
        blank=True,
        help_text=_("Hidden from the public until this day, then public by itself."),
    )
    owner_team = models.ForeignKey(
        "teams.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deployments",
        verbose_name=_("owning team"),
        help_text=_("The team whose members see the record while it is private."),
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    # Derived from the record and its parts by atlas.services.refresh_derived_fields().
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    first_year = models.PositiveSmallIntegerField(
        _("first year"), null=True, blank=True, editable=False, db_index=True
    )
    last_year = models.PositiveSmallIntegerField(
        _("last year"), null=True, blank=True, editable=False, db_index=True
    )
    citations = GenericRelation(Citation, related_query_name="deployment")
    # History rows are read by record, date, slug and deployment (and the account, when one
    # is deleted), never by the other records they name: those columns carry no index, which
    # every import would write for each row (the same for the parts' history below).
    history = HistoricalRecords(
        no_db_index=["country", "locality", "owner_team"],
        excluded_fields=["search_text", "first_year", "last_year"],
    )

    class Meta:
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")
        ordering = ["title"]
        indexes = [
            # Facet counts group by these columns; with the visibility columns last the
            # index covers the whole query (no table reads), and serves the country filter.
            models.Index(
                fields=["country", "status", "certainty", "visibility", "embargo_until"],
                name="deployment_facets",
            ),
            # Records under embargo (the second half of permissions.public_q). Partial, and
            # no index leads with visibility: with most records public, SQLite (which keeps
            # no statistics unless ANALYZE runs) would otherwise read every public row through
            # it instead of walking the title index for one page.
            models.Index(
                fields=["embargo_until"],
                condition=models.Q(embargo_until__isnull=False),
                name="deployment_embargo",
            ),
            # The list's default order and "recently changed" read pages off these.
            models.Index(fields=["title"], name="deployment_title"),
            models.Index(fields=["updated_at"], name="deployment_updated"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("atlas:deployment", args=[self.slug])

    @property
    def is_nationwide(self) -> bool:
        return self.locality_id is None

    def clean(self) -> None:
        if self.locality_id and self.country_id and self.locality.country_id != self.country_id:
            raise ValidationError(
                {"locality": _("The locality is not in the deployment's country.")}
            )


class PartyRole(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    OPERATOR = "operator", _("Operator")
    SUPPLIER = "supplier", _("Supplier")
    DONOR = "donor", _("Donor")
    INTEGRATOR = "integrator", _("Integrator")
    FINANCIER = "financier", _("Financier")
    PARTNER = "partner", _("Partner (agreement)")
    RECIPIENT = "recipient", _("Recipient")


class Party(models.Model):
    """An organisation's role in a deployment: an edge with its own dates and sources."""

    deployment = models.ForeignKey(
        Deployment, on_delete=models.CASCADE, related_name="parties", verbose_name=_("deployment")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="parties",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)
    started_on = PartialDateField(_("from"))
    ended_on = PartialDateField(_("until"))
    certainty = models.CharField(
        _("certainty"), max_length=20, choices=Certainty.choices, default=Certainty.REPORTED
    )
    note = models.TextField(_("note"), blank=True)
    citations = GenericRelation(Citation, related_query_name="party")
    history = HistoricalRecords(no_db_index=["organisation"])

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["deployment", "role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["deployment", "organisation", "role"], name="party_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"

    def clean(self) -> None:
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("The end is before the start.")})


class Capability(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    ABSENT = "absent", _("No")
    PRESENT = "present", _("Yes")
    NOT_IN_USE = "not_in_use", _("Capable, reportedly not in use")


class QuantityQualifier(models.TextChoices):
    EXACTLY = "exactly", _("exactly")
    ABOUT = "about", _("about")
    AT_LEAST = "at_least", _("at least")
    MORE_THAN = "more_than", _("more than")
    UP_TO = "up_to", _("up to")


class Component(models.Model):
    """What was sold: a technology, how many, which models, with which capabilities."""

    deployment = models.ForeignKey(
        Deployment,
        on_delete=models.CASCADE,
        related_name="components",
        verbose_name=_("deployment"),
        db_index=False,  # the technology facet's index leads with the deployment
    )
    technology = models.ForeignKey(
        Technology,
        on_delete=models.PROTECT,
        related_name="components",
        verbose_name=_("technology"),
    )
    quantity = models.PositiveIntegerField(
        _("quantity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty when the number is not known."),
    )
    quantity_qualifier = models.CharField(
        _("qualifier"),
        max_length=12,
        choices=QuantityQualifier.choices,
        default=QuantityQualifier.EXACTLY,
    )
    planned_quantity = models.PositiveIntegerField(
        _("planned quantity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "When a source gives a planned figure besides the installed one (“1,000 of a planned "
            "1,500”): the planned figure here, the installed one in quantity."
        ),
    )
    unit = models.CharField(_("unit"), max_length=50, blank=True, help_text=_("E.g. cameras, km."))
    description = models.TextField(_("description"), blank=True)
    product_models = models.CharField(
        _("product models"), max_length=300, blank=True, help_text=_("E.g. Huawei IPC6625-Z30.")
    )
    supplier = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supplied_components",
        verbose_name=_("supplier"),
    )
    facial_recognition = models.CharField(
        _("facial recognition"),
        max_length=12,
        choices=Capability.choices,
        default=Capability.UNKNOWN,
    )
    plate_recognition = models.CharField(
        _("licence-plate recognition"),
        max_length=12,
        choices=Capability.choices,
        default=Capability.UNKNOWN,
    )
    certainty = models.CharField(
        _("certainty"), max_length=20, choices=Certainty.choices, default=Certainty.REPORTED
    )
    citations = GenericRelation(Citation, related_query_name="component")
    history = HistoricalRecords(no_db_index=["supplier", "technology"])

    class Meta:
        verbose_name = _("component")
        verbose_name_plural = _("components")
        ordering = ["deployment", "technology__position", "pk"]
        indexes = [
            # Covers the technology facet's counts (no table reads per component).
            models.Index(
                fields=["deployment", "technology", "facial_recognition", "plate_recognition"],
                name="component_technology_facet",
            )
        ]

    def __str__(self) -> str:
        return self.quantity_label() or self.technology.display_name

    def clean(self) -> None:
        if (self.quantity is not None or self.planned_quantity is not None) and not self.unit:
            raise ValidationError({"unit": _("Say what the quantity counts, e.g. cameras.")})

    def planned_label(self) -> str:
        """E.g. "1,500 cameras planned"; empty when no planned figure is known."""
        if self.planned_quantity is None:
            return ""
        from django.contrib.humanize.templatetags.humanize import intcomma

        return _("%(number)s planned") % {
            "number": f"{intcomma(self.planned_quantity)} {self.unit}".strip()
        }

    def quantity_label(self) -> str:
        """E.g. "335 cameras", "about 1,000 cameras"; empty when no quantity is known."""
        if self.quantity is None:
            return ""
        from django.contrib.humanize.templatetags.humanize import intcomma

        number = f"{intcomma(self.quantity)} {self.unit}".strip()
        if self.quantity_qualifier == QuantityQualifier.EXACTLY:
            return number
        return f"{self.get_quantity_qualifier_display()} {number}"


class FinancingKind(models.TextChoices):
    PURCHASE = "purchase", _("Purchase")
    LOAN = "loan", _("Loan")
    GRANT = "grant", _("Grant")
    DONATION = "donation", _("Donation (free of charge)")
    PILOT = "pilot", _("Pilot")
    UNKNOWN = "unknown", _("Unknown")


class Money(models.Model):
    deployment = models.ForeignKey(
        Deployment, on_delete=models.CASCADE, related_name="money", verbose_name=_("deployment")
    )
    amount = models.DecimalField(
        _("amount"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    amount_qualifier = models.CharField(
        _("qualifier"),
        max_length=12,
        choices=QuantityQualifier.choices,
        default=QuantityQualifier.EXACTLY,
        help_text=_("How exact the amount is, as the source says: about, at least, up to…"),
    )
    amount_max = models.DecimalField(
        _("up to (range)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("For a range (“between 2 and 3 million”): the upper end; amount is the lower."),
    )
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, validators=[CURRENCY_VALIDATOR]
    )
    dated = PartialDateField(_("year"), help_text=_("When the amount applies: YYYY or finer."))
    financing = models.CharField(
        _("financing"),
        max_length=12,
        choices=FinancingKind.choices,
        default=FinancingKind.UNKNOWN,
    )
    lender = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="loans",
        verbose_name=_("lender"),
    )
    interest_rate = models.DecimalField(
        _("interest rate (% a year)"),
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("For a loan: the yearly interest rate in percent, e.g. 2.5."),
    )
    maturity_months = models.PositiveSmallIntegerField(
        _("maturity (months)"),
        null=True,
        blank=True,
        help_text=_("For a loan: how long until it is fully repaid, in months (20 years = 240)."),
    )
    grace_period_months = models.PositiveSmallIntegerField(
        _("grace period (months)"),
        null=True,
        blank=True,
        help_text=_("For a loan: how long before repayments start, in months."),
    )
    note = models.TextField(_("note"), blank=True)
    certainty = models.CharField(
        _("certainty"), max_length=20, choices=Certainty.choices, default=Certainty.REPORTED
    )
    citations = GenericRelation(Citation, related_query_name="money")
    history = HistoricalRecords(no_db_index=["lender"])

    class Meta:
        verbose_name = _("money")
        verbose_name_plural = _("money")
        ordering = ["deployment", "dated", "pk"]

    def __str__(self) -> str:
        if self.amount is None:
            return str(self.get_financing_display())
        return f"{self.amount:,.0f} {self.currency}".strip()

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if (self.amount is not None or self.amount_max is not None) and not self.currency:
            errors["currency"] = _("An amount needs a currency.")
        if self.amount_max is not None:
            if self.amount is None:
                errors["amount"] = _("A range needs its lower end too.")
            elif self.amount_max < self.amount:
                errors["amount_max"] = _("The upper end of the range is below its lower end.")
        is_loan = self.financing == FinancingKind.LOAN
        loan_terms = (self.interest_rate, self.maturity_months, self.grace_period_months)
        if not is_loan and any(term is not None for term in loan_terms):
            errors["financing"] = _("Interest rate, maturity and grace period are for loans.")
        if (
            self.maturity_months is not None
            and self.grace_period_months is not None
            and self.grace_period_months > self.maturity_months
        ):
            errors["grace_period_months"] = _("The grace period is longer than the maturity.")
        if errors:
            raise ValidationError(errors)

    def amount_label(self) -> str:
        """E.g. "about 2,000,000 EUR", "2,000,000–3,000,000 EUR"; empty when unknown."""
        if self.amount is None:
            return ""
        from django.contrib.humanize.templatetags.humanize import intcomma

        def number(value: Decimal) -> str:
            return intcomma(f"{value:.0f}" if value == value.to_integral() else f"{value:.2f}")

        text = number(self.amount)
        if self.amount_max is not None and self.amount_max != self.amount:
            text = f"{text}–{number(self.amount_max)}"
        text = f"{text} {self.currency}".strip()
        if self.amount_qualifier == QuantityQualifier.EXACTLY:
            return text
        return f"{self.get_amount_qualifier_display()} {text}"

    def loan_terms_label(self) -> str:
        """E.g. "2.5% a year · 240 months · 60 months' grace"; empty when none is known."""
        parts = []
        if self.interest_rate is not None:
            parts.append(_("%(rate)s%% a year") % {"rate": f"{self.interest_rate.normalize():f}"})
        if self.maturity_months is not None:
            parts.append(
                ngettext(
                    "repaid over %(count)d month",
                    "repaid over %(count)d months",
                    self.maturity_months,
                )
                % {"count": self.maturity_months}
            )
        if self.grace_period_months is not None:
            parts.append(
                ngettext(
                    "%(count)d month of grace",
                    "%(count)d months of grace",
                    self.grace_period_months,
                )
                % {"count": self.grace_period_months}
            )
        return " · ".join(parts)


class EventKind(models.TextChoices):
    ANNOUNCED = "announced", _("Announced")
    AGREEMENT_SIGNED = "agreement_signed", _("Agreement signed")
    CONTRACTED = "contracted", _("Contract awarded")
    OFFERED = "offered", _("Offered")
    INSTALLED = "installed", _("Installed")
    OPERATIONAL = "operational", _("Operational")
    PLANNED = "planned", _("Planned")
    FOI_REQUESTED = "foi_requested", _("FOI request filed")
    FOI_REFUSED = "foi_refused", _("FOI request refused")
    FOI_RELEASED = "foi_released", _("Documents released")
    COURT_RULING = "court_ruling", _("Court ruling")
    STATEMENT = "statement", _("Official statement")
    OTHER = "other", _("Other")


class Event(models.Model):
    """A dated step in a deal's life, with a date of known precision."""

    deployment = models.ForeignKey(
        Deployment, on_delete=models.CASCADE, related_name="events", verbose_name=_("deployment")
    )
    date = PartialDateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    certainty = models.CharField(
        _("certainty"), max_length=20, choices=Certainty.choices, default=Certainty.REPORTED
    )
    citations = GenericRelation(Citation, related_query_name="event")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["deployment", "date", "pk"]

    def __str__(self) -> str:
        return f"{self.date_display or '?'}: {self.title}"

    @property
    def date_display(self) -> str:
        return display_partial_date(self.date)


class VendorClaim(models.Model):
    """What a vendor says about itself, dated and sourced, shown beside what is documented."""

    vendor = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="claims", verbose_name=_("vendor")
    )
    deployment = models.ForeignKey(
        Deployment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="claims",
        verbose_name=_("deployment"),
        help_text=_("Empty for a claim about the vendor at large."),
    )
    statement = models.TextField(_("statement"))
    claimed_on = PartialDateField(_("claimed on"))
    citations = GenericRelation(Citation, related_query_name="vendor_claim")
    history = HistoricalRecords(no_db_index=["vendor"])

    class Meta:
        verbose_name = _("vendor claim")
        verbose_name_plural = _("vendor claims")
        ordering = ["vendor", "-claimed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.vendor}: {self.statement[:80]}"
